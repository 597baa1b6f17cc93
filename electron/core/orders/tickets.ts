// The kitchen display's tickets. A display makes the lines of its stations (head office sets them
// per device; none: every line), or is expo, which sends whole orders out. A station bumps its
// lines, one by one or all at once: each bump is a line event stamped by this terminal's hybrid
// clock. Expo (and a display of every station) moves the order itself: preparing → ready → served.
// Recall brings either back one step.
import { businessDay } from '#protocol/businessDay';
import { AppError } from '#protocol/errors';
import { parseHlc } from '#protocol/hlc';
import type { MenuDocument } from '#protocol/menu';
import type { OrderStatus, Payment, PricedModifierSchema, ServiceMode } from '#protocol/orders';
import type { z } from 'zod';
import type { KitchenScreen, LineAction, Ticket, TicketAction, TicketLine, TicketList } from '../api/contract';
import { profileOf, type CoreContext } from '../context';
import type { LocalSql } from '../db/localSql';
import { kitchenSettingsOf, kitchenStationsOf, updateSettings } from '../deviceSettings';
import { publishToPeers } from '../peers/peerFeed';
import { enqueue } from '../sync/outbox';
import { markPaid as recordPaid, mergeLineEvents, mergeStatusEvents } from './orderRows';
import { readyWhenMade } from './readyWhenMade';

const MAX_ACTIVE = 200;
/** Finished tickets the recall drawer offers. */
const RECENT = 30;

type Modifier = z.output<typeof PricedModifierSchema>;

interface LineRow {
  lineNo: number;
  itemId: string;
  name: string;
  quantity: number;
  modifiers: Modifier[];
  stationId: string | null;
  prepSeconds: number | null;
  done: boolean;
  doneHlc: string | null;
}
interface OrderRow {
  id: string;
  number: string;
  placedAt: string;
  status: OrderStatus;
  statusHlc: string | null;
  serviceMode: string | null;
  tableNumber: string | null;
  payment: string | null;
  awaitingPayment: boolean;
  menuVersionId: string;
  lines: LineRow[];
}
type Stored<T> = { [K in keyof T]: T[K] extends boolean ? number : T[K] extends Modifier[] ? string : T[K] };

/**
 * Orders with their lines, read straight from the terminal's SQLite file: a kitchen screen reads its
 * tickets again on every change it shows, many times a second at a rush.
 */
function readOrders(sql: LocalSql, where: string, ...params: unknown[]): OrderRow[] {
  const orders = sql.all<Stored<Omit<OrderRow, 'lines'>>>(
    `SELECT id, number, placedAt, status, statusHlc, serviceMode, tableNumber, payment, awaitingPayment, menuVersionId FROM "Order" WHERE ${where}`,
    ...params,
  );
  if (orders.length === 0) return [];
  const lines = new Map<string, LineRow[]>(orders.map((o) => [o.id, []]));
  for (const { orderId, modifiers, done, ...line } of sql.all<Stored<LineRow> & { orderId: string }>(
    `SELECT orderId, lineNo, itemId, name, quantity, modifiers, stationId, prepSeconds, done, doneHlc FROM OrderLine
      WHERE orderId IN (SELECT value FROM json_each(?)) ORDER BY orderId, lineNo`,
    JSON.stringify(orders.map((o) => o.id)),
  )) {
    lines.get(orderId)!.push({ ...line, modifiers: JSON.parse(modifiers) as Modifier[], done: done === 1 });
  }
  return orders.map((o) => ({ ...o, awaitingPayment: o.awaitingPayment === 1, lines: lines.get(o.id)! }));
}

/** The time a hybrid clock names. */
const timeOf = (hlc: string | null) => {
  const clock = hlc ? parseHlc(hlc) : null;
  return clock ? new Date(clock.millis).toISOString() : null;
};

/** What this display is set to show, with the names the store's current menu gives its stations. */
async function screenOf(ctx: CoreContext): Promise<KitchenScreen & { menuStations: Map<string, string> }> {
  const settings = ctx.settings();
  const profile = profileOf(ctx);
  const menu = settings.menuVersionId ? await ctx.menus.document(settings.menuVersionId) : null;
  const menuStations = new Map((menu?.stations ?? []).map((s) => [s.id, s.name]));
  const { stations, expo } = kitchenStationsOf(settings);
  return {
    stations: stations.map((id) => ({ id, name: menuStations.get(id) ?? id })),
    expo,
    settings: kitchenSettingsOf(settings),
    timeZone: profile.timeZone,
    menuStations,
  };
}

/** Expo, or a display of every station: it moves whole orders. */
const movesOrders = (screen: KitchenScreen) => screen.expo || screen.stations.length === 0;

/** The lines a display makes: its stations' and those of no station; every line when it moves whole orders. */
function makes(screen: KitchenScreen): (line: { stationId: string | null }) => boolean {
  if (movesOrders(screen)) return () => true;
  const ids = new Set(screen.stations.map((s) => s.id));
  return (line) => line.stationId === null || ids.has(line.stationId);
}

/** When the kitchen could start an order: when it was placed, or when a held counter order was paid. */
function startOf(order: Pick<OrderRow, 'placedAt' | 'payment'>): Date {
  const payment = order.payment ? (JSON.parse(order.payment) as Payment) : null;
  return payment?.method === 'counter' && payment.held && payment.paidAt ? new Date(payment.paidAt) : new Date(order.placedAt);
}

type Allergens = TicketLine['allergens'];
/** Each item's and option's allergens by id, worked out once per menu version (versions never change). */
const allergenIndex = new WeakMap<MenuDocument, Map<string, Allergens>>();
function allergensById(menu: MenuDocument): Map<string, Allergens> {
  let index = allergenIndex.get(menu);
  if (!index) {
    // Items and options are named apart: the menu may give an option an item's id.
    index = new Map([...menu.items.map((i) => [`item:${i.id}`, i.allergens] as const), ...menu.modifierGroups.flatMap((g) => g.options.map((o) => [`option:${o.id}`, o.allergens] as const))]);
    allergenIndex.set(menu, index);
  }
  return index;
}

/** What a line's dish and its chosen options contain, from the menu it was ordered from. */
function allergensOf(menu: MenuDocument | null, itemId: string, modifiers: Modifier[]): Allergens {
  if (!menu) return [];
  const index = allergensById(menu);
  return [...new Set([`item:${itemId}`, ...modifiers.map((m) => `option:${m.optionId}`)].flatMap((key) => index.get(key) ?? []))];
}

function toTicket(order: OrderRow, screen: KitchenScreen & { menuStations: Map<string, string> }, menu: MenuDocument | null): Ticket {
  const started = startOf(order);
  // Fire by prep time: every line starts so as to finish with the order's longest one.
  const longest = Math.max(0, ...order.lines.map((l) => l.prepSeconds ?? 0));
  const mine = makes(screen);
  const lines = order.lines.filter(mine).map(
    (l): TicketLine => ({
      lineNo: l.lineNo,
      name: l.name,
      quantity: l.quantity,
      modifiers: l.modifiers.map((m) => m.name),
      stationId: l.stationId,
      done: l.done,
      fireAt: new Date(started.getTime() + (longest - (l.prepSeconds ?? 0)) * 1000).toISOString(),
      allergens: allergensOf(menu, l.itemId, l.modifiers),
    }),
  );
  const { status } = order;
  const stationIds = [...new Set(order.lines.flatMap((l) => (l.stationId ? [l.stationId] : [])))].sort(
    (a, b) => [...screen.menuStations.keys()].indexOf(a) - [...screen.menuStations.keys()].indexOf(b),
  );
  const madeHere = !movesOrders(screen) && lines.length > 0 && lines.every((l) => l.done);
  return {
    id: order.id,
    number: order.number,
    placedAt: order.placedAt,
    startedAt: started.toISOString(),
    status,
    statusAt: timeOf(order.statusHlc),
    finishedAt: status !== 'preparing' ? timeOf(order.statusHlc) : madeHere ? timeOf(order.lines.filter(mine).reduce((last, l) => (l.doneHlc && l.doneHlc > last ? l.doneHlc : last), '')) : null,
    service: order.serviceMode ? { mode: order.serviceMode as ServiceMode, ...(order.tableNumber ? { table: order.tableNumber } : {}) } : null,
    unpaid: order.payment ? (JSON.parse(order.payment) as Payment).status === 'unpaid' : false,
    awaitingPayment: order.awaitingPayment,
    lines,
    stations: stationIds.map((id) => ({
      id,
      name: screen.menuStations.get(id) ?? id,
      done: status !== 'preparing' || order.lines.every((l) => l.stationId !== id || l.done),
    })),
  };
}

async function ticketsOf(ctx: CoreContext, orders: OrderRow[], screen: Awaited<ReturnType<typeof screenOf>>): Promise<Ticket[]> {
  const menus = new Map<string, MenuDocument | null>();
  for (const id of new Set(orders.map((o) => o.menuVersionId))) menus.set(id, await ctx.menus.document(id));
  return orders.map((o) => toTicket(o, screen, menus.get(o.menuVersionId) ?? null));
}

export async function listTickets(ctx: CoreContext): Promise<TicketList> {
  const profile = profileOf(ctx);
  const screen = await screenOf(ctx);
  const today = businessDay(new Date(ctx.clock().now()), profile.timeZone);
  const open = await ticketsOf(ctx, readOrders(ctx.write, `status = 'preparing' ORDER BY placedAt LIMIT ?`, MAX_ACTIVE), screen);
  const sentOut = await ticketsOf(ctx, readOrders(ctx.write, `status IN ('ready', 'served') AND businessDay = ? ORDER BY statusHlc DESC LIMIT ?`, today, RECENT), screen);
  const toMake = (t: Ticket) => t.lines.some((l) => !l.done);
  // A station does not start a held order: it waits for the money. Expo sees it, to mark it paid.
  const active = movesOrders(screen) ? open : open.filter((t) => !t.awaitingPayment && toMake(t));
  const finished = [...(movesOrders(screen) ? [] : open.filter((t) => !t.awaitingPayment && t.lines.length > 0 && !toMake(t))), ...sentOut.filter((t) => t.lines.length > 0)];
  const allDay = new Map<string, number>();
  for (const ticket of active) if (!ticket.awaitingPayment) for (const line of ticket.lines) if (!line.done) allDay.set(line.name, (allDay.get(line.name) ?? 0) + line.quantity);
  const { menuStations: _names, ...shown } = screen;
  return {
    screen: shown,
    active,
    recent: finished.sort((a, b) => ((b.finishedAt ?? '') > (a.finishedAt ?? '') ? 1 : -1)).slice(0, RECENT),
    allDay: [...allDay].map(([name, quantity]) => ({ name, quantity })).sort((a, b) => b.quantity - a.quantity || a.name.localeCompare(b.name)),
  };
}

interface Row {
  status: OrderStatus;
  statusHlc: string | null;
  awaitingPayment: number;
}

function orderRow(sql: LocalSql, orderId: string): Row {
  const order = sql.get<Row>('SELECT status, statusHlc, awaitingPayment FROM "Order" WHERE id = ?', orderId);
  if (!order) throw new AppError('ORDER_NOT_FOUND', 'This ticket is not on this screen any more.', 'orderId');
  return order;
}

/** A status event for the order, caused by what the cook sees: it sorts after everything on screen. */
function moveOrder(ctx: CoreContext, orderId: string, seen: string | null, status: OrderStatus): void {
  const clock = ctx.clock();
  const deviceId = profileOf(ctx).deviceId;
  if (seen) clock.receive(seen);
  const hlc = clock.tick();
  mergeStatusEvents(ctx.write, [{ orderId, hlc, deviceId, status }]);
  enqueue(ctx.write, { kind: 'order.status', orderId, status, hlc });
  publishToPeers(ctx.write, { kind: 'order.status', orderId, status, hlc, deviceId });
  updateSettings(ctx.write, { lastHlc: hlc });
}

/** One line event for these lines of the order, after every state they show. */
function bumpLines(ctx: CoreContext, orderId: string, lines: Array<{ lineNo: number; doneHlc: string | null }>, done: boolean): void {
  const clock = ctx.clock();
  const deviceId = profileOf(ctx).deviceId;
  for (const { doneHlc } of lines) if (doneHlc) clock.receive(doneHlc);
  const hlc = clock.tick();
  const lineNos = lines.map((l) => l.lineNo);
  mergeLineEvents(ctx.write, lineNos.map((lineNo) => ({ orderId, lineNo, hlc, deviceId, done })));
  enqueue(ctx.write, { kind: 'order.lines', orderId, lineNos, done, hlc });
  publishToPeers(ctx.write, { kind: 'order.lines', orderId, lineNos, done, hlc, deviceId });
  updateSettings(ctx.write, { lastHlc: hlc });
  readyWhenMade(ctx.write, clock, [orderId]);
}

/** This display's lines of the order, as SQLite has them now. */
function linesHere(sql: LocalSql, screen: KitchenScreen, orderId: string) {
  const mine = makes(screen);
  return sql.all<{ lineNo: number; stationId: string | null; done: number; doneHlc: string | null }>('SELECT lineNo, stationId, done, doneHlc FROM OrderLine WHERE orderId = ? ORDER BY lineNo', orderId).filter(mine);
}

const ORDER_BUMP: Partial<Record<OrderStatus, OrderStatus>> = { preparing: 'ready', ready: 'served' };
const ORDER_RECALL: Partial<Record<OrderStatus, OrderStatus>> = { ready: 'preparing', served: 'ready' };

async function act(ctx: CoreContext, orderId: string, change: (screen: KitchenScreen, order: Row) => void): Promise<Ticket> {
  const screen = await screenOf(ctx);
  ctx.write.transaction(() => change(screen, orderRow(ctx.write, orderId)));
  ctx.emit({ type: 'orders' });
  ctx.outboxChanged();
  const [order] = readOrders(ctx.write, 'id = ?', orderId) as [OrderRow];
  return toTicket(order, screen, await ctx.menus.document(order.menuVersionId));
}

const cannot = (status: string) => new AppError('INVALID_TRANSITION', `A ${status} ticket cannot move that way.`, 'orderId');

/** A station: its lines of the order made. Expo: the order on to ready, or a ready one collected. */
export const bumpTicket = (ctx: CoreContext, { orderId }: TicketAction) =>
  act(ctx, orderId, (screen, order) => {
    if (movesOrders(screen)) {
      const next = ORDER_BUMP[order.status];
      if (!next) throw cannot(order.status);
      // Held for the money: nobody has started it, so it cannot be ready.
      if (order.awaitingPayment) throw new AppError('INVALID_TRANSITION', 'This order waits for payment: mark it paid first.', 'orderId');
      return moveOrder(ctx, orderId, order.statusHlc, next);
    }
    const open = linesHere(ctx.write, screen, orderId).filter((l) => !l.done);
    if (order.status !== 'preparing' || open.length === 0) throw cannot(order.status);
    bumpLines(ctx, orderId, open, true);
  });

/** One line made, or taken back if it was. */
export const bumpItem = (ctx: CoreContext, { orderId, lineNo }: LineAction) =>
  act(ctx, orderId, (screen, order) => {
    const line = linesHere(ctx.write, screen, orderId).find((l) => l.lineNo === lineNo);
    if (!line) throw new AppError('LINE_NOT_FOUND', 'This item is not on this screen any more.', 'lineNo');
    if (order.status !== 'preparing') throw cannot(order.status);
    bumpLines(ctx, orderId, [line], !line.done);
  });

/** Back one step: a station's lines to make again (and the order with them), an order back to ready or preparing. */
export const recallTicket = (ctx: CoreContext, { orderId }: TicketAction) =>
  act(ctx, orderId, (screen, order) => {
    if (movesOrders(screen)) {
      const previous = ORDER_RECALL[order.status];
      if (!previous) throw cannot(order.status);
      return moveOrder(ctx, orderId, order.statusHlc, previous);
    }
    const made = linesHere(ctx.write, screen, orderId).filter((l) => l.done);
    if (made.length === 0 && order.status === 'preparing') throw cannot(order.status);
    if (made.length > 0) bumpLines(ctx, orderId, made, false);
    // Sent out already: it comes back to the kitchen with the lines.
    if (order.status !== 'preparing') moveOrder(ctx, orderId, order.statusHlc, 'preparing');
  });

/** Staff took the money for a counter order: it is paid, and a held one goes to the kitchen now. */
export async function markPaid(ctx: CoreContext, { orderId }: TicketAction): Promise<Ticket> {
  const { write: sql } = ctx;
  const paidAt = new Date(ctx.clock().now()).toISOString();
  return act(ctx, orderId, () => {
    if (!recordPaid(sql, orderId, paidAt)) throw new AppError('NOT_A_COUNTER_ORDER', 'This order is not waiting to be paid at the counter.', 'orderId');
    enqueue(sql, { kind: 'order.paid', orderId, paidAt });
    publishToPeers(sql, { kind: 'order.paid', orderId, paidAt, deviceId: profileOf(ctx).deviceId });
  });
}
