// Menu versions as this terminal keeps them: whole versions side by side, so a kiosk can finish
// a customer's order on the version it started with while the next customer gets the new one.
import type { MenuVersionWire } from '../../../sync-server/protocol/events';
import { indexMenu, type MenuDocument, type MenuIndex, type ModifierGroup } from '../../../sync-server/protocol/menu';
import type { TaxPolicy } from '../../../sync-server/protocol/pricing';
import type { MenuView } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import type { TerminalReader } from '../db/terminalDb';

/** Versions kept besides the newest: enough for a kiosk that was mid-order across a few publishes. */
const KEEP_VERSIONS = 5;

/** Stores a version (if new) in the caller's write transaction, and forgets versions too old to matter. */
export function saveMenuVersion(sql: LocalSql, { id, name, document }: MenuVersionWire): void {
  if (sql.get('SELECT 1 FROM MenuVersion WHERE id = ?', id)) return;
  sql.run('INSERT INTO MenuVersion (id, name, currency, receivedAt) VALUES (?, ?, ?, ?)', id, name, document.currency, new Date().toISOString());
  document.categories.forEach((c, position) => sql.run('INSERT INTO MenuCategory (menuVersionId, id, name, position) VALUES (?, ?, ?, ?)', id, c.id, c.name, position));
  document.items.forEach((item, position) =>
    sql.run(
      `INSERT INTO MenuItem (menuVersionId, id, categoryId, name, description, priceCents, image, position, modifierGroupIds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      item.id,
      item.categoryId,
      item.name,
      item.description,
      item.priceCents,
      item.image ?? null,
      position,
      JSON.stringify(item.modifierGroupIds),
    ),
  );
  document.modifierGroups.forEach((g, position) => {
    sql.run('INSERT INTO ModifierGroup (menuVersionId, id, name, minChoices, maxChoices, position) VALUES (?, ?, ?, ?, ?, ?)', id, g.id, g.name, g.minChoices, g.maxChoices, position);
    g.options.forEach((o, optionPosition) =>
      sql.run(
        'INSERT INTO ModifierOption (menuVersionId, id, groupId, name, priceDeltaCents, isDefault, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
        id,
        o.id,
        g.id,
        o.name,
        o.priceDeltaCents,
        o.default ? 1 : 0,
        optionPosition,
      ),
    );
  });
  // Versions cascade to their categories, items, groups and options.
  sql.run('DELETE FROM MenuVersion WHERE id IN (SELECT id FROM MenuVersion ORDER BY receivedAt DESC, rowid DESC LIMIT -1 OFFSET ?)', KEEP_VERSIONS + 1);
}

/** Reads a stored version back as the document it came from. */
async function loadDocument(db: TerminalReader, versionId: string): Promise<MenuDocument | null> {
  const version = await db.menuVersion.findUnique({
    where: { id: versionId },
    include: {
      categories: { orderBy: { position: 'asc' } },
      items: { orderBy: { position: 'asc' } },
      modifierGroups: { orderBy: { position: 'asc' }, include: { options: { orderBy: { position: 'asc' } } } },
    },
  });
  if (!version) return null;
  const modifierGroups: ModifierGroup[] = version.modifierGroups.map((g) => ({
    id: g.id,
    name: g.name,
    minChoices: g.minChoices,
    maxChoices: g.maxChoices,
    options: g.options.map((o) => ({ id: o.id, name: o.name, priceDeltaCents: o.priceDeltaCents, ...(o.isDefault ? { default: true } : {}) })),
  }));
  return {
    name: version.name,
    currency: version.currency,
    categories: version.categories.map((c) => ({ id: c.id, name: c.name })),
    items: version.items.map((i) => ({
      id: i.id,
      categoryId: i.categoryId,
      name: i.name,
      description: i.description,
      priceCents: i.priceCents,
      ...(i.image ? { image: i.image } : {}),
      modifierGroupIds: i.modifierGroupIds as string[],
    })),
    modifierGroups,
  };
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

  async index(versionId: string): Promise<MenuIndex | null> {
    return (await this.load(versionId))?.index ?? null;
  }

  /** The version as a kiosk shows it, with today's sold-out items marked. */
  async view(versionId: string, tax: TaxPolicy): Promise<MenuView | null> {
    const doc = (await this.load(versionId))?.document;
    if (!doc) return null;
    const soldOut = new Set((await this.db.itemAvailability.findMany({ where: { available: false }, select: { itemId: true } })).map((a) => a.itemId));
    return {
      versionId,
      name: doc.name,
      currency: doc.currency,
      tax,
      categories: doc.categories,
      items: doc.items.map((item) => ({ ...item, available: !soldOut.has(item.id) })),
      modifierGroups: doc.modifierGroups,
    };
  }
}
