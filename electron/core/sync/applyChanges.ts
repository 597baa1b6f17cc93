// Applies the store's feed to this terminal: a page of changes, or a snapshot, in one SQLite
// transaction together with the cursor (invariant 3). Every step is idempotent, so a change that
// arrives twice, or by two paths, changes nothing the second time.
import type { Change, MenuVersionWire, SnapshotResponse } from '../../../sync-server/protocol/events';
import type { OrderRecord } from '../../../sync-server/protocol/orders';
import type { TerminalEvent } from '../api/contract';
import { bulkInsert } from '../db/bulkInsert';
import type { TerminalDb, TerminalTx } from '../db/terminalDb';
import { updateSettings } from '../deviceSettings';
import { saveMenuVersion } from '../menu/menuStore';
import { insertOrders, mergeStatusEvents, type StatusEvent } from '../orders/orderRows';
import type { TerminalClock } from '../terminalClock';

export interface Applied {
  /** What the screens should re-read. */
  events: TerminalEvent[];
  /** This device was revoked by head office. */
  revoked: boolean;
}

async function setCursor(tx: TerminalTx, seq: number): Promise<void> {
  await tx.syncCursor.upsert({ where: { id: 1 }, create: { id: 1, seq }, update: { seq } });
}

export async function readCursor(db: TerminalDb): Promise<number> {
  return (await db.syncCursor.findUnique({ where: { id: 1 } }))?.seq ?? 0;
}

/** Orders first, then status events (which may name those orders), then menus and availability. */
async function applyBatch(
  tx: TerminalTx,
  batch: { orders: OrderRecord[]; statuses: StatusEvent[]; menus: MenuVersionWire[]; availability: Map<string, boolean> },
  replaceAvailability: boolean,
): Promise<TerminalEvent[]> {
  const events: TerminalEvent[] = [];
  if (batch.orders.length > 0) {
    await insertOrders(tx, batch.orders, 'synced');
    // This kiosk's own orders come back through the feed: the server has them.
    await tx.order.updateMany({ where: { id: { in: batch.orders.map((o) => o.id) }, syncState: 'pending' }, data: { syncState: 'synced' } });
  }
  if (batch.orders.length > 0 || batch.statuses.length > 0) {
    // Status events that came before their order (another path) apply now that it is here.
    await mergeStatusEvents(tx, batch.statuses, batch.orders.map((o) => o.id));
    events.push({ type: 'orders' });
  }
  for (const menuVersion of batch.menus) {
    await saveMenuVersion(tx, menuVersion);
    await updateSettings(tx, { menuVersionId: menuVersion.id });
  }
  if (replaceAvailability) await tx.itemAvailability.deleteMany({});
  if (batch.availability.size > 0) {
    await bulkInsert(tx, 'ItemAvailability', ['itemId', 'available', 'updatedAt'], [...batch.availability].map(([itemId, available]) => [itemId, available ? 1 : 0, new Date().toISOString()]), 'replace');
  }
  if (batch.menus.length > 0 || batch.availability.size > 0 || replaceAvailability) events.push({ type: 'menu' });
  return events;
}

/** Applies consecutive changes (the caller guarantees they start right after the cursor). */
export async function applyChanges(db: TerminalDb, clock: TerminalClock, deviceId: string, changes: readonly Change[]): Promise<Applied> {
  const batch = { orders: [] as OrderRecord[], statuses: [] as StatusEvent[], menus: [] as MenuVersionWire[], availability: new Map<string, boolean>() };
  let revoked = false;
  for (const change of changes) {
    switch (change.kind) {
      case 'order.placed':
        batch.orders.push(change.order);
        break;
      case 'order.status':
        batch.statuses.push({ orderId: change.orderId, hlc: change.hlc, deviceId: change.deviceId, status: change.status });
        clock.receive(change.hlc);
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
    }
  }
  const last = changes.at(-1);
  const events = await db.$transaction(async (tx) => {
    const events = await applyBatch(tx, batch, false);
    if (revoked) await updateSettings(tx, { revokedAt: new Date() });
    await updateSettings(tx, { lastHlc: clock.current() });
    if (last) await setCursor(tx, last.seq);
    return events;
  });
  return { events, revoked };
}

/** Replaces what this terminal knows of the store with a snapshot, and moves the cursor to it. */
export async function applySnapshot(db: TerminalDb, clock: TerminalClock, snapshot: SnapshotResponse): Promise<TerminalEvent[]> {
  for (const order of snapshot.orders) if (order.statusHlc) clock.receive(order.statusHlc);
  return db.$transaction(async (tx) => {
    const events = await applyBatch(
      tx,
      { orders: snapshot.orders, statuses: [], menus: snapshot.menuVersion ? [snapshot.menuVersion] : [], availability: new Map(snapshot.availability.map((a) => [a.itemId, a.available])) },
      true,
    );
    // A snapshot order carries its current status; older local copies catch up to it.
    for (const order of snapshot.orders.filter((o) => o.statusHlc)) {
      await tx.order.updateMany({
        where: { id: order.id, OR: [{ statusHlc: null }, { statusHlc: { lt: order.statusHlc! } }] },
        data: { status: order.status, statusHlc: order.statusHlc },
      });
    }
    await updateSettings(tx, { lastHlc: clock.current() });
    await setCursor(tx, snapshot.seq);
    return events;
  });
}
