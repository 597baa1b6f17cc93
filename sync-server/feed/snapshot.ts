import type { ServerDb } from '../db/client';
import { businessDay } from '../protocol/businessDay';
import type { SnapshotResponse } from '../protocol/events';
import { MenuDocumentSchema } from '../protocol/menu';
import type { OrderRecord } from '../protocol/orders';

/** The most orders a snapshot carries; a store has far fewer open at once. */
const MAX_SNAPSHOT_ORDERS = 5000;

/**
 * A store's current state as of one feed position, for a terminal that has none (or whose cursor
 * the feed cannot continue): the menu, sold-out items, and the orders a kitchen or board needs —
 * every open one, and today's served ones so they can still be recalled.
 */
export async function takeSnapshot(db: ServerDb, storeId: string, now = new Date()): Promise<SnapshotResponse> {
  // Repeatable read: every query below sees the same instant, the one `seq` names.
  return db.$transaction(
    async (tx) => {
      const store = await tx.store.findUniqueOrThrow({ where: { id: storeId }, include: { menuVersion: true } });
      const availability = await tx.itemAvailability.findMany({ where: { storeId }, select: { itemId: true, available: true } });
      const orders = await tx.order.findMany({
        where: { storeId, OR: [{ status: { not: 'served' } }, { businessDay: businessDay(now, store.timeZone) }] },
        include: { lines: { orderBy: { lineNo: 'asc' } } },
        orderBy: { placedAt: 'desc' },
        take: MAX_SNAPSHOT_ORDERS,
      });
      return {
        seq: store.changeSeq,
        menuVersion: store.menuVersion
          ? { id: store.menuVersion.id, name: store.menuVersion.name, document: MenuDocumentSchema.parse(store.menuVersion.document) }
          : null,
        availability,
        orders: orders.reverse().map(
          (o): OrderRecord => ({
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
            })),
            subtotalCents: o.subtotalCents,
            taxCents: o.taxCents,
            totalCents: o.totalCents,
            status: o.status,
            statusHlc: o.statusHlc,
          }),
        ),
      };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
