// Format 1 menu documents: one language, no allergens, stations, dayparts or store prices. Versions
// stored in that format are read as format 2; terminals that know only format 1 (they do not say
// `menuFormats` in their hello) are sent each version in it, written for their store.
import { z } from 'zod';
import { BundledImage, Cents, MAX_PRICE_CENTS, MENU_FORMAT, MenuDocumentSchema, MenuId, Name, textIn, type MenuDocument, type Text } from './menu';

const OptionV1 = z.strictObject({ id: MenuId, name: Name, priceDeltaCents: z.int().min(-MAX_PRICE_CENTS).max(MAX_PRICE_CENTS), default: z.boolean().optional() });
const GroupV1 = z.strictObject({ id: MenuId, name: Name, minChoices: z.int().min(0).max(20), maxChoices: z.int().min(1).max(20), options: z.array(OptionV1).min(1).max(40) });
const ItemV1 = z.strictObject({
  id: MenuId,
  categoryId: MenuId,
  name: Name,
  description: z.string().trim().max(280).default(''),
  priceCents: Cents,
  image: BundledImage.optional(),
  modifierGroupIds: z.array(MenuId).max(10).default([]),
});
/** The limits format 1 terminals check a document against. */
const MAX_V1 = { categories: 50, items: 1000, modifierGroups: 200 };

export const MenuDocumentV1Schema = z.strictObject({
  /** Format 1 had no format field; 1 is accepted as saying so. */
  format: z.literal(1).optional(),
  name: Name,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  categories: z.array(z.strictObject({ id: MenuId, name: Name })).min(1).max(MAX_V1.categories),
  items: z.array(ItemV1).min(1).max(MAX_V1.items),
  modifierGroups: z.array(GroupV1).max(MAX_V1.modifierGroups).default([]),
});
export type MenuDocumentV1 = z.output<typeof MenuDocumentV1Schema>;

/** The locale a format 1 document's texts are taken to be in (written as `en` below). */
export const V1_LOCALE = 'en';

/**
 * A format 1 document as format 2: its texts in English, nothing it could not say. A valid format 1
 * document makes a valid format 2 one, so it is built, not checked again: terminals and tests that
 * read many of them (a thousand protocol clients in a benchmark) pay for one parse, not two.
 */
export function upgradeMenuV1(v1: MenuDocumentV1): MenuDocument {
  const en = (value: string): Text => (value ? { en: value } : {});
  return {
    format: MENU_FORMAT,
    name: v1.name,
    currency: v1.currency,
    defaultLocale: V1_LOCALE,
    locales: [V1_LOCALE],
    categories: v1.categories.map((c) => ({ id: c.id, name: en(c.name), daypartIds: [] })),
    items: v1.items.map((item) => ({
      id: item.id,
      categoryId: item.categoryId,
      name: en(item.name),
      description: en(item.description),
      priceCents: item.priceCents,
      storePrices: {},
      ...(item.image === undefined ? {} : { image: item.image }),
      modifierGroupIds: item.modifierGroupIds,
      allergens: [],
      dietTags: [],
      upsellItemIds: [],
      daypartIds: [],
    })),
    modifierGroups: v1.modifierGroups.map((g) => ({
      id: g.id,
      name: en(g.name),
      minChoices: g.minChoices,
      maxChoices: g.maxChoices,
      options: g.options.map((o) => ({ id: o.id, name: en(o.name), priceDeltaCents: o.priceDeltaCents, ...(o.default === undefined ? {} : { default: o.default }), allergens: [] })),
    })),
    stations: [],
    dayparts: [],
  };
}

/**
 * A version as a format 1 terminal of `storeId` can show it: texts in the default locale, the
 * store's own prices, subcategories folded into their categories, uploaded pictures left out (it
 * cannot fetch them) and every item on sale all day (it cannot tell dayparts).
 */
export function downgradeMenu(menu: MenuDocument, storeId: string): MenuDocumentV1 {
  const say = (value: Record<string, string>) => textIn(value, menu.defaultLocale, menu.defaultLocale);
  const topOf = new Map(menu.categories.map((c) => [c.id, c.parentId ?? c.id]));
  const categories = menu.categories.filter((c) => c.parentId === undefined).slice(0, MAX_V1.categories);
  const shown = new Set(categories.map((c) => c.id));
  const items = menu.items
    .map((item) => ({ item, categoryId: topOf.get(item.categoryId)! }))
    .filter(({ categoryId }) => shown.has(categoryId))
    .slice(0, MAX_V1.items)
    .map(({ item, categoryId }) => ({
      id: item.id,
      categoryId,
      name: say(item.name),
      description: say(item.description),
      priceCents: item.storePrices[storeId] ?? item.priceCents,
      ...(item.image && BundledImage.safeParse(item.image).success ? { image: item.image } : {}),
      modifierGroupIds: item.modifierGroupIds,
    }));
  return {
    name: menu.name,
    currency: menu.currency,
    categories: categories.map((c) => ({ id: c.id, name: say(c.name) })),
    items,
    modifierGroups: menu.modifierGroups.slice(0, MAX_V1.modifierGroups).map((g) => ({
      id: g.id,
      name: say(g.name),
      minChoices: g.minChoices,
      maxChoices: g.maxChoices,
      options: g.options.map((o) => ({ id: o.id, name: say(o.name), priceDeltaCents: o.priceDeltaCents, ...(o.default ? { default: true } : {}) })),
    })),
  };
}

/**
 * A menu document in either format, read as format 2: what head office may send, and what a
 * stored version or a terminal's copy may be.
 */
export const AnyMenuDocumentSchema = z
  .discriminatedUnion('format', [MenuDocumentSchema, MenuDocumentV1Schema])
  .transform((menu): MenuDocument => (menu.format === MENU_FORMAT ? menu : upgradeMenuV1(menu)));
