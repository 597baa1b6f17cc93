// Head office's reports, on real PostgreSQL, over orders put in through the merge itself: two stores
// in different time zones and currencies, orders either side of a local midnight, bumps, recalls,
// a held counter order, a ticket over two hours. Every number is checked for days read from their
// orders, from their daily summaries, and both; then the close-of-day job (three schedulers racing,
// an upload in flight, a node that dies mid-summary, a server restart, late orders), bad input,
// the spreadsheets and who may see what.
import { randomBytes, randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '#protocol/businessDay';
import { localClock } from '#protocol/dayparts';
import { formatHlc } from '#protocol/hlc';
import { uuidv7 } from '#protocol/ids';
import type { OrderRecord, Payment, RecordLine, Service } from '#protocol/orders';
import type { ItemMix, OrderMix, SalesByDay, SalesByHour, TicketTimes } from '#admin-api';
import { createSqlPool, type SqlPool } from '../../sync-server/db/sql';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { silentLogger } from '../../sync-server/log';
import { mergeBatch, type DeviceContext, type PreparedMutation } from '../../sync-server/orders/mergeBatch';
import { CloseOfDay, GRACE_MS, type StoreDay } from '../../sync-server/reports/closeOfDay';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, type AdminClient } from '../support/adminClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

const DAY_MS = 86_400_000;
const NEW_YORK = { ...DEMO_STORE, name: 'Tillsync Café New York', timeZone: 'America/New_York', currency: 'USD' };

/** The instant a store's wall clock shows `time` on `day`. */
function at(day: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${day}T${time}:00Z`);
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const offset = (instant: number) => {
    const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
    return Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`) - instant;
  };
  const guess = wall - offset(wall);
  return new Date(wall - offset(guess));
}

const plusDays = (day: string, days: number) => new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

interface Store {
  id: string;
  timeZone: string;
  currency: string;
  kiosk: DeviceContext;
  kitchen: DeviceContext;
  numbers: number;
  mutations: number;
}

/** A line as a kiosk's order carries it: `station` where the menu makes it. */
const line = (itemId: string, quantity: number, unitPriceCents: number, station?: string, name = itemId[0]!.toUpperCase() + itemId.slice(1)): Omit<RecordLine, 'lineNo'> => ({
  itemId,
  name,
  quantity,
  unitPriceCents,
  lineTotalCents: quantity * unitPriceCents,
  modifiers: [],
  ...(station ? { stationId: station } : {}),
});

const card = (amountCents: number, paidAt: Date): Payment => ({
  method: 'card',
  status: 'paid',
  provider: 'card-terminal',
  transactionId: randomUUID(),
  reference: randomBytes(4).toString('hex'),
  amountCents,
  paidAt: paidAt.toISOString(),
  failedAttempts: 0,
});
const counter = (held: boolean): Payment => ({ method: 'counter', status: 'unpaid', held });

/** A mutation as a device sends it, before the merge numbers it. */
type Unnumbered = PreparedMutation extends infer M ? (M extends { kind: 'rejected' } ? never : Omit<M, 'id' | 'digest'>) : never;

/** What happens to an order after it is placed, in seconds from then: bumps of its lines, ready, paid. */
type Step = { after: number } & ({ lines: number[]; done?: boolean } | { ready: true } | { paid: true });

let stack: TestStack;
let sql: SqlPool;
let owner: AdminClient;
let amsterdam: Store;
let newYork: Store;
const D2 = new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10);
const D3 = plusDays(D2, -1);
/** Every store's today: the range's last day. */
let today: string;
let placedToday: Record<string, Date>;

async function openStore(store: typeof DEMO_STORE | typeof NEW_YORK): Promise<Store> {
  const { id } = await createStore(stack.db, store);
  // Amsterdam runs the café's menu, which names its stations; New York runs none yet.
  if (store === DEMO_STORE) await stack.db.store.update({ where: { id }, data: { menuVersionId: stack.menuVersionId } });
  const device = async (role: 'kiosk' | 'kitchen'): Promise<DeviceContext> => {
    const { device } = await registerDevice(stack.db, { storeId: id, role, name: role });
    return { id: device.id, storeId: id, role, orderPrefix: device.orderPrefix };
  };
  return { id, timeZone: store.timeZone, currency: store.currency, kiosk: await device('kiosk'), kitchen: await device('kitchen'), numbers: 0, mutations: 0 };
}

const digest = () => randomBytes(32).toString('hex');

/** Applies one device's mutations through the merge, in a transaction of `tx`'s choosing. */
async function merge(store: Store, device: DeviceContext, mutations: Unnumbered[], pool: Pick<SqlPool, 'transaction'> = sql) {
  const prepared = mutations.map((m) => ({ ...m, id: ++store.mutations, digest: digest() }) as PreparedMutation);
  const { results } = await pool.transaction((tx) => mergeBatch(tx, [{ device, mutations: prepared }]));
  expect(results[0]!.map((r) => r.outcome)).toEqual(prepared.map(() => 'applied'));
}

/** An order as the merge records it, placed at `placedAt` in the store's own day. */
function orderOf(store: Store, placedAt: Date, lines: Array<Omit<RecordLine, 'lineNo'>>, details: { service?: Service; payment?: Payment | 'card' } = {}): OrderRecord {
  const total = lines.reduce((sum, l) => sum + l.lineTotalCents, 0);
  const payment = details.payment === 'card' ? card(total, placedAt) : details.payment;
  return {
    id: uuidv7(placedAt.getTime()),
    deviceId: store.kiosk.id,
    number: `${store.kiosk.orderPrefix}${String(++store.numbers).padStart(3, '0')}`,
    businessDay: businessDay(placedAt, store.timeZone),
    placedAt: placedAt.toISOString(),
    menuVersionId: stack.menuVersionId,
    currency: store.currency,
    lines: lines.map((l, i) => ({ ...l, lineNo: i + 1 })),
    subtotalCents: total,
    taxCents: Math.round(total * 0.09),
    totalCents: total,
    status: 'preparing',
    statusHlc: null,
    ...(details.service ? { service: details.service } : {}),
    ...(payment ? { payment } : {}),
  };
}

/** The kitchen's (and staff's) mutations for `steps` of an order placed at `placedAt`. */
function stepsOf(store: Store, order: OrderRecord, steps: Step[]): Unnumbered[] {
  const placed = Date.parse(order.placedAt);
  return steps.map((step, i) => {
    const moment = placed + step.after * 1000;
    const hlc = formatHlc({ millis: moment, counter: i, deviceId: store.kitchen.id });
    if ('paid' in step) return { kind: 'order.paid', orderId: order.id, paidAt: new Date(moment).toISOString() };
    if ('ready' in step) return { kind: 'order.status', orderId: order.id, status: 'ready', hlc };
    return { kind: 'order.lines', orderId: order.id, lineNos: step.lines, done: step.done ?? true, hlc };
  });
}

/** Places an order through the merge, then what its kitchen (and staff) did with it. */
async function place(store: Store, placedAt: Date, lines: Array<Omit<RecordLine, 'lineNo'>>, details: { service?: Service; payment?: Payment | 'card' } = {}, steps: Step[] = []) {
  const order = orderOf(store, placedAt, lines, details);
  await merge(store, store.kiosk, [{ kind: 'order.place', order }]);
  if (steps.length > 0) await merge(store, store.kitchen, stepsOf(store, order, steps));
  return order;
}

const closeOfDay = (now = Date.now) => new CloseOfDay(stack.db, { log: silentLogger, now });

async function report<T>(name: string, from: string, to: string, client: AdminClient = owner, storeIds?: string[]): Promise<T> {
  const query = new URLSearchParams({ from, to, ...(storeIds ? { storeIds: storeIds.join(',') } : {}) });
  const answer = await client.request<T>('GET', `/api/reports/${name}?${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

const summaries = async () =>
  (await stack.db.dailySummary.findMany({ orderBy: [{ businessDay: 'asc' }, { storeId: 'asc' }] })).map(({ storeId, businessDay, upToDate }) => ({ storeId, businessDay, upToDate }));

beforeAll(async () => {
  stack = await startTestStack();
  // The server's own close of day believes it is 40 days ago: nothing here is closed for it until
  // a test says so (the tests run schedulers of their own).
  stack.clock.offsetMs = -40 * DAY_MS;
  sql = createSqlPool(stack.databaseUrl);
  owner = await adminClient(stack.db, stack.url);
  await stack.db.store.update({ where: { id: stack.storeId }, data: { name: 'Tillsync Café Rotterdam' } });
  amsterdam = await openStore(DEMO_STORE);
  newYork = await openStore(NEW_YORK);
  const [A, B] = [amsterdam, newYork];

  // Amsterdam: breakfast, a late espresso at 23:50 and a bagel at 00:05 (the next business day),
  // lunch held at the counter until paid ten minutes later, and today's two orders.
  await place(A, at(D3, '09:15', A.timeZone), [line('latte', 2, 380, 'bar'), line('croissant', 1, 260, 'kitchen', 'Croissant, "warm"')], { service: { mode: 'eat-in' }, payment: 'card' }, [
    { after: 120, lines: [1] },
    { after: 200, lines: [2] },
    { after: 300, ready: true },
  ]);
  await place(A, at(D3, '23:50', A.timeZone), [line('espresso', 1, 260, 'bar')], { service: { mode: 'takeaway' }, payment: counter(false) }, [
    { after: 60, lines: [1] },
    { after: 95, ready: true },
  ]);
  // From a kiosk before service and payments; the bagel is bumped, recalled and bumped again, the order
  // made ready three times, all reaching the server out of order (two screens, one offline for a
  // while): the first of each by the clock counts, not the first or last to arrive, nor the latest.
  await place(A, at(D2, '00:05', A.timeZone), [line('bagel', 1, 390, 'kitchen'), line('cookie', 2, 250, 'counter', '=1+2 cookie')], {}, [
    { after: 30, lines: [2] },
    { after: 350, lines: [1] },
    { after: 410, ready: true },
    { after: 300, lines: [1] },
    { after: 400, ready: true },
    { after: 310, lines: [1], done: false },
    { after: 360, lines: [1] },
    { after: 420, ready: true },
  ]);
  // Held until paid at 12:10: its ticket starts then.
  await place(A, at(D2, '12:00', A.timeZone), [line('club-sandwich', 1, 1050, 'kitchen')], { service: { mode: 'eat-in' }, payment: counter(true) }, [
    { after: 600, paid: true },
    { after: 1050, lines: [1] },
    { after: 1100, ready: true },
  ]);
  // New York: 23:30 on its own D3 (D2 already in Amsterdam), and a brunch whose pancakes took two hours.
  await place(B, at(D3, '23:30', B.timeZone), [line('latte', 1, 450, 'bar')], { service: { mode: 'takeaway' }, payment: 'card' }, [
    { after: 100, lines: [1] },
    { after: 150, ready: true },
  ]);
  await place(B, at(D2, '08:00', B.timeZone), [line('pancakes', 1, 900, 'kitchen'), line('orange-juice', 1, 400, 'bar'), line('sparkling-water', 1, 300)], { service: { mode: 'eat-in' }, payment: 'card' }, [
    { after: 60, lines: [2] },
    { after: 7000, lines: [1] },
    { after: 7300, ready: true },
  ]);
  // Today: nothing ready yet in Amsterdam (one order still held unpaid); New York's is ready but its bar never bumped.
  const now = new Date(Date.now() - 60_000);
  placedToday = { A: now, B: now };
  await place(A, now, [line('latte', 1, 380, 'bar')], { service: { mode: 'takeaway' }, payment: 'card' });
  await place(A, now, [line('espresso', 1, 260, 'bar')], { service: { mode: 'eat-in' }, payment: counter(true) });
  await place(B, now, [line('latte', 1, 450, 'bar')], { service: { mode: 'eat-in' }, payment: counter(false) }, [{ after: 45, ready: true }]);
  today = [businessDay(now, A.timeZone), businessDay(now, B.timeZone)].sort().at(-1)!;
});

afterAll(async () => {
  await sql?.close();
  await stack?.close();
});

/** What each order above sold, as the reports should count it. */
interface Sale {
  day: string;
  /** On the store's clock. */
  hour: number;
  currency: string;
  cents: number;
  mode: string;
  method: string;
  items: Array<[itemId: string, name: string, quantity: number, cents: number]>;
}

function salesUpTo(last: 'D2' | 'today'): Sale[] {
  const [A, B] = [amsterdam, newYork];
  const sales: Sale[] = [
    { day: D3, hour: 9, currency: 'EUR', cents: 1020, mode: 'eat-in', method: 'card', items: [['latte', 'Latte', 2, 760], ['croissant', 'Croissant, "warm"', 1, 260]] },
    { day: D3, hour: 23, currency: 'EUR', cents: 260, mode: 'takeaway', method: 'counter', items: [['espresso', 'Espresso', 1, 260]] },
    { day: D2, hour: 0, currency: 'EUR', cents: 890, mode: 'unknown', method: 'unknown', items: [['bagel', 'Bagel', 1, 390], ['cookie', '=1+2 cookie', 2, 500]] },
    { day: D2, hour: 12, currency: 'EUR', cents: 1050, mode: 'eat-in', method: 'counter', items: [['club-sandwich', 'Club-sandwich', 1, 1050]] },
    { day: D3, hour: 23, currency: 'USD', cents: 450, mode: 'takeaway', method: 'card', items: [['latte', 'Latte', 1, 450]] },
    {
      day: D2,
      hour: 8,
      currency: 'USD',
      cents: 1600,
      mode: 'eat-in',
      method: 'card',
      items: [['pancakes', 'Pancakes', 1, 900], ['orange-juice', 'Orange-juice', 1, 400], ['sparkling-water', 'Sparkling-water', 1, 300]],
    },
  ];
  if (last === 'D2') return sales;
  const [dayA, dayB] = [businessDay(placedToday.A!, A.timeZone), businessDay(placedToday.B!, B.timeZone)];
  const [hourA, hourB] = [Number(localClock(placedToday.A!, A.timeZone).time.slice(0, 2)), Number(localClock(placedToday.B!, B.timeZone).time.slice(0, 2))];
  return [
    ...sales,
    { day: dayA, hour: hourA, currency: 'EUR', cents: 380, mode: 'takeaway', method: 'card', items: [['latte', 'Latte', 1, 380]] },
    { day: dayA, hour: hourA, currency: 'EUR', cents: 260, mode: 'eat-in', method: 'counter', items: [['espresso', 'Espresso', 1, 260]] },
    { day: dayB, hour: hourB, currency: 'USD', cents: 450, mode: 'eat-in', method: 'counter', items: [['latte', 'Latte', 1, 450]] },
  ];
}

/** Adds up `rows` by `key` (and currency), sorted as the reports sort them. */
function addUp<K extends string | number>(rows: Array<{ key: K; currency: string; orders: number; salesCents: number }>) {
  const by = new Map<string, { key: K; currency: string; orders: number; salesCents: number }>();
  for (const r of rows) {
    const seen = by.get(`${r.key}/${r.currency}`) ?? { key: r.key, currency: r.currency, orders: 0, salesCents: 0 };
    by.set(`${r.key}/${r.currency}`, { ...seen, orders: seen.orders + r.orders, salesCents: seen.salesCents + r.salesCents });
  }
  return [...by.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.currency < y.currency ? -1 : 1));
}

/** Every report over D3 to `last`, as the orders above make them. */
function expectedReports(last: 'D2' | 'today') {
  const [A, B] = [amsterdam, newYork];
  const sales = salesUpTo(last);
  const money = <K extends string | number>(key: (s: Sale) => K) => addUp(sales.map((s) => ({ key: key(s), currency: s.currency, orders: 1, salesCents: s.cents })));
  const items = new Map<string, ItemMix['rows'][number]>();
  for (const { currency, items: lines } of sales) {
    for (const [itemId, name, quantity, cents] of lines) {
      const seen = items.get(`${itemId}/${currency}`) ?? { itemId, name, quantity: 0, salesCents: 0, currency };
      items.set(`${itemId}/${currency}`, { ...seen, quantity: seen.quantity + quantity, salesCents: seen.salesCents + cents });
    }
  }
  // By quantity, then item id, then currency.
  const itemRows = [...items.values()].sort((x, y) => y.quantity - x.quantity || (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : x.currency < y.currency ? -1 : 1));
  // Amsterdam's tickets: 300, 95, 400 (its first ready) and 500 s (held: from its payment); nothing
  // ready today. The p90 of four is the 4th, 500 s, answered as its bucket's top: 510.
  const amsterdamTimes = { storeId: A.id, storeName: 'Tillsync Café Amsterdam', orders: 4, avgSeconds: Math.round((300 + 95 + 400 + 500) / 4), p90Seconds: 510 };
  // New York's: 150 and 7300 s, and today's 45; past two hours is the open bucket, 7200.
  const newYorkTimes =
    last === 'D2'
      ? { storeId: B.id, storeName: 'Tillsync Café New York', orders: 2, avgSeconds: Math.round((150 + 7300) / 2), p90Seconds: 7200 }
      : { storeId: B.id, storeName: 'Tillsync Café New York', orders: 3, avgSeconds: Math.round((150 + 7300 + 45) / 3), p90Seconds: 7200 };
  return {
    'sales-by-day': { rows: money((s) => s.day).map(({ key, ...r }) => ({ day: key, ...r })) } satisfies SalesByDay,
    'sales-by-hour': { rows: money((s) => s.hour).map(({ key, ...r }) => ({ hour: key, ...r })) } satisfies SalesByHour,
    'item-mix': { rows: itemRows } satisfies ItemMix,
    'ticket-times': {
      stores: [amsterdamTimes, newYorkTimes],
      // bar: 120, 60, 100 and 60 s (New York's latte today was never bumped); counter: the cookies'
      // 30 s; kitchen: 200, 300 (the bagel's first bump), 450 (from payment) and 7000 s.
      stations: [
        { stationId: 'bar', stationName: 'Bar', orders: 4, avgSeconds: 85, p90Seconds: 130 },
        { stationId: 'counter', stationName: 'Counter', orders: 1, avgSeconds: 30, p90Seconds: 40 },
        { stationId: 'kitchen', stationName: 'Kitchen', orders: 4, avgSeconds: Math.round((200 + 300 + 450 + 7000) / 4), p90Seconds: 7010 },
      ],
    } satisfies TicketTimes,
    'order-mix': {
      service: money((s) => s.mode).map(({ key, ...r }) => ({ mode: key as OrderMix['service'][number]['mode'], ...r })),
      payment: money((s) => s.method).map(({ key, ...r }) => ({ method: key as OrderMix['payment'][number]['method'], ...r })),
    } satisfies OrderMix,
  };
}

const NAMES = ['sales-by-day', 'sales-by-hour', 'item-mix', 'ticket-times', 'order-mix'] as const;

async function allReports(from: string, to: string, client?: AdminClient, storeIds?: string[]) {
  return Object.fromEntries(await Promise.all(NAMES.map(async (name) => [name, await report(name, from, to, client, storeIds)] as const)));
}

/** The days from `first` to `last`, both included. */
function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = plusDays(day, 1)) days.push(day);
  return days;
}

/** A store's last closed day: the day before the one it was an hour ago. */
const lastClosed = (store: Store) => plusDays(businessDay(new Date(Date.now() - GRACE_MS), store.timeZone), -1);

const sortDays = (days: StoreDay[]) => [...days].sort((x, y) => (x.businessDay + x.storeId < y.businessDay + y.storeId ? -1 : 1));

async function upToDate(store: Store, day: string) {
  return (await stack.db.dailySummary.findUnique({ where: { storeId_businessDay: { storeId: store.id, businessDay: day } } }))?.upToDate;
}

/** The report as a spreadsheet, its rows as cells. */
async function spreadsheet(name: string, query: string, token = owner.token) {
  const response = await fetch(new URL(`/api/reports/${name}.csv?${query}`, stack.url), { headers: { authorization: `Bearer ${token}` } });
  // Decoded by hand: fetch's text() would drop the byte order mark.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return { response, text, rows: Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data };
}

describe('reports', () => {
  const stores = () => [amsterdam.id, newYork.id];

  it('reads days without a summary from their orders, each store by its own calendar and clock', async () => {
    expect(await summaries()).toEqual([]);
    expect(await allReports(D3, today, owner, stores())).toEqual(expectedReports('today'));
    expect(await allReports(D3, D2, owner, stores())).toEqual(expectedReports('D2'));
  });

  it('reads closed days from their summaries, written once at each store’s close of day', async () => {
    const written = await closeOfDay().summariseDue();
    // Every day from each store's first order to its last closed one, the days without orders too.
    const expected = [amsterdam, newYork].flatMap((store) => daysFrom(D3, lastClosed(store)).map((businessDay) => ({ storeId: store.id, businessDay })));
    expect(sortDays(written)).toEqual(sortDays(expected));
    expect(await closeOfDay().summariseDue()).toEqual([]);
    expect(await allReports(D3, D2, owner, stores())).toEqual(expectedReports('D2'));

    // The reports read the summaries: change each summary table and each report changes with it.
    const [storeId, day] = [amsterdam.id, D3];
    await stack.db.$transaction([
      stack.db.dailyOrderMix.updateMany({ where: { storeId, businessDay: day }, data: { salesCents: { increment: 1000 } } }),
      stack.db.dailyHourSales.updateMany({ where: { storeId, businessDay: day }, data: { salesCents: { increment: 1000 } } }),
      stack.db.dailyItemSales.updateMany({ where: { storeId, businessDay: day }, data: { quantity: { increment: 10 } } }),
      stack.db.dailyTicketTimes.updateMany({ where: { storeId, businessDay: day }, data: { totalMs: { increment: 1_000_000 } } }),
    ]);
    const changed = await allReports(D3, D2, owner, stores());
    for (const name of NAMES) expect(changed[name], name).not.toEqual(expectedReports('D2')[name]);
    // Written again, they are as the orders say.
    await stack.db.dailySummary.update({ where: { storeId_businessDay: { storeId, businessDay: day } }, data: { upToDate: false } });
    expect(await closeOfDay().summariseDue()).toEqual([{ storeId, businessDay: day }]);
    expect(await allReports(D3, D2, owner, stores())).toEqual(expectedReports('D2'));
  });

  it('adds up summarised days and today, read from its orders', async () => {
    expect(await upToDate(amsterdam, D3)).toBe(true);
    expect(await allReports(D3, today, owner, stores())).toEqual(expectedReports('today'));
    // Left out, the stores are every store the owner sees: the third has sold nothing.
    expect(await allReports(D3, today)).toEqual(expectedReports('today'));
  });

  it('gives each report as a spreadsheet: a header row, money in its currency, formulas neutralised', async () => {
    const query = new URLSearchParams({ from: D3, to: D2, storeIds: stores().join(',') }).toString();
    const items = await spreadsheet('item-mix', query);
    expect(items.response.status).toBe(200);
    expect(items.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(items.response.headers.get('content-disposition')).toBe(`attachment; filename="item-mix ${D3} ${D2}.csv"`);
    expect(items.text.startsWith('\uFEFFitem id,name,quantity,currency,sales\r\n')).toBe(true);
    expect(items.text).toContain('\r\ncroissant,"Croissant, ""warm""",1,EUR,2.60\r\n');
    // A cell a spreadsheet would run as a formula is written as text.
    expect(items.text).toContain(`\r\ncookie,"'=1+2 cookie",2,EUR,5.00\r\n`);
    expect(items.rows.slice(1)).toEqual(expectedReports('D2')['item-mix'].rows.map((r) => [r.itemId, r.name.startsWith('=') ? `'${r.name}` : r.name, String(r.quantity), r.currency, (r.salesCents / 100).toFixed(2)]));

    const expected = expectedReports('D2');
    const money = (r: { currency: string; orders: number; salesCents: number }) => [r.currency, String(r.orders), (r.salesCents / 100).toFixed(2)];
    const sheets: Record<Exclude<(typeof NAMES)[number], 'item-mix'>, string[][]> = {
      'sales-by-day': [['day', 'currency', 'orders', 'sales'], ...expected['sales-by-day'].rows.map((r) => [r.day, ...money(r)])],
      'sales-by-hour': [['hour', 'currency', 'orders', 'sales'], ...expected['sales-by-hour'].rows.map((r) => [String(r.hour), ...money(r)])],
      'ticket-times': [
        ['store or station', 'id', 'name', 'tickets', 'average seconds', 'p90 seconds'],
        ...expected['ticket-times'].stores.map((r) => ['store', r.storeId, r.storeName, String(r.orders), String(r.avgSeconds), String(r.p90Seconds)]),
        ...expected['ticket-times'].stations.map((r) => ['station', r.stationId, r.stationName, String(r.orders), String(r.avgSeconds), String(r.p90Seconds)]),
      ],
      'order-mix': [
        ['by', 'way', 'currency', 'orders', 'sales'],
        ...expected['order-mix'].service.map((r) => ['service', r.mode, ...money(r)]),
        ...expected['order-mix'].payment.map((r) => ['payment', r.method, ...money(r)]),
      ],
    };
    for (const [name, rows] of Object.entries(sheets)) expect((await spreadsheet(name, query)).rows, name).toEqual(rows);
  });

  it('shows a manager their own stores only, and refuses menu editors', async () => {
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [amsterdam.id] });
    const mine = await allReports(D3, D2, manager);
    const expected = expectedReports('D2');
    expect(mine['sales-by-day']).toEqual({ rows: expected['sales-by-day'].rows.filter((r) => r.currency === 'EUR') });
    expect(mine['ticket-times']).toMatchObject({ stores: [{ storeId: amsterdam.id, orders: 4 }], stations: [{ stationId: 'bar', orders: 2 }, { stationId: 'counter' }, { stationId: 'kitchen', orders: 3 }] });
    // A store whose menu names no station: its stations go by their ids.
    const newYorkStations = (await report<TicketTimes>('ticket-times', D3, D2, owner, [newYork.id])).stations;
    expect(newYorkStations.length).toBeGreaterThan(0);
    expect(newYorkStations.map((s) => s.stationName)).toEqual(newYorkStations.map((s) => s.stationId));
    for (const storeIds of [[newYork.id], [amsterdam.id, newYork.id], [randomUUID()]]) {
      const refused = await manager.request('GET', `/api/reports/sales-by-day?from=${D3}&to=${D2}&storeIds=${storeIds.join(',')}`);
      expect(refused).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    }
    const editor = await adminClient(stack.db, stack.url, { role: 'editor' });
    for (const path of [`/api/reports/order-mix?from=${D3}&to=${D2}`, `/api/reports/order-mix.csv?from=${D3}&to=${D2}`]) {
      expect(await editor.request('GET', path)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
      expect(await fetch(new URL(path, stack.url))).toMatchObject({ status: 401 });
    }
  });

  it('refuses bad input with a clear error, changing nothing', async () => {
    const before = await summaries();
    const refusal = async (query: string, path = 'sales-by-day') => {
      const { status, body } = await owner.request<{ error: { code: string; path?: string; message: string } }>('GET', `/api/reports/${path}?${query}`);
      return { status, code: body.error?.code, path: body.error?.path, message: body.error?.message };
    };
    expect(await refusal('from=2017-01-01&to=2026-12-31')).toMatchObject({ status: 400, code: 'REPORT_RANGE_TOO_LONG', message: expect.stringContaining('3652 days') });
    expect(await refusal('from=2026-01-01&to=2027-01-02', 'item-mix.csv')).toMatchObject({ status: 400, code: 'REPORT_RANGE_TOO_LONG' });
    // 366 days, a leap year's, are fine.
    expect((await owner.request('GET', '/api/reports/sales-by-day?from=2028-01-01&to=2028-12-31')).status).toBe(200);
    expect(await refusal(`from=${D2}&to=${D3}`)).toMatchObject({ status: 400, code: 'INVALID_PAYLOAD', path: 'to' });
    for (const query of ['from=2027-02-29&to=2027-03-01', 'from=yesterday&to=2026-01-01', 'from=2026-1-1&to=2026-01-02', 'to=2026-01-02', `from=${D3}&to=${D2}&storeIds=`, `from=${D3}&to=${D2}&storeIds=not-a-store`, `from=${D3}&to=${D2}&store=${amsterdam.id}`]) {
      expect(await refusal(query), query).toMatchObject({ status: 400, code: 'INVALID_PAYLOAD' });
    }
    expect(await refusal(`from=${D3}&to=${D2}&storeIds=${amsterdam.id},${randomUUID()}`)).toMatchObject({ status: 404, code: 'STORE_NOT_FOUND', path: 'storeIds' });
    expect(await summaries()).toEqual(before);
  });

  it('marks a summarised day out of date when an order or a bump reaches it late, and writes it again', async () => {
    const late = await place(amsterdam, at(D3, '15:00', amsterdam.timeZone), [line('brownie', 1, 380, 'counter')], { service: { mode: 'takeaway' }, payment: 'card' }, [
      { after: 40, lines: [1] },
      { after: 50, ready: true },
    ]);
    // In the order's own transaction: the report reads that day from its orders at once.
    expect(await upToDate(amsterdam, D3)).toBe(false);
    const withLate = (report: SalesByDay) => report.rows.find((r) => r.day === D3 && r.currency === 'EUR');
    expect(withLate(await report<SalesByDay>('sales-by-day', D3, D2))).toEqual({ day: D3, currency: 'EUR', orders: 3, salesCents: 1280 + 380 });
    expect(await closeOfDay().summariseDue()).toEqual([{ storeId: amsterdam.id, businessDay: D3 }]);
    expect(withLate(await report<SalesByDay>('sales-by-day', D3, D2))).toEqual({ day: D3, currency: 'EUR', orders: 3, salesCents: 1280 + 380 });
    expect((await report<TicketTimes>('ticket-times', D3, D2, owner, [amsterdam.id])).stores).toEqual([expect.objectContaining({ orders: 5, avgSeconds: Math.round((300 + 95 + 400 + 500 + 50) / 5) })]);

    // A recall from a kitchen screen that was offline.
    await merge(amsterdam, amsterdam.kitchen, [{ kind: 'order.lines', orderId: late.id, lineNos: [1], done: false, hlc: formatHlc({ millis: Date.parse(late.placedAt) + 90_000, counter: 0, deviceId: amsterdam.kitchen.id }) }]);
    expect(await upToDate(amsterdam, D3)).toBe(false);
    expect(await closeOfDay().summariseDue()).toEqual([{ storeId: amsterdam.id, businessDay: D3 }]);
    // Today's orders mark nothing: today has no summary yet.
    await place(amsterdam, new Date(), [line('espresso', 1, 260, 'bar')], { payment: 'card' });
    expect((await summaries()).filter((s) => !s.upToDate)).toEqual([]);
  });

  it('writes each day once when three schedulers race for it', async () => {
    const tokyo = await openStore({ ...DEMO_STORE, name: 'Tillsync Café Tokyo', timeZone: 'Asia/Tokyo', currency: 'JPY' });
    const first = plusDays(D3, -4);
    for (const day of daysFrom(first, D3)) await place(tokyo, at(day, '12:30', tokyo.timeZone), [line('matcha-latte', 1, 600, 'bar')], { payment: 'card' });
    const nodes = [closeOfDay(), closeOfDay(), closeOfDay()];
    const written = (await Promise.all(nodes.map((node) => node.summariseDue()))).flat();
    expect(sortDays(written)).toEqual(daysFrom(first, lastClosed(tokyo)).map((businessDay) => ({ storeId: tokyo.id, businessDay })));
    expect((await report<SalesByDay>('sales-by-day', first, D3, owner, [tokyo.id])).rows).toEqual(daysFrom(first, D3).map((day) => ({ day, currency: 'JPY', orders: 1, salesCents: 600 })));
    expect(await upToDate(tokyo, first)).toBe(true);
  });

  it('waits for an upload of the day still in flight before it writes the day', async () => {
    const lisbon = await openStore({ ...DEMO_STORE, name: 'Tillsync Café Lisbon', timeZone: 'Europe/Lisbon' });
    await place(lisbon, at(D2, '10:00', lisbon.timeZone), [line('espresso', 1, 260, 'bar')], { payment: 'card' });
    // A second order of that day, merged but not committed yet when the close of day begins.
    let merged!: () => void;
    let commit!: () => void;
    const inTransaction = new Promise<void>((resolve) => (merged = resolve));
    const held = new Promise<void>((resolve) => (commit = resolve));
    const slowCommit = {
      transaction: <T>(work: Parameters<SqlPool['transaction']>[0]) =>
        sql.transaction(async (tx) => {
          const result = (await work(tx)) as T;
          merged();
          await held;
          return result;
        }),
    };
    const upload = merge(lisbon, lisbon.kiosk, [{ kind: 'order.place', order: orderOf(lisbon, at(D2, '11:00', lisbon.timeZone), [line('latte', 1, 380, 'bar')], { payment: 'card' }) }], slowCommit);
    await inTransaction;
    const closing = closeOfDay().summariseDue();
    // The close of day takes the day, then waits for the upload's lock on it.
    await eventually(async () => (await sql.$queryRawUnsafe<Array<{ waiting: number }>>(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0]!.waiting);
    commit();
    await upload;
    expect(await closing).toContainEqual({ storeId: lisbon.id, businessDay: D2 });
    expect(await stack.db.dailyOrderMix.findMany({ where: { storeId: lisbon.id, businessDay: D2 }, select: { orders: true, salesCents: true } })).toEqual([{ orders: 2, salesCents: 640n }]);
    expect(await upToDate(lisbon, D2)).toBe(true);
  });

  it('survives a node dying mid-summary and a restart: the next scheduler writes the day', async () => {
    await place(amsterdam, at(D2, '18:00', amsterdam.timeZone), [line('brownie', 1, 380, 'counter')], { payment: 'card' });
    expect(await upToDate(amsterdam, D2)).toBe(false);
    // A node takes the day and dies before it commits.
    const node = new pg.Client({ connectionString: stack.databaseUrl });
    node.on('error', () => {});
    await node.connect();
    await node.query('BEGIN');
    await node.query(`SELECT 1 FROM "DailySummary" WHERE "storeId" = $1 AND "businessDay" = $2 FOR UPDATE`, [amsterdam.id, D2]);
    expect(await closeOfDay().summariseDue()).toEqual([]);
    await sql.$queryRawUnsafe('SELECT pg_terminate_backend($1)', (node as unknown as { processID: number }).processID);
    // The server's own scheduler, after a restart, on today's clock.
    stack.clock.offsetMs = 0;
    await stack.restartServer();
    await eventually(() => upToDate(amsterdam, D2));
    // (A new session: the old one was made 40 days before the server's clock now says.)
    const later = await adminClient(stack.db, stack.url);
    expect((await report<SalesByDay>('sales-by-day', D2, D2, later, [amsterdam.id])).rows).toEqual([{ day: D2, currency: 'EUR', orders: 3, salesCents: 890 + 1050 + 380 }]);
  });
});
