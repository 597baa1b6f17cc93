// How the live orders page merges what the `/admin` socket says: by the terminals' own rules (the
// newest clock wins; being paid never goes back), so a change heard twice, late, or both in the
// list and on the socket changes nothing. Plain TypeScript, unit-tested under Node.
import type { LiveOrder, LiveOrderChanges } from '#admin-api';

/** One commit's changes of a store, applied to `orders` in place. */
export function applyChanges(orders: Map<string, LiveOrder>, { changes }: LiveOrderChanges): void {
  for (const change of changes) {
    if (change.kind === 'order.placed') {
      // The list may already hold it, newer than the placing.
      if (!orders.has(change.order.id)) orders.set(change.order.id, change.order);
      continue;
    }
    const order = orders.get(change.orderId);
    if (!order) continue; // Not on this page: another day's, or left out of the list.
    if (change.kind === 'order.status') {
      if (order.statusHlc === null || change.hlc > order.statusHlc) Object.assign(order, { status: change.status, statusHlc: change.hlc });
    } else if (change.kind === 'order.paid') {
      if (order.payment?.method !== 'counter' || order.payment.paid) continue;
      order.payment = { ...order.payment, paid: true };
      // A held order goes to the kitchen when it is paid.
      if (order.payment.held) order.startedAt = change.paidAt;
    } else {
      for (const line of order.lines) {
        if (change.lineNos.includes(line.lineNo) && (line.doneHlc === null || change.hlc > line.doneHlc)) Object.assign(line, { done: change.done, doneHlc: change.hlc });
      }
    }
  }
}
