// The menu as the editor holds it (a format 2 document, perhaps not yet valid) and the small
// changes an editor makes to it: a new item, category or group with an id of its own, money typed
// as the customer reads it.
import { minorDigits } from '#protocol/money';
import type { MenuCategory, MenuDocument, MenuItem, ModifierGroup, Text } from '#protocol/menu';

export type EditedMenu = MenuDocument;
export type { MenuCategory, MenuItem, ModifierGroup, Text };

/** An id from a name, as menus write them ("Big Mac" → big-mac), not taken by any of `taken`. */
export function newId(name: string, taken: Iterable<string>, fallback: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || fallback;
  const used = new Set(taken);
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  return id;
}

const named = (menu: EditedMenu, name: string): Text => ({ [menu.defaultLocale]: name });

export function addItem(menu: EditedMenu, categoryId: string, name: string): MenuItem {
  const item: MenuItem = {
    id: newId(name, menu.items.map((i) => i.id), 'item'),
    categoryId,
    name: named(menu, name),
    description: {},
    priceCents: 0,
    storePrices: {},
    modifierGroupIds: [],
    allergens: [],
    dietTags: [],
    upsellItemIds: [],
    daypartIds: [],
  };
  menu.items.push(item);
  return item;
}

export function addCategory(menu: EditedMenu, name: string, parentId?: string): MenuCategory {
  const category: MenuCategory = { id: newId(name, menu.categories.map((c) => c.id), 'category'), name: named(menu, name), daypartIds: [], ...(parentId ? { parentId } : {}) };
  menu.categories.push(category);
  return category;
}

export function addGroup(menu: EditedMenu, name: string): ModifierGroup {
  const optionIds = menu.modifierGroups.flatMap((g) => g.options.map((o) => o.id));
  const group: ModifierGroup = {
    id: newId(name, menu.modifierGroups.map((g) => g.id), 'choice'),
    name: named(menu, name),
    minChoices: 0,
    maxChoices: 1,
    options: [{ id: newId(`${name} option`, optionIds, 'option'), name: named(menu, `${name} option`), priceDeltaCents: 0, allergens: [] }],
  };
  menu.modifierGroups.push(group);
  return group;
}

/** Removes an item and every mention of it (upsells), so the menu stays whole. */
export function removeItem(menu: EditedMenu, itemId: string): void {
  menu.items = menu.items.filter((item) => item.id !== itemId);
  for (const item of menu.items) item.upsellItemIds = item.upsellItemIds.filter((id) => id !== itemId);
}

/** Minor units in a currency (2 for EUR, 0 for JPY, 3 for KWD), as Intl knows them. */

/** What a price field shows: 12.50 for 1250 cents of EUR. */
export const centsToText = (cents: number, currency: string) => (Number.isFinite(cents) ? (cents / 10 ** minorDigits(currency)).toFixed(minorDigits(currency)) : '');

/**
 * What a typed price is in cents: "12.50", "12,50" and "12" all read; anything else is NaN, which
 * the document check reports at the field.
 */
export function textToCents(text: string, currency: string): number {
  const normalised = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalised)) return Number.NaN;
  return Math.round(Number(normalised) * 10 ** minorDigits(currency));
}

/** A text in the menu's default locale, else any: how lists and problems name an entry. */
export const nameOf = (menu: EditedMenu, text: Text | undefined) => (text ? (text[menu.defaultLocale] ?? Object.values(text)[0] ?? '') : '');
