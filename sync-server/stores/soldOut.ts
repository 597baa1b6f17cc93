// Sold-out ("86") toggles: live changes on a store's feed that need no publish, and the board a
// store's people see them on — every item of the store's menu, who toggled it last and when.
import type { ServerDb, ServerTx } from '../db/client';
import { appendChanges } from '../feed/changeFeed';
import { AppError } from '../protocol/errors';
import type { Change } from '../protocol/events';
import { textIn } from '../protocol/menu';
import { AnyMenuDocumentSchema } from '../protocol/menuV1';

/**
 * Marks an item sold out or back, in one store, and records who did. The item must be on the
 * store's current menu.
 */
export async function setAvailability(tx: ServerTx, storeId: string, itemId: string, available: boolean, updatedById: string, now = new Date()): Promise<Map<string, Change[]>> {
  // Asked of PostgreSQL rather than by reading the whole menu document: toggles come in bursts.
  const [found] = await tx.$queryRaw<Array<{ store: boolean; item: boolean }>>`
    SELECT true AS store, coalesce(m.document->'items' @> jsonb_build_array(jsonb_build_object('id', ${itemId}::text)), false) AS item
      FROM "Store" s LEFT JOIN "MenuVersion" m ON m.id = s."menuVersionId" WHERE s.id = ${storeId}::uuid`;
  if (!found) throw new AppError('STORE_NOT_FOUND');
  if (!found.item) throw new AppError('UNKNOWN_ITEM', `"${itemId}" is not on this store's menu.`, 'itemId');
  await tx.itemAvailability.upsert({
    where: { storeId_itemId: { storeId, itemId } },
    create: { storeId, itemId, available, updatedAt: now, updatedById },
    update: { available, updatedAt: now, updatedById },
  });
  return appendChanges(tx, [{ storeId, body: { kind: 'item.availability', itemId, available } }]);
}

/** A menu version as the board lists it: names in the menu's own language, in menu order. */
interface BoardMenu {
  name: string;
  categories: Array<{ id: string; name: string; parentId: string | null }>;
  items: Array<{ itemId: string; name: string; categoryId: string }>;
}

/** Versions never change: each is read and parsed once, not at every refresh of every board. */
const boardMenus = new Map<string, Promise<BoardMenu>>();
const MAX_BOARD_MENUS = 100;

function boardMenu(db: ServerDb, menuVersionId: string): Promise<BoardMenu> {
  let menu = boardMenus.get(menuVersionId);
  if (!menu) {
    menu = db.menuVersion.findUniqueOrThrow({ where: { id: menuVersionId }, select: { name: true, document: true } }).then(({ name, document }) => {
      const { defaultLocale, categories, items } = AnyMenuDocumentSchema.parse(document);
      const say = (text: Record<string, string>) => textIn(text, defaultLocale, defaultLocale);
      return {
        name,
        categories: categories.map((c) => ({ id: c.id, name: say(c.name), parentId: c.parentId ?? null })),
        items: items.map((i) => ({ itemId: i.id, name: say(i.name), categoryId: i.categoryId })),
      };
    });
    boardMenus.set(menuVersionId, menu);
    menu.catch(() => boardMenus.delete(menuVersionId));
    if (boardMenus.size > MAX_BOARD_MENUS) boardMenus.delete(boardMenus.keys().next().value!);
  }
  return menu;
}

/**
 * The store's sold-out board: every item of the menu it runs, available or not, with who toggled
 * it last and when (never toggled: available, nobody, never).
 */
export async function readSoldOutBoard(db: ServerDb, storeId: string) {
  const store = await db.store.findUnique({ where: { id: storeId }, select: { menuVersionId: true } });
  if (!store) throw new AppError('STORE_NOT_FOUND');
  if (!store.menuVersionId) return { menuVersionId: null, menuName: null, categories: [], items: [] };
  const [menu, toggles] = await Promise.all([
    boardMenu(db, store.menuVersionId),
    db.itemAvailability.findMany({
      where: { storeId },
      select: { itemId: true, available: true, updatedAt: true, updatedBy: { select: { id: true, name: true, email: true } } },
    }),
  ]);
  const byItem = new Map(toggles.map((t) => [t.itemId, t]));
  return {
    menuVersionId: store.menuVersionId,
    menuName: menu.name,
    categories: menu.categories,
    items: menu.items.map((item) => {
      const toggle = byItem.get(item.itemId);
      return { ...item, available: toggle?.available ?? true, updatedAt: toggle?.updatedAt ?? null, updatedBy: toggle?.updatedBy ?? null };
    }),
  };
}
