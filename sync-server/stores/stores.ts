import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { KitchenRulesSchema, type NewStore, type StoreChange } from '../admin/adminApiSchemas';
import { recordWith, type AuditEntry } from '../audit/auditLog';
import type { ServerDb, ServerTx } from '../db/client';
import { appendChanges } from '../feed/changeFeed';
import { AppError } from '../protocol/errors';
import type { Change, StoreSettings } from '../protocol/events';
import { uuidv7 } from '../protocol/ids';
import { parseAll } from '../protocol/parse';
import { kioskSettingsOf, kitchenSettingsOf } from '../protocol/settingsDefaults';

/** A store as head office reads it: with its kiosk and kitchen settings, the defaults where it has none. */
export const storeAnswer = <S extends { kiosk: unknown; kitchen: unknown }>(store: S) => ({ ...store, kiosk: kioskSettingsOf(store.kiosk), kitchen: kitchenSettingsOf(store.kitchen) });

/** A new store; its address may be left for later. */
export async function createStore(db: ServerDb, store: Omit<NewStore, 'address'> & { address?: string }) {
  return db.store.create({ data: { id: uuidv7(), ...store } });
}

export async function storeExists(db: ServerDb, storeId: string): Promise<boolean> {
  return (await db.store.count({ where: { id: storeId } })) > 0;
}

/** The stores an admin sees, by name: all of them (`null`) or those listed. */
export async function listStores(db: ServerDb, storeIds: ReadonlySet<string> | null) {
  return (await db.store.findMany({ where: storeIds === null ? {} : { id: { in: [...storeIds] } }, orderBy: { name: 'asc' } })).map(storeAnswer);
}

/**
 * A store's menus — the one it runs and those scheduled for it — must be priced in its currency.
 * Read from PostgreSQL rather than by loading whole documents.
 */
async function checkMenuCurrency(tx: ServerTx, storeId: string, kept: string, wanted: string): Promise<void> {
  const menus = await tx.$queryRaw<Array<{ name: string; currency: string; scheduled: boolean }>>`
    SELECT m.name, m.document->>'currency' AS currency, s."menuVersionId" IS DISTINCT FROM m.id AS scheduled
      FROM "Store" s JOIN "MenuVersion" m ON m.id = s."menuVersionId" OR m.id IN (
        SELECT p."menuVersionId" FROM "ScheduledPublication" p
         WHERE p."storeId" = s.id AND p."publishedAt" IS NULL AND p."cancelledAt" IS NULL)
     WHERE s.id = ${storeId}::uuid`;
  const other = menus.find((m) => m.currency !== wanted);
  if (!other) return;
  const sells = other.scheduled ? `is to sell from "${other.name}"` : `sells from "${other.name}"`;
  throw new AppError('CURRENCY_MISMATCH', `This store ${sells}, priced in ${other.currency}, and a menu has one currency. Keep ${kept}, or add a new store that sells in ${wanted}.`, 'currency');
}

/** Its problems named where the change puts them: `kitchen.lateMinutes`. */
const KitchenInStore = z.strictObject({ kitchen: KitchenRulesSchema });

/**
 * Changes a store's settings in one transaction with what depends on them: a `store.changed`
 * change on its feed, so its terminals price and date orders with the new settings, and the
 * audit event whose before and after are the store's history (stores/storeRules.ts: an order a
 * kiosk priced offline under earlier settings is still accepted). Settings left out stay as they
 * are, and so do kiosk and kitchen settings left out of `kiosk` and `kitchen`; changing nothing
 * changes nothing.
 */
export async function changeStore(tx: ServerTx, storeId: string, change: StoreChange, by: Pick<AuditEntry, 'actor' | 'address'>, at: Date) {
  // Locked first: two admins changing one store at once each see the other's result as "before".
  const [row] = await tx.$queryRaw<Array<Omit<StoreSettings, 'kiosk' | 'kitchen'> & { kiosk: unknown; kitchen: unknown }>>`
    SELECT name, address, "timeZone", currency, "taxRateBp", "pricesIncludeTax", kiosk, kitchen FROM "Store" WHERE id = ${storeId}::uuid FOR NO KEY UPDATE`;
  if (!row) throw new AppError('STORE_NOT_FOUND');
  const before: Required<StoreSettings> = { ...row, kiosk: kioskSettingsOf(row.kiosk), kitchen: kitchenSettingsOf(row.kitchen) };
  const kitchen = { ...before.kitchen, ...change.kitchen, keyMap: { ...before.kitchen.keyMap, ...change.kitchen?.keyMap } };
  // Checked whole: a late time is after the amber time kept, a key is not one another action keeps.
  const after: Required<StoreSettings> = { ...before, ...change, kiosk: { ...before.kiosk, ...change.kiosk }, ...parseAll(KitchenInStore, { kitchen }) };
  if (isDeepStrictEqual(before, after)) return { store: storeAnswer(await tx.store.findUniqueOrThrow({ where: { id: storeId } })), changes: new Map<string, Change[]>() };
  if (after.currency !== before.currency) await checkMenuCurrency(tx, storeId, before.currency, after.currency);
  const store = storeAnswer(await tx.store.update({ where: { id: storeId }, data: after }));
  const changes = await appendChanges(tx, [{ storeId, body: { kind: 'store.changed', store: after } }]);
  await recordWith(tx, { action: 'store-changed', ...by, storeId, detail: { before, after } }, at);
  return { store, changes };
}
