// Menu versions: created from a validated document, published to stores as a feed change, and
// read back (cached, since a version never changes) to check the prices of uploaded orders.
import type { ServerDb, ServerTx } from '../db/client';
import { appendChanges, type PendingChange } from '../feed/changeFeed';
import { AppError } from '../protocol/errors';
import type { Change, MenuVersionWire } from '../protocol/events';
import { uuidv7 } from '../protocol/ids';
import { indexMenu, type MenuDocument, type MenuIndex } from '../protocol/menu';
import { AnyMenuDocumentSchema } from '../protocol/menuV1';

export async function createMenuVersion(db: ServerDb | ServerTx, document: MenuDocument) {
  return db.menuVersion.create({ data: { id: uuidv7(), name: document.name, document } });
}

/** Every menu version, newest first, without its document. */
export async function listMenuVersions(db: ServerDb) {
  const versions = await db.menuVersion.findMany({ select: { id: true, name: true, createdAt: true, _count: { select: { publications: true } } }, orderBy: { createdAt: 'desc' } });
  return versions.map(({ _count, ...version }) => ({ ...version, publications: _count.publications }));
}

/** A version that may go to these stores: it exists, and they sell in its currency. Checked before anything is written. */
export async function versionForStores(tx: ServerTx, menuVersionId: string, storeIds: readonly string[]) {
  const version = await tx.menuVersion.findUnique({ where: { id: menuVersionId } });
  if (!version) throw new AppError('MENU_VERSION_UNKNOWN', 'There is no such menu version.');
  const document = AnyMenuDocumentSchema.parse(version.document);
  const stores = await tx.store.findMany({ where: { id: { in: [...storeIds] } }, select: { id: true, name: true, currency: true } });
  if (stores.length !== new Set(storeIds).size) throw new AppError('STORE_NOT_FOUND', 'A store does not exist.', 'storeIds');
  const wrongCurrency = stores.find((s) => s.currency !== document.currency);
  if (wrongCurrency) throw new AppError('INVALID_PAYLOAD', `The menu is priced in ${document.currency}; ${wrongCurrency.name} sells in ${wrongCurrency.currency}.`, 'storeIds');
  return { ...version, document };
}

/** A version with its document, read as format 2. */
export async function readMenuVersion(db: ServerDb, menuVersionId: string) {
  const version = await db.menuVersion.findUnique({ where: { id: menuVersionId }, select: { id: true, name: true, createdAt: true, document: true } });
  if (!version) throw new AppError('MENU_VERSION_UNKNOWN');
  return { ...version, document: AnyMenuDocumentSchema.parse(version.document) };
}

/** Every store by name, with the menu it runs (null: none yet), for comparing a draft with. */
export async function menusStoresRun(db: ServerDb) {
  const stores = await db.store.findMany({ select: { id: true, name: true, menuVersionId: true, menuVersion: { select: { document: true } } }, orderBy: { name: 'asc' } });
  return stores.map((store) => ({
    storeId: store.id,
    storeName: store.name,
    menuVersionId: store.menuVersionId,
    running: store.menuVersion ? AnyMenuDocumentSchema.parse(store.menuVersion.document) : null,
  }));
}

/**
 * Points stores at a version (also how rollback works: publish an older one) and tells their
 * terminals through the feed. Kiosks switch between customers, never in the middle of an order.
 */
export async function publishMenuVersion(tx: ServerTx, menuVersionId: string, storeIds: readonly string[]): Promise<Map<string, Change[]>> {
  const version = await versionForStores(tx, menuVersionId, storeIds);
  const { document } = version;

  await tx.store.updateMany({ where: { id: { in: [...storeIds] } }, data: { menuVersionId } });
  await tx.menuPublication.createMany({ data: storeIds.map((storeId) => ({ storeId, menuVersionId })) });
  const pending: PendingChange[] = storeIds.map((storeId) => ({
    storeId,
    body: { kind: 'menu.published', menuVersion: { id: version.id, name: version.name, document } },
  }));
  return appendChanges(tx, pending);
}

/**
 * Rollback: publishes to a store the version it had before its current one. A rollback is a new
 * publication, so rolling back twice returns to where it started.
 */
export async function rollBackMenu(tx: ServerTx, storeId: string): Promise<{ menuVersionId: string; changes: Map<string, Change[]> }> {
  const store = await tx.store.findUnique({ where: { id: storeId }, select: { menuVersionId: true } });
  if (!store) throw new AppError('STORE_NOT_FOUND');
  const previous = await tx.menuPublication.findFirst({
    where: { storeId, menuVersionId: { not: store.menuVersionId ?? undefined } },
    orderBy: { id: 'desc' },
  });
  if (!previous) throw new AppError('MENU_VERSION_UNKNOWN', 'This store has no earlier menu to roll back to.');
  return { menuVersionId: previous.menuVersionId, changes: await publishMenuVersion(tx, previous.menuVersionId, [storeId]) };
}

/**
 * Priced menus by version, for checking orders. A store may sell from any version it was ever
 * given: a kiosk that was offline during a publish keeps selling the menu its customers see.
 */
export class MenuCatalog {
  private readonly menus = new Map<string, Promise<MenuIndex | null>>();
  private readonly versions = new Map<string, Promise<MenuVersionWire | null>>();
  private readonly published = new Map<string, Promise<boolean>>();
  private readonly forStores = new Map<string, MenuIndex>();

  constructor(private readonly db: ServerDb) {}

  /** A version as terminals get it, read and checked once: snapshots of a thousand terminals share it. */
  version(menuVersionId: string): Promise<MenuVersionWire | null> {
    let version = this.versions.get(menuVersionId);
    if (!version) {
      version = this.db.menuVersion
        .findUnique({ where: { id: menuVersionId }, select: { id: true, name: true, document: true } })
        .then((row) => (row ? { id: row.id, name: row.name, document: AnyMenuDocumentSchema.parse(row.document) } : null));
      this.versions.set(menuVersionId, version);
      version.then((found) => found || this.versions.delete(menuVersionId), () => this.versions.delete(menuVersionId));
    }
    return version;
  }

  async forOrder(storeId: string, menuVersionId: string): Promise<MenuIndex> {
    const key = `${storeId}/${menuVersionId}`;
    let wasPublished = this.published.get(key);
    if (!wasPublished) {
      wasPublished = this.db.menuPublication.count({ where: { storeId, menuVersionId } }).then((n) => n > 0);
      this.published.set(key, wasPublished);
      // Only a yes is permanent; a no may become a yes with the next publish.
      wasPublished.then((yes) => yes || this.published.delete(key), () => this.published.delete(key));
    }
    const forStore = this.forStores.get(key);
    if (forStore) return forStore;
    const menu = (await wasPublished) ? await this.load(menuVersionId) : null;
    if (!menu) throw new AppError('MENU_VERSION_UNKNOWN', `This store never had menu version ${menuVersionId}.`, 'order.menuVersionId');
    // One priced index a store and version, not one an order: uploads come by the thousand.
    const priced = { ...menu, storeId };
    this.forStores.set(key, priced);
    return priced;
  }

  private load(menuVersionId: string): Promise<MenuIndex | null> {
    let menu = this.menus.get(menuVersionId);
    if (!menu) {
      menu = this.version(menuVersionId).then((version) => (version ? indexMenu(menuVersionId, version.document) : null));
      this.menus.set(menuVersionId, menu);
      menu.catch(() => this.menus.delete(menuVersionId));
    }
    return menu;
  }
}

/**
 * Deletes a version no store ever ran and none is scheduled to: one that was published stays,
 * since orders were priced from it and rollback may need it.
 */
export async function deleteMenuVersion(tx: ServerTx, menuVersionId: string): Promise<void> {
  const version = await tx.menuVersion.findUnique({
    where: { id: menuVersionId },
    select: { _count: { select: { publications: true, stores: true, scheduled: { where: { cancelledAt: null } } } } },
  });
  if (!version) throw new AppError('MENU_VERSION_UNKNOWN');
  const { publications, stores, scheduled } = version._count;
  if (publications + stores + scheduled > 0) throw new AppError('MENU_VERSION_IN_USE');
  await tx.menuVersion.delete({ where: { id: menuVersionId } });
}
