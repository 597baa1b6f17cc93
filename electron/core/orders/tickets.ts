// The kitchen display's tickets: bump moves a ticket on (preparing → ready → served), recall
// brings it back one step. Each move is a status event stamped by this terminal's hybrid clock.
import { businessDay } from '#protocol/businessDay';
import { AppError } from '#protocol/errors';
import { parseHlc } from '#protocol/hlc';
import type { OrderStatus, Payment, ServiceMode } from '#protocol/orders';
import type { Ticket, TicketAction, TicketList } from '../api/contract';
import { profileOf, type CoreContext } from '../context';
import type { TerminalReader } from '../db/terminalDb';
import { updateSettings } from '../deviceSettings';
import { enqueue } from '../sync/outbox';
import { markPaid as recordPaid, mergeStatusEvents } from './orderRows';

const MAX_ACTIVE = 200;
const RECENTLY_SERVED = 12;

type OrderWithLines = NonNullable<Awaited<ReturnType<typeof findTicket>>>;
const findTicket = (db: TerminalReader, id: string) => db.order.findUnique({ where: { id }, include: { lines: { orderBy: { lineNo: 'asc' } } } });

export function toTicket(order: OrderWithLines): Ticket {
  const statusClock = order.statusHlc ? parseHlc(order.statusHlc) : null;
  return {
    id: order.id,
    number: order.number,
    placedAt: order.placedAt.toISOString(),
    status: order.status as OrderStatus,
    statusAt: statusClock ? new Date(statusClock.millis).toISOString() : null,
    service: order.serviceMode ? { mode: order.serviceMode as ServiceMode, ...(order.tableNumber ? { table: order.tableNumber } : {}) } : null,
    unpaid: order.payment ? (JSON.parse(order.payment) as Payment).status === 'unpaid' : false,
    awaitingPayment: order.awaitingPayment,
    lines: order.lines.map((l) => ({
      lineNo: l.lineNo,
      name: l.name,
      quantity: l.quantity,
      modifiers: (l.modifiers as Array<{ name: string }>).map((m) => m.name),
    })),
  };
}

export async function listTickets(ctx: CoreContext): Promise<TicketList> {
  const profile = profileOf(ctx);
  const active = await ctx.read.order.findMany({
    where: { status: { in: ['preparing', 'ready'] } },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
    orderBy: { placedAt: 'asc' },
    take: MAX_ACTIVE,
  });
  const served = await ctx.read.order.findMany({
    where: { status: 'served', businessDay: businessDay(new Date(ctx.clock().now()), profile.timeZone) },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
    orderBy: { statusHlc: 'desc' },
    take: RECENTLY_SERVED,
  });
  return { active: active.map(toTicket), recentlyServed: served.map(toTicket) };
}

const BUMP: Partial<Record<OrderStatus, OrderStatus>> = { preparing: 'ready', ready: 'served' };
const RECALL: Partial<Record<OrderStatus, OrderStatus>> = { ready: 'preparing', served: 'ready' };

async function moveTicket(ctx: CoreContext, { orderId }: TicketAction, moves: typeof BUMP): Promise<Ticket> {
  const profile = profileOf(ctx);
  const clock = ctx.clock();
  const { write: sql } = ctx;
  sql.transaction(() => {
    const order = sql.get<{ status: OrderStatus; statusHlc: string | null }>('SELECT status, statusHlc FROM "Order" WHERE id = ?', orderId);
    if (!order) throw new AppError('ORDER_NOT_FOUND', 'This ticket is not on this screen any more.', 'orderId');
    const status = moves[order.status];
    if (!status) throw new AppError('INVALID_TRANSITION', `A ${order.status} ticket cannot move that way.`, 'orderId');
    // A bump is caused by what the cook sees: it must sort after the status on screen.
    if (order.statusHlc) clock.receive(order.statusHlc);
    const hlc = clock.tick();
    mergeStatusEvents(sql, [{ orderId, hlc, deviceId: profile.deviceId, status }]);
    enqueue(sql, { kind: 'order.status', orderId, status, hlc });
    updateSettings(sql, { lastHlc: hlc });
  });
  ctx.emit({ type: 'orders' });
  ctx.outboxChanged();
  return toTicket((await findTicket(ctx.read, orderId))!);
}

export const bumpTicket = (ctx: CoreContext, action: TicketAction) => moveTicket(ctx, action, BUMP);
export const recallTicket = (ctx: CoreContext, action: TicketAction) => moveTicket(ctx, action, RECALL);

/** Staff took the money for a counter order: it is paid, and a held one goes to the kitchen now. */
export async function markPaid(ctx: CoreContext, { orderId }: TicketAction): Promise<Ticket> {
  const { write: sql } = ctx;
  const paidAt = new Date(ctx.clock().now()).toISOString();
  sql.transaction(() => {
    if (!sql.get('SELECT 1 FROM "Order" WHERE id = ?', orderId)) throw new AppError('ORDER_NOT_FOUND', 'This ticket is not on this screen any more.', 'orderId');
    if (!recordPaid(sql, orderId, paidAt)) throw new AppError('NOT_A_COUNTER_ORDER', 'This order is not waiting to be paid at the counter.', 'orderId');
    enqueue(sql, { kind: 'order.paid', orderId, paidAt });
  });
  ctx.emit({ type: 'orders' });
  ctx.outboxChanged();
  return toTicket((await findTicket(ctx.read, orderId))!);
}
