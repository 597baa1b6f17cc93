// A store's orders as head office reads them: newest first, a page at a time, each with how it was
// served and paid. Pages follow each other by the last order of the page before (placed earlier,
// or at the same instant with a lower id), so orders arriving meanwhile never shift a page.
// Newest first is by business day, then by time within the day: the same order (a day is the
// store's day of its placing time), read through the store's (storeId, businessDay, number) key a
// day at a time, so no index of every order's time costs each order placed its upkeep.
import type { z } from 'zod';
import type { StoreOrdersQuerySchema, StoreOrdersSchema } from '../admin/adminApiSchemas';
import type { ServerDb } from '../db/client';
import { detailsOf } from '../feed/snapshot';
import { AppError } from '../protocol/errors';

export async function readRecentOrders(db: ServerDb, storeId: string, { before, limit }: z.output<typeof StoreOrdersQuerySchema>): Promise<z.input<typeof StoreOrdersSchema>> {
  const after = before ? await db.order.findFirst({ where: { id: before, storeId }, select: { id: true, businessDay: true, placedAt: true } }) : null;
  if (before && !after) throw new AppError('ORDER_NOT_FOUND', 'There is no such order in this store to list the orders before.', 'before');
  const earlier = after && {
    businessDay: { lte: after.businessDay },
    OR: [
      { businessDay: { lt: after.businessDay } },
      { businessDay: after.businessDay, placedAt: { lt: after.placedAt } },
      { businessDay: after.businessDay, placedAt: after.placedAt, id: { lt: after.id } },
    ],
  };
  const rows = await db.order.findMany({
    where: { storeId, ...earlier },
    orderBy: [{ businessDay: 'desc' }, { placedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: { lines: { select: { quantity: true } } },
  });
  const page = rows.slice(0, limit);
  const kiosks = new Map(
    (await db.device.findMany({ where: { id: { in: [...new Set(page.map((o) => o.deviceId))] } }, select: { id: true, name: true } })).map((d) => [d.id, d.name]),
  );
  return {
    orders: page.map((o) => {
      const { service, payment, locale } = detailsOf(o);
      return {
        id: o.id,
        number: o.number,
        businessDay: o.businessDay,
        placedAt: o.placedAt,
        kiosk: kiosks.get(o.deviceId) ?? null,
        status: o.status,
        currency: o.currency,
        subtotalCents: o.subtotalCents,
        taxCents: o.taxCents,
        totalCents: o.totalCents,
        items: o.lines.reduce((sum, line) => sum + line.quantity, 0),
        service: service ?? null,
        payment: payment ?? null,
        locale: locale ?? null,
      };
    }),
    nextBefore: rows.length > limit ? page.at(-1)!.id : null,
  };
}
