// Applies the store's feed to this terminal: a page of changes, or a snapshot, in one SQLite
// transaction together with the cursor (invariant 3). Every step is idempotent, so a change that
// arrives twice, or by two paths, changes nothing the second time.
import type { Change, KitchenStations, MenuVersionWire, SnapshotResponse, StorePeer, StoreSettings } from '#protocol/events';
import type { OrderRecord } from '#protocol/orders';
import type { TerminalEvent } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import { saveStoreSettings, updateSettings } from '../deviceSettings';
import { saveMenuVersion } from '../menu/menuStore';
import { savePeers } from '../peers/peerDirectory';
import { advanceNumberCounters, catchUpLines, catchUpStatuses, insertOrders, markPaid, mergeLineEvents, mergeStatusEvents, setLineState, type LineEvent, type StatusEvent } from '../orders/orderRows';
import { readyWhenMade } from '../orders/readyWhenMade';
import type { TerminalClock } from '../terminalClock';

export interface Applied {
  /** What the screens should re-read. */
  events: TerminalEvent[];
  /** This device was revoked by head office. */
  revoked: boolean;
  /** The store's settings or this display's stations changed: what the terminal holds of them must be read again. */
  settingsChanged: boolean;
  /** Something was put in the outbox (this display finished an order: see readyWhenMade.ts). */
  queued: boolean;
  /** The store's device list changed (`store.peers`): the peer link reads it again. */
  peersChanged: boolean;
}

interface Batch {
  orders: OrderRecord[];
  statuses: StatusEvent[];
  menus: MenuVersionWire[];
  availability: Map<string, boolean>;
  /** Counter orders staff took the money for. */
  paid: Array<{ orderId: string; paidAt: string }>;
  /** Stations' bumps of lines. */
  lines: LineEvent[];
  /** The store's newest settings, if they changed. */
  store: StoreSettings | null;
  /** What head office last set this display to show, if it changed. */
  stations: KitchenStations | null;
  /** The store's newest device list, if it changed. */
  peers: StorePeer[] | null;
}

const emptyBatch = (): Batch => ({ orders: [], statuses: [], menus: [], availability: new Map(), paid: [], lines: [], store: null, stations: null, peers: null });

export const readCursor = (sql: LocalSql) => sql.get<{ seq: number }>('SELECT seq FROM SyncCursor WHERE id = 1')?.seq ?? 0;

function setCursor(sql: LocalSql, seq: number): void {
  sql.run('INSERT INTO SyncCursor (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq', seq);
}

/** Orders first, then status events (which may name those orders), then menus, availability and the store's settings. */
function applyBatch(sql: LocalSql, deviceId: string, batch: Batch): TerminalEvent[] {
  const events: TerminalEvent[] = [];
  if (batch.orders.length > 0) {
    insertOrders(sql, batch.orders, 'synced');
    // This kiosk's own orders come back through the feed: the server holds them.
    const own = JSON.stringify(batch.orders.filter((o) => o.deviceId === deviceId).map((o) => o.id));
    sql.run(`UPDATE "Order" SET syncState = 'synced' WHERE syncState = 'pending' AND id IN (SELECT value FROM json_each(?))`, own);
    advanceNumberCounters(sql, batch.orders, deviceId);
    const ids = JSON.stringify(batch.orders.map((o) => o.id));
    catchUpStatuses(sql, ids);
    catchUpLines(sql, ids);
  }
  mergeStatusEvents(sql, batch.statuses);
  mergeLineEvents(sql, batch.lines);
  for (const { orderId, paidAt } of batch.paid) markPaid(sql, orderId, paidAt);
  if (batch.stations) updateSettings(sql, { kitchenStations: JSON.stringify(batch.stations) });
  if (batch.orders.length > 0 || batch.statuses.length > 0 || batch.paid.length > 0 || batch.lines.length > 0 || batch.stations) events.push({ type: 'orders' });
  for (const menuVersion of batch.menus) {
    saveMenuVersion(sql, menuVersion);
    updateSettings(sql, { menuVersionId: menuVersion.id });
  }
  const now = new Date().toISOString();
  for (const [itemId, available] of batch.availability) {
    sql.run('INSERT OR REPLACE INTO ItemAvailability (itemId, available, updatedAt) VALUES (?, ?, ?)', itemId, available ? 1 : 0, now);
  }
  if (batch.menus.length > 0 || batch.availability.size > 0) events.push({ type: 'menu' });
  if (batch.store) {
    saveStoreSettings(sql, batch.store);
    // Kiosks show prices with the store's tax, and every screen names the store.
    events.push({ type: 'menu' }, { type: 'status' });
  }
  if (batch.peers) savePeers(sql, batch.peers);
  return events;
}

/** Records, in the batch's transaction, how far a feed was applied. */
export type CursorStep = (sql: LocalSql) => void;

/** The server's feed: its cursor moves to the batch's last change. */
const serverCursorAfter =
  (changes: readonly Change[]): CursorStep =>
  (sql) => {
    const last = changes.at(-1);
    if (last) setCursor(sql, last.seq);
  };

/**
 * Applies consecutive changes of a feed (the caller guarantees they start right after its cursor):
 * the server's, or a peer's over the LAN, which moves its own cursor instead.
 */
export function applyChanges(sql: LocalSql, clock: TerminalClock, deviceId: string, changes: readonly Change[], moveCursor = serverCursorAfter(changes)): Applied {
  const batch = emptyBatch();
  let revoked = false;
  for (const change of changes) {
    switch (change.kind) {
      case 'order.placed':
        batch.orders.push(change.order);
        break;
      case 'order.status':
        batch.statuses.push({ orderId: change.orderId, hlc: change.hlc, deviceId: change.deviceId, status: change.status });
        break;
      case 'menu.published':
        batch.menus.push(change.menuVersion);
        break;
      case 'item.availability':
        batch.availability.set(change.itemId, change.available);
        break;
      case 'device.revoked':
        revoked ||= change.deviceId === deviceId;
        break;
      case 'store.changed':
        batch.store = change.store;
        break;
      case 'order.paid':
        batch.paid.push({ orderId: change.orderId, paidAt: change.paidAt });
        break;
      case 'order.lines':
        for (const lineNo of change.lineNos) batch.lines.push({ orderId: change.orderId, lineNo, hlc: change.hlc, deviceId: change.deviceId, done: change.done });
        break;
      case 'device.stations':
        if (change.deviceId === deviceId) batch.stations = change.kitchen;
        break;
      case 'store.peers':
        // Each list is the whole store: the last one is all that counts.
        batch.peers = change.devices;
        break;
    }
  }
  const events = sql.transaction(() => {
    const events = applyBatch(sql, deviceId, batch);
    if (revoked) updateSettings(sql, { revokedAt: new Date().toISOString() });
    const clocks = [...batch.statuses, ...batch.lines];
    if (clocks.length > 0) {
      for (const { hlc } of clocks) clock.receive(hlc);
      updateSettings(sql, { lastHlc: clock.current() });
    }
    // Another station's bump may complete an order this display finished.
    const queued = batch.lines.length > 0 && readyWhenMade(sql, clock, batch.lines.map((l) => l.orderId));
    moveCursor(sql);
    return { events, queued };
  }, { durable: false });
  return { events: events.events, revoked, settingsChanged: batch.store !== null || batch.stations !== null, queued: events.queued, peersChanged: batch.peers !== null };
}

/** Orders from a snapshot, each with its current status: older local copies catch up to it. */
function applySnapshotOrders(sql: LocalSql, clock: TerminalClock, deviceId: string, orders: readonly OrderRecord[]): TerminalEvent[] {
  const events = applyBatch(sql, deviceId, { ...emptyBatch(), orders: [...orders] });
  for (const order of orders) {
    if (order.payment?.method === 'counter' && order.payment.paidAt) markPaid(sql, order.id, order.payment.paidAt);
    for (const line of order.lines) {
      if (!line.state) continue;
      clock.receive(line.state.hlc);
      setLineState(sql, order.id, line.lineNo, line.state.done, line.state.hlc);
    }
    if (!order.statusHlc) continue;
    clock.receive(order.statusHlc);
    sql.run('UPDATE "Order" SET status = ?, statusHlc = ? WHERE id = ? AND (statusHlc IS NULL OR statusHlc < ?)', order.status, order.statusHlc, order.id, order.statusHlc);
  }
  updateSettings(sql, { lastHlc: clock.current() });
  return events;
}

/**
 * Replaces what this terminal knows of the store with a snapshot: its settings, menu, sold-out
 * items and first page of orders. The cursor moves to the snapshot's seq with its last page of
 * orders, here or in applySnapshotPage: a terminal stopped half-way takes the snapshot again.
 */
export function applySnapshot(sql: LocalSql, clock: TerminalClock, deviceId: string, snapshot: SnapshotResponse): TerminalEvent[] {
  return sql.transaction(() => {
    sql.run('DELETE FROM ItemAvailability');
    const events = applyBatch(sql, deviceId, {
      ...emptyBatch(),
      menus: snapshot.menuVersion ? [snapshot.menuVersion] : [],
      availability: new Map(snapshot.availability.map((a) => [a.itemId, a.available])),
      store: snapshot.store ?? null,
      peers: snapshot.peers ?? null,
    });
    events.push(...applySnapshotOrders(sql, clock, deviceId, snapshot.orders));
    if (!snapshot.moreOrders) setCursor(sql, snapshot.seq);
    return [...events, { type: 'menu' } as const];
  }, { durable: false });
}

/** A further page of a snapshot's orders; `seq` is the snapshot's, given with its last page. */
export function applySnapshotPage(sql: LocalSql, clock: TerminalClock, deviceId: string, orders: readonly OrderRecord[], seq: number | null): TerminalEvent[] {
  return sql.transaction(() => {
    const events = applySnapshotOrders(sql, clock, deviceId, orders);
    if (seq !== null) setCursor(sql, seq);
    return events;
  }, { durable: false });
}
