// Menu versions as this terminal keeps them: whole versions side by side, so a kiosk can finish
// a customer's order on the version it started with while the next customer gets the new one.
import type { MenuVersionWire } from '../../../sync-server/protocol/events';
import { indexMenu, type MenuDocument, type MenuIndex, type ModifierGroup } from '../../../sync-server/protocol/menu';
import type { TaxPolicy } from '../../../sync-server/protocol/pricing';
import type { MenuView } from '../api/contract';
import type { TerminalDb, TerminalTx } from '../db/terminalDb';

/** Versions kept besides the newest: enough for a kiosk that was mid-order across a few publishes. */
const KEEP_VERSIONS = 5;

export async function saveMenuVersion(tx: TerminalTx, { id, name, document }: MenuVersionWire): Promise<void> {
  if (await tx.menuVersion.findUnique({ where: { id }, select: { id: true } })) return;
  await tx.menuVersion.create({ data: { id, name, currency: document.currency } });
  await tx.menuCategory.createMany({ data: document.categories.map((c, position) => ({ menuVersionId: id, id: c.id, name: c.name, position })) });
  await tx.menuItem.createMany({
    data: document.items.map((item, position) => ({
      menuVersionId: id,
      id: item.id,
      categoryId: item.categoryId,
      name: item.name,
      description: item.description,
      priceCents: item.priceCents,
      image: item.image ?? null,
      position,
      modifierGroupIds: item.modifierGroupIds,
    })),
  });
  await tx.modifierGroup.createMany({
    data: document.modifierGroups.map((g, position) => ({
      menuVersionId: id,
      id: g.id,
      name: g.name,
      minChoices: g.minChoices,
      maxChoices: g.maxChoices,
      position,
    })),
  });
  await tx.modifierOption.createMany({
    data: document.modifierGroups.flatMap((g) =>
      g.options.map((o, position) => ({
        menuVersionId: id,
        id: o.id,
        groupId: g.id,
        name: o.name,
        priceDeltaCents: o.priceDeltaCents,
        isDefault: o.default ?? false,
        position,
      })),
    ),
  });
  const old = await tx.menuVersion.findMany({ orderBy: { receivedAt: 'desc' }, skip: KEEP_VERSIONS + 1, select: { id: true } });
  if (old.length > 0) await tx.menuVersion.deleteMany({ where: { id: { in: old.map((v) => v.id) } } });
}

/** Reads a stored version back as the document it came from. */
async function loadDocument(db: TerminalDb, versionId: string): Promise<MenuDocument | null> {
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

/** Menu versions never change, so their priced form is computed once. */
export class MenuCache {
  private readonly indexes = new Map<string, Promise<MenuIndex | null>>();

  constructor(private readonly db: TerminalDb) {}

  index(versionId: string): Promise<MenuIndex | null> {
    let index = this.indexes.get(versionId);
    if (!index) {
      index = loadDocument(this.db, versionId).then((doc) => (doc ? indexMenu(versionId, doc) : null));
      this.indexes.set(versionId, index);
      void index.then((found) => found || this.indexes.delete(versionId), () => this.indexes.delete(versionId));
    }
    return index;
  }

  /** The version as a kiosk shows it, with today's sold-out items marked. */
  async view(versionId: string, tax: TaxPolicy): Promise<MenuView | null> {
    const doc = await loadDocument(this.db, versionId);
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
