// Menu versions as this terminal keeps them: whole documents side by side, so a kiosk can finish
// a customer's order on the version it started with while the next customer gets the new one.
import type { MenuVersionWire } from '#protocol/events';
import { indexMenu, MENU_FORMAT, type MenuDocument, type MenuIndex } from '#protocol/menu';
import { MenuDocumentV1Schema, upgradeMenuV1, type MenuDocumentV1 } from '#protocol/menuV1';
import type { TaxPolicy } from '#protocol/pricing';
import type { MenuView } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import type { TerminalReader } from '../db/terminalDb';

/** Versions kept besides the newest: enough for a kiosk that was mid-order across a few publishes. */
export const KEEP_VERSIONS = 5;

/** Stores a version (if new) in the caller's write transaction, and forgets versions too old to matter. */
export function saveMenuVersion(sql: LocalSql, { id, name, document }: MenuVersionWire): void {
  if (sql.get('SELECT 1 FROM MenuVersion WHERE id = ?', id)) return;
  sql.run('INSERT INTO MenuVersion (id, name, document, receivedAt) VALUES (?, ?, ?, ?)', id, name, JSON.stringify(document), new Date().toISOString());
  sql.run('DELETE FROM MenuVersion WHERE id IN (SELECT id FROM MenuVersion ORDER BY receivedAt DESC, rowid DESC LIMIT -1 OFFSET ?)', KEEP_VERSIONS + 1);
}

/**
 * Reads a stored version back, in format 2. It was checked when it arrived; versions kept from
 * before format 2 were written in format 1 by the migration, and are read as format 2.
 */
async function loadDocument(db: TerminalReader, versionId: string): Promise<MenuDocument | null> {
  const version = await db.menuVersion.findUnique({ where: { id: versionId }, select: { document: true } });
  if (!version) return null;
  const stored = JSON.parse(version.document) as MenuDocument | MenuDocumentV1;
  return stored.format === MENU_FORMAT ? stored : upgradeMenuV1(MenuDocumentV1Schema.parse(stored));
}

/** Menu versions never change: each is read from SQLite, and priced, once. */
export class MenuCache {
  private readonly versions = new Map<string, Promise<{ document: MenuDocument; index: MenuIndex } | null>>();

  constructor(private readonly db: TerminalReader) {}

  private load(versionId: string) {
    let version = this.versions.get(versionId);
    if (!version) {
      version = loadDocument(this.db, versionId).then((document) => (document ? { document, index: indexMenu(versionId, document) } : null));
      this.versions.set(versionId, version);
      // Only a version that was there is remembered: one not received yet may come.
      void version.then((found) => found || this.versions.delete(versionId), () => this.versions.delete(versionId));
    }
    return version;
  }

  /** The version's document, as head office published it. */
  async document(versionId: string): Promise<MenuDocument | null> {
    return (await this.load(versionId))?.document ?? null;
  }

  /** The version priced for `storeId`. */
  async index(versionId: string, storeId: string): Promise<MenuIndex | null> {
    const index = (await this.load(versionId))?.index;
    return index ? { ...index, storeId } : null;
  }

  /**
   * The version as a kiosk of `store` shows it: priced for the store, with today's sold-out items
   * marked. Texts stay in every locale, so the screen changes language without asking again.
   */
  async view(versionId: string, store: { id: string; timeZone: string; tax: TaxPolicy }): Promise<MenuView | null> {
    const doc = (await this.load(versionId))?.document;
    if (!doc) return null;
    const soldOut = new Set((await this.db.itemAvailability.findMany({ where: { available: false }, select: { itemId: true } })).map((a) => a.itemId));
    const { format: _format, items, ...rest } = doc;
    return {
      ...rest,
      versionId,
      tax: store.tax,
      timeZone: store.timeZone,
      items: items.map(({ storePrices, ...item }) => ({ ...item, priceCents: storePrices[store.id] ?? item.priceCents, available: !soldOut.has(item.id) })),
    };
  }
}
