import { z } from 'zod';
import type { ServerDb } from '../db/client';
import { isTimeZone } from '../protocol/businessDay';
import { uuidv7 } from '../protocol/ids';

export const NewStoreSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Amsterdam'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  taxRateBp: z.int().min(0).max(10_000),
  pricesIncludeTax: z.boolean(),
});
export type NewStore = z.output<typeof NewStoreSchema>;

export async function createStore(db: ServerDb, store: NewStore) {
  return db.store.create({ data: { id: uuidv7(), ...store } });
}

export async function storeExists(db: ServerDb, storeId: string): Promise<boolean> {
  return (await db.store.count({ where: { id: storeId } })) > 0;
}

/** The stores an admin sees, by name: all of them (`null`) or those listed. */
export async function listStores(db: ServerDb, storeIds: ReadonlySet<string> | null) {
  return db.store.findMany({ where: storeIds === null ? {} : { id: { in: [...storeIds] } }, orderBy: { name: 'asc' } });
}
