import type { ServerDb, ServerTx } from '../db/client';
import { readStorePeers } from '../devices/storePeers';
import { businessDay } from '../protocol/businessDay';
import type { SnapshotOrdersResponse, SnapshotResponse } from '../protocol/events';
import type { MenuCatalog } from '../menus/menuCatalog';
import { kioskSettingsOf, kitchenSettingsOf } from '../protocol/settingsDefaults';
import { PaymentSchema, type OrderRecord, type ServiceMode } from '../protocol/orders';

/** Orders per page of a snapshot: a page is a few hundred kilobytes, applied in one transaction. */
export const SNAPSHOT_PAGE = 1000;

type ServerOrder = Awaited<ReturnType<typeof readOrders>>[number];

/**
 * The orders a kitchen or board needs: every open one, and today's served ones so they can still
 * be recalled. Read in pages by id (UUIDv7: oldest first), so every one of them arrives.
 */
function readOrders(db: Pick<ServerDb, 'order'>, storeId: string, today: string, after: string | null) {
  return db.order.findMany({
    where: { storeId, OR: [{ status: { not: 'served' } }, { businessDay: today }], ...(after ? { id: { gt: after } } : {}) },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
    orderBy: { id: 'asc' },
    take: SNAPSHOT_PAGE + 1,
  });
}

function page(orders: ServerOrder[]): { orders: OrderRecord[]; more: boolean } {
  return { orders: orders.slice(0, SNAPSHOT_PAGE).map(toOrderRecord), more: orders.length > SNAPSHOT_PAGE };
}

function toOrderRecord(o: ServerOrder): OrderRecord {
  return {
    id: o.id,
    deviceId: o.deviceId,
    number: o.number,
    businessDay: o.businessDay,
    placedAt: o.placedAt.toISOString(),
    menuVersionId: o.menuVersionId,
    currency: o.currency,
    lines: o.lines.map((l) => ({
      lineNo: l.lineNo,
      itemId: l.itemId,
      name: l.name,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      lineTotalCents: l.lineTotalCents,
      modifiers: l.modifiers as OrderRecord['lines'][number]['modifiers'],
      ...(l.stationId ? { stationId: l.stationId } : {}),
      ...(l.prepSeconds !== null ? { prepSeconds: l.prepSeconds } : {}),
      ...(l.doneHlc ? { state: { done: l.done, hlc: l.doneHlc } } : {}),
    })),
    subtotalCents: o.subtotalCents,
    taxCents: o.taxCents,
    totalCents: o.totalCents,
    status: o.status,
    statusHlc: o.statusHlc,
    ...detailsOf(o),
  };
}

/** How an order is served and paid, and its customer's language, as its record carries them (absent from kiosks before them). */
export function detailsOf(o: { serviceMode: string | null; tableNumber: string | null; locale: string | null; payment: unknown }): Pick<OrderRecord, 'service' | 'payment' | 'locale'> {
  return {
    ...(o.serviceMode ? { service: { mode: o.serviceMode as ServiceMode, ...(o.tableNumber ? { table: o.tableNumber } : {}) } } : {}),
    // Written by the server from a parsed upload; parsed again so a record always has the wire's shape.
    ...(o.payment ? { payment: PaymentSchema.parse(o.payment) } : {}),
    ...(o.locale ? { locale: o.locale } : {}),
  };
}

/**
 * A store's current state as of one feed position, for a terminal that has none (or whose cursor
 * the feed cannot continue): its settings, its devices, the menu, sold-out items, and the first
 * page of its orders. Run it in a repeatable-read transaction, so every query sees the instant `seq` names.
 */
export async function takeSnapshot(tx: ServerTx, storeId: string, menus: MenuCatalog, now = new Date()): Promise<SnapshotResponse> {
  const { changeSeq, menuVersionId, ...store } = await tx.store.findUniqueOrThrow({
    where: { id: storeId },
    select: { changeSeq: true, menuVersionId: true, name: true, address: true, timeZone: true, currency: true, taxRateBp: true, pricesIncludeTax: true, kiosk: true, kitchen: true },
  });
  const availability = await tx.itemAvailability.findMany({ where: { storeId }, select: { itemId: true, available: true } });
  const { orders, more } = page(await readOrders(tx, storeId, businessDay(now, store.timeZone), null));
  return {
    seq: changeSeq,
    // Versions never change: the catalog reads each one once, not once a terminal.
    menuVersion: menuVersionId ? await menus.version(menuVersionId) : null,
    availability,
    orders,
    moreOrders: more,
    store: { ...store, kiosk: kioskSettingsOf(store.kiosk), kitchen: kitchenSettingsOf(store.kitchen) },
    peers: await readStorePeers(tx, storeId),
  };
}

/**
 * The snapshot's next page of orders, after the last id the terminal received. Read later than the
 * snapshot itself, a page may show an order newer than `seq`; applying the feed after `seq` on top
 * of it changes nothing, since every merge rule is idempotent.
 */
export async function snapshotOrders(db: ServerTx, storeId: string, after: string, now = new Date()): Promise<SnapshotOrdersResponse> {
  const store = await db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } });
  return page(await readOrders(db, storeId, businessDay(now, store.timeZone), after));
}
