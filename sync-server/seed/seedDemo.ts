import { readFile } from 'node:fs/promises';
import type { ServerDb } from '../db/client';
import { createMenuVersion, publishMenuVersion } from '../menus/menuCatalog';
import { AnyMenuDocumentSchema } from '../protocol/menuV1';
import { createStore } from '../stores/stores';

export const DEMO_STORE = {
  name: 'Tillsync Café Amsterdam',
  timeZone: 'Europe/Amsterdam',
  currency: 'EUR',
  taxRateBp: 900,
  pricesIncludeTax: true,
} as const;

export async function loadDemoMenuDocument() {
  return AnyMenuDocumentSchema.parse(JSON.parse(await readFile(new URL('./demo-menu.json', import.meta.url), 'utf8')));
}

/**
 * The demo café: one store with the autumn menu published. Run on an empty database only, so a
 * restarted demo keeps its orders. Returns the store's id.
 */
export async function seedDemo(db: ServerDb): Promise<string> {
  const existing = await db.store.findFirst({ where: { name: DEMO_STORE.name }, select: { id: true } });
  if (existing) return existing.id;
  const store = await createStore(db, DEMO_STORE);
  const version = await createMenuVersion(db, await loadDemoMenuDocument());
  await db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
  return store.id;
}
