// Kitchen stations through real terminal cores, a real server and PostgreSQL: an order is split by
// the menu's item → station map; each station bumps its own lines, item by item or whole; expo sees
// every station's progress and sends the order out; in a store where the order is ready once every
// station is done, exactly one display says so, even when two finish at the same moment offline.
// And terminals from before stations keep reading the feed with the schemas they were built with.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import {
  ChangeSchema,
  DEFAULT_KITCHEN_SETTINGS,
  DeviceProfileSchema,
  HelloResponseSchema,
  KitchenSettingsSchema,
  PullResponseSchema,
  SnapshotResponseSchema,
  StoreProfileSchema,
  StoreSettingsSchema,
  type HelloResponse,
  type KitchenSettings,
  type PushResponse,
} from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { OrderRecordSchema, PricedLineSchema } from '#protocol/orders';
import type { MenuView, Ticket, TicketList } from '#terminal-api/contract';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments } from '../support/payments';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  await stack.close();
});

const tickets = (t: TestTerminal): Promise<TicketList> => t.core.api.listTickets();
const find = (list: TicketList, orderId: string): Ticket | undefined => [...list.active, ...list.recent].find((x) => x.id === orderId);
const pending = async (...terminals: TestTerminal[]) => (await Promise.all(terminals.map((t) => t.core.api.getStatus()))).reduce((n, s) => n + s.pendingUploads, 0);

/**
 * Head office sets the displays and the store's kitchen; each display learns it at its next hello,
 * and the stations' names from the menu it loads after.
 */
async function setUp(stations: Array<[TestTerminal, string[], boolean]>, kitchen: Partial<KitchenSettings> = {}): Promise<void> {
  for (const [terminal, ids, expo] of stations) await stack.db.device.update({ where: { id: terminal.deviceId }, data: { stations: ids, expo } });
  await stack.db.store.update({ where: { id: stack.storeId }, data: { kitchen: { ...DEFAULT_KITCHEN_SETTINGS, ...kitchen } } });
  await stack.restartServer();
  const names = new Map((await loadDemoMenuDocument()).stations?.map((s) => [s.id, s.name]));
  for (const [terminal, ids, expo] of stations) {
    const named = ids.map((id) => ({ id, name: names.get(id) }));
    await eventually(async () => {
      const { screen } = await tickets(terminal);
      return screen.expo === expo && JSON.stringify(screen.stations) === JSON.stringify(named);
    });
  }
}

/** A latte (made at the bar) and a croissant (made in the kitchen, 180 s). */
async function placeLatteAndCroissant(kiosk: TestTerminal): Promise<string> {
  const shown = await eventually(async () => (await kiosk.core.api.getMenu()) as MenuView | null);
  const lines = [
    { itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] },
    { itemId: 'croissant', quantity: 2, optionIds: ['serve-warm'] },
  ];
  return (await kiosk.core.api.placeOrder({ menuVersionId: shown.versionId, lines, expectedTotalCents: 380 + 2 * 260 })).id;
}

describe('stations and expo', () => {
  it('splits an order by station, bumps it item by item, and shows each station’s progress to expo and the order ready on the board', async () => {
    const kiosk = await stack.terminal('kiosk');
    const bar = await stack.terminal('kitchen', { name: 'Bar' });
    const grill = await stack.terminal('kitchen', { name: 'Kitchen' });
    const expo = await stack.terminal('kitchen', { name: 'Expo' });
    const board = await stack.terminal('board');
    await setUp([
      [bar, ['bar'], false],
      [grill, ['kitchen'], false],
      [expo, [], true],
    ]);
    expect((await tickets(bar)).screen.stations).toEqual([{ id: 'bar', name: 'Bar' }]);

    const orderId = await placeLatteAndCroissant(kiosk);
    const atBar = await eventually(async () => (await tickets(bar)).active.find((t) => t.id === orderId));
    const atGrill = await eventually(async () => (await tickets(grill)).active.find((t) => t.id === orderId));
    const atExpo = await eventually(async () => (await tickets(expo)).active.find((t) => t.id === orderId));
    expect(atBar.lines.map((l) => l.name)).toEqual(['Caffè Latte']);
    expect(atGrill.lines.map((l) => l.name)).toEqual(['Butter Croissant']);
    expect(atExpo.lines.map((l) => l.name)).toEqual(['Caffè Latte', 'Butter Croissant']);
    expect(atExpo.stations).toEqual([
      { id: 'bar', name: 'Bar', done: false },
      { id: 'kitchen', name: 'Kitchen', done: false },
    ]);
    // Fire by prep time: the latte (no prep time) starts when the croissants have 0 s left to go.
    expect(Date.parse(atBar.lines[0]!.fireAt) - Date.parse(atGrill.lines[0]!.fireAt)).toBe(180_000);
    expect((await tickets(grill)).allDay).toEqual([{ name: 'Butter Croissant', quantity: 2 }]);

    // The bar makes its latte: it leaves the bar's screen for its recall drawer; expo sees the bar done.
    await bar.core.api.bumpItem({ orderId, lineNo: 1 });
    const barList = await tickets(bar);
    expect(barList.active.some((t) => t.id === orderId)).toBe(false);
    expect(barList.recent.find((t) => t.id === orderId)?.finishedAt).toEqual(expect.any(String));
    await eventually(async () => (await tickets(expo)).active.find((t) => t.id === orderId)?.stations[0]?.done === true);
    // The kitchen bumps its whole part; the order waits for expo in a store whose expo sends it out.
    await grill.core.api.bumpTicket({ orderId });
    await eventually(async () => (await tickets(expo)).active.find((t) => t.id === orderId)?.stations.every((s) => s.done));
    await eventually(async () => (await pending(bar, grill)) === 0);
    expect((await stack.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('preparing');
    const lines = await stack.db.orderLine.findMany({ where: { orderId }, orderBy: { lineNo: 'asc' } });
    expect(lines.map((l) => [l.stationId, l.prepSeconds, l.done])).toEqual([
      ['bar', null, true],
      ['kitchen', 180, true],
    ]);
    expect(await stack.db.lineStatusEvent.count({ where: { orderId } })).toBe(2);

    await expo.core.api.bumpTicket({ orderId });
    await eventually(async () => (await board.core.api.getBoard()).ready.some((r) => r.number === atExpo.number));
    expect((await tickets(expo)).recent.find((t) => t.id === orderId)?.status).toBe('ready');
  });

  it('a station recalls its line: made again, and an order sent out comes back to the kitchen', async () => {
    const kiosk = await stack.terminal('kiosk');
    const bar = await stack.terminal('kitchen', { name: 'Bar' });
    const expo = await stack.terminal('kitchen', { name: 'Expo' });
    await setUp([
      [bar, ['bar'], false],
      [expo, [], true],
    ]);
    const orderId = await placeLatteAndCroissant(kiosk);
    await eventually(async () => (await tickets(bar)).active.some((t) => t.id === orderId));
    await bar.core.api.bumpTicket({ orderId });
    await expect(bar.core.api.bumpTicket({ orderId })).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    await eventually(async () => (await tickets(expo)).active.find((t) => t.id === orderId)?.stations[0]?.done);
    await expo.core.api.bumpTicket({ orderId }); // ready, though the croissants were never bumped
    await eventually(async () => find(await tickets(bar), orderId)?.status === 'ready');

    const recalled = await bar.core.api.recallTicket({ orderId });
    expect(recalled.status).toBe('preparing');
    expect(recalled.lines[0]!.done).toBe(false);
    await eventually(async () => (await tickets(expo)).active.find((t) => t.id === orderId)?.stations[0]?.done === false);
    // An item bump toggles: made, then taken back.
    await bar.core.api.bumpItem({ orderId, lineNo: 1 });
    expect((await bar.core.api.bumpItem({ orderId, lineNo: 1 })).lines[0]!.done).toBe(false);
    await expect(bar.core.api.bumpItem({ orderId, lineNo: 2 })).rejects.toMatchObject({ code: 'LINE_NOT_FOUND' });
    await eventually(async () => (await pending(bar, expo)) === 0);
    const history = await stack.db.lineStatusEvent.findMany({ where: { orderId, lineNo: 1 }, orderBy: { hlc: 'asc' } });
    expect(history.map((e) => e.done)).toEqual([true, false, true, false]);
  });
});

describe('ready when every station is done', () => {
  it('sends ready exactly once when two stations finish their last lines at the same moment, offline', async () => {
    const kiosk = await stack.terminal('kiosk');
    const bar = await stack.terminal('kitchen', { name: 'Bar' });
    const grill = await stack.terminal('kitchen', { name: 'Kitchen' });
    const board = await stack.terminal('board');
    await setUp(
      [
        [bar, ['bar'], false],
        [grill, ['kitchen'], false],
      ],
      { readyWhen: 'all-stations' },
    );
    const orderId = await placeLatteAndCroissant(kiosk);
    await eventually(async () => (await tickets(bar)).active.some((t) => t.id === orderId) && (await tickets(grill)).active.some((t) => t.id === orderId));

    // The link drops; each station finishes its part seeing the other's still open.
    await stack.stopServer();
    await bar.core.api.bumpTicket({ orderId });
    await grill.core.api.bumpTicket({ orderId });
    for (const station of [bar, grill]) expect(find(await tickets(station), orderId)?.status).toBe('preparing');
    await stack.startServer();

    await eventually(async () => (await stack.db.order.findUniqueOrThrow({ where: { id: orderId } })).status === 'ready', 15_000);
    await eventually(async () => (await pending(bar, grill)) === 0 && find(await tickets(bar), orderId)?.status === 'ready' && find(await tickets(grill), orderId)?.status === 'ready');
    // Both displays have now applied both bumps: had either sent ready again, it would be on its way.
    const events = await stack.db.orderStatusEvent.findMany({ where: { orderId } });
    expect(events.map((e) => e.status)).toEqual(['ready']);
    // The display whose bump came last said it.
    const last = (await stack.db.lineStatusEvent.findMany({ where: { orderId }, orderBy: { hlc: 'desc' }, take: 1 }))[0]!;
    expect(events[0]!.deviceId).toBe(last.deviceId);
    await eventually(async () => (await board.core.api.getBoard()).ready.length === 1);
  });

  it('in a store where expo sends orders out, a finished order waits for expo', async () => {
    const kiosk = await stack.terminal('kiosk');
    const all = await stack.terminal('kitchen', { name: 'Every station' });
    await setUp([[all, [], false]]);
    const orderId = await placeLatteAndCroissant(kiosk);
    await eventually(async () => (await tickets(all)).active.some((t) => t.id === orderId));
    await all.core.api.bumpItem({ orderId, lineNo: 1 });
    const ticket = await all.core.api.bumpItem({ orderId, lineNo: 2 });
    expect(ticket.lines.every((l) => l.done)).toBe(true);
    expect(ticket.status).toBe('preparing');
    expect((await all.core.api.bumpTicket({ orderId })).status).toBe('ready');
  });
});

describe('over the wire', () => {
  const connect = async (role: 'kiosk' | 'kitchen', changeKinds: string[]): Promise<ProtocolClient & { hello: HelloResponse }> => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role, name: `${role} ${changeKinds.join('+')}` });
    const client = await connectProtocolClient(stack.url, { token, menuFormats: [1, 2], changeKinds });
    const hello = await client.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
    if (!hello.ok) throw new Error(JSON.stringify(hello.error));
    return Object.assign(client, { hello: hello.data });
  };
  const push = async (client: ProtocolClient, mutations: unknown[]) => {
    const answer = await client.request<PushResponse>('mutations:push', { mutations });
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.data.results;
  };
  const clockOf = (client: { hello: HelloResponse }, counter = 0) => formatHlc({ millis: Date.now(), counter, deviceId: client.hello.device.id });

  it('refuses bumps of lines an order does not have and from a kiosk, and puts off those of an order not held yet; a retry is a duplicate', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk' })).token);
    const kitchen = await connect('kitchen', ['store.changed', 'order.paid', 'order.lines', 'store.peers']);
    const order = orderUpload(menu, `${kiosk.hello.device.orderPrefix}001`);
    expect((await push(kiosk, [{ id: 1, kind: 'order.place', order }])).map((r) => r.outcome)).toEqual(['applied']);
    const bump = { id: 1, kind: 'order.lines', orderId: order.id, lineNos: [1, 2], done: true, hlc: clockOf(kitchen) };
    expect(await push(kitchen, [bump])).toEqual([{ id: 1, outcome: 'applied' }]);
    expect(await push(kitchen, [{ ...bump, id: 2 }])).toEqual([{ id: 2, outcome: 'duplicate' }]);
    const refusals = await push(kitchen, [
      { id: 3, kind: 'order.lines', orderId: order.id, lineNos: [3], done: true, hlc: clockOf(kitchen, 1) },
      { id: 4, kind: 'order.lines', orderId: '0195f3c8-0000-7000-8000-000000000001', lineNos: [1], done: true, hlc: clockOf(kitchen, 2) },
    ]);
    expect(refusals.map((r) => r.error?.code)).toEqual(['LINE_NOT_FOUND', 'ORDER_NOT_YET_HELD']);
    expect((await push(kiosk, [{ id: 2, kind: 'order.lines', orderId: order.id, lineNos: [1], done: false, hlc: clockOf(kiosk) }]))[0]!.error?.code).toBe('FORBIDDEN_FOR_ROLE');
    const malformed = await kitchen.request('mutations:push', { mutations: [{ id: 5, kind: 'order.lines', orderId: order.id, lineNos: [1, 1], done: true, hlc: clockOf(kitchen, 3) }] });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await stack.db.lineStatusEvent.count()).toBe(2);
    kiosk.close();
    kitchen.close();
  });

  it('terminals from before stations read every change, pull, snapshot and hello with their own strict schemas', async () => {
    // The shapes of a terminal that names `order.paid` but not `order.lines`, as it was built.
    const OldLine = PricedLineSchema;
    const OldOrder = OrderRecordSchema.extend({ lines: z.array(OldLine) });
    const OldStore = StoreSettingsSchema.omit({ kitchen: true });
    const OldHello = HelloResponseSchema.extend({ device: DeviceProfileSchema.omit({ kitchen: true }), store: StoreProfileSchema.omit({ kitchen: true }) });
    const newer = ['order.placed', 'store.changed', 'order.lines', 'device.stations'];
    const OldChange = z.discriminatedUnion('kind', [
      z.strictObject({ seq: z.int().min(1), at: z.iso.datetime(), kind: z.literal('order.placed'), order: OldOrder }),
      z.strictObject({ seq: z.int().min(1), at: z.iso.datetime(), kind: z.literal('store.changed'), store: OldStore }),
      ...ChangeSchema.options.filter((o) => !newer.includes(o.shape.kind.value)),
    ]);
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk' })).token);
    const current = await connect('kitchen', ['store.changed', 'order.paid', 'order.lines']);
    const old = await connect('kitchen', ['store.changed', 'order.paid']);
    expect(OldHello.parse(old.hello)).toEqual(old.hello);
    expect(current.hello.device.kitchen).toEqual({ stations: [], expo: false });
    expect(KitchenSettingsSchema.parse(current.hello.store.kitchen)).toEqual(DEFAULT_KITCHEN_SETTINGS);

    const order = orderUpload(menu, `${kiosk.hello.device.orderPrefix}001`, [LATTE]);
    await push(kiosk, [{ id: 1, kind: 'order.place', order }]);
    await push(current, [{ id: 1, kind: 'order.lines', orderId: order.id, lineNos: [1], done: true, hlc: clockOf(current) }]);
    const head = kiosk.hello.headSeq + 2;
    await eventually(() => old.live.some((c) => c.seq === head) && current.live.some((c) => c.seq === head));
    const oldLive = z.array(OldChange).parse(old.live);
    expect(oldLive.map((c) => c.kind)).toEqual(['order.placed', 'device.revoked']);
    expect(current.live.map((c) => ChangeSchema.parse(c).kind)).toEqual(['order.placed', 'order.lines']);
    expect(current.live[0]).toMatchObject({ order: { lines: [{ itemId: 'latte', stationId: 'bar' }] } });
    const pulled = await old.request('feed:pull', { after: kiosk.hello.headSeq });
    expect(z.array(OldChange).parse((pulled as { data: { changes: unknown } }).data.changes)).toEqual(oldLive);
    const oldSnapshot = await old.request('feed:snapshot', {});
    SnapshotResponseSchema.extend({ orders: z.array(OldOrder), store: OldStore.optional() }).parse((oldSnapshot as { data: unknown }).data);
    const snapshot = SnapshotResponseSchema.parse((await current.request('feed:snapshot', {}) as { data: unknown }).data);
    expect(snapshot.orders[0]!.lines[0]).toMatchObject({ stationId: 'bar', state: { done: true } });
    expect(PullResponseSchema.parse((await current.request('feed:pull', { after: kiosk.hello.headSeq }) as { data: unknown }).data).changes).toEqual(current.live);
    for (const client of [kiosk, current, old]) client.close();
  });
});
