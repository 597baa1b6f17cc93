// In a store whose orders are ready "as soon as every station has made its part", one kitchen
// display must say so, and only one: the one whose bump finished the order, the bump with the
// latest clock among the order's lines. Two stations bumping their last lines at the same moment
// each see the other's line still open; when each applies the other's bump, only the one whose
// bump is later finds that it finished the order. Every display reaches the same verdict from the
// same events, so exactly one sends `ready`, whichever path the bumps took.
import type { LocalSql } from '../db/localSql';
import { kitchenSettingsOf, readSettings, updateSettings } from '../deviceSettings';
import { publishToPeers } from '../peers/peerFeed';
import { enqueue } from '../sync/outbox';
import type { TerminalClock } from '../terminalClock';
import { mergeStatusEvents } from './orderRows';

/** Sends `ready` for each of these orders this display finished; true if it sent any. */
export function readyWhenMade(sql: LocalSql, clock: TerminalClock, orderIds: Iterable<string>): boolean {
  const settings = readSettings(sql);
  if (settings?.role !== 'kitchen' || !settings.deviceId || kitchenSettingsOf(settings).readyWhen !== 'all-stations') return false;
  let sent = false;
  for (const orderId of new Set(orderIds)) {
    const order = sql.get<{ status: string; statusHlc: string | null; open: number; last: string | null }>(
      `SELECT o.status, o.statusHlc, sum(l.done = 0) AS open, max(l.doneHlc) AS last FROM "Order" o JOIN OrderLine l ON l.orderId = o.id WHERE o.id = ? GROUP BY o.id`,
      orderId,
    );
    // Still to make, not being made, or moved since its last bump (expo recalled it): not ours to send.
    if (!order?.last || order.open > 0 || order.status !== 'preparing' || (order.statusHlc !== null && order.statusHlc > order.last)) continue;
    const finisher = sql.get<{ deviceId: string }>('SELECT deviceId FROM LineStatusEvent WHERE orderId = ? AND hlc = ? LIMIT 1', orderId, order.last);
    if (finisher?.deviceId !== settings.deviceId) continue;
    clock.receive(order.last);
    const hlc = clock.tick();
    mergeStatusEvents(sql, [{ orderId, hlc, deviceId: settings.deviceId, status: 'ready' }]);
    enqueue(sql, { kind: 'order.status', orderId, status: 'ready', hlc });
    publishToPeers(sql, { kind: 'order.status', orderId, status: 'ready', hlc, deviceId: settings.deviceId });
    sent = true;
  }
  if (sent) updateSettings(sql, { lastHlc: clock.current() });
  return sent;
}
