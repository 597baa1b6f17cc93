import type { NewStore } from '../admin/adminApiSchemas';
import type { ServerDb } from '../db/client';
import { uuidv7 } from '../protocol/ids';

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
