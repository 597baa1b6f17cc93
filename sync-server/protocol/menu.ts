// The menu document head office writes and publishes (format 2): categories and subcategories,
// items, and modifier groups that items share (one "Milk" group for every coffee), each
// customer-facing text in every locale the chain sells in, allergens and nutrition, kitchen
// stations, dayparts and per-store prices. A published version never changes; terminals keep a
// copy and orders name the version they were priced from. Format 1 documents (menuV1.ts) are
// still read, and still sent to terminals that only know format 1.
import { z } from 'zod';

export const MENU_FORMAT = 2;

export const MenuId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
/** A language, optionally with its region, as BCP 47 writes it: `en`, `ar`, `pt-BR`. */
export const Locale = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'a language code such as en, ar or pt-BR');
export const Name = z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters');
export const MAX_PRICE_CENTS = 1_000_000;
export const Cents = z.int('a whole number of cents').min(0, 'must not be negative').max(MAX_PRICE_CENTS, `at most ${MAX_PRICE_CENTS} cents`);
/** An uploaded picture: the SHA-256 of its bytes, served at /media/<id>-card.webp and -full.webp. */
export const ImageId = z.string().regex(/^[0-9a-f]{64}$/, 'the id of an uploaded picture');
/** A picture shipped with the terminal (`menu/latte.svg`), as the demo's. */
export const BundledImage = z.string().regex(/^[a-z0-9][a-z0-9/_-]{0,120}\.(svg|png|webp|jpg)$/, 'a relative image path');
const ImageRef = z.union([ImageId, BundledImage], { error: 'an uploaded picture or a bundled image path' });

/**
 * Where a screen finds a picture: an uploaded one under /media (the sync server serves it, and a
 * terminal keeps its own copy), a bundled one beside the screens.
 */
export function pictureUrl(image: string, size: 'card' | 'full'): string {
  return ImageId.safeParse(image).success ? `/media/${image}-${size}.webp` : `/${image}`;
}

/** A text in each locale it has been written in; the menu's default locale is required. */
const text = (max: number) => z.record(Locale, z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`));
export const Title = text(80);
export const Blurb = text(280);
export type Text = z.output<typeof Title>;

/** The 14 allergens EU regulation 1169/2011 (Annex II) requires a customer to be told of. */
export const ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soybeans',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;
export const Allergen = z.enum(ALLERGENS);
export type Allergen = z.output<typeof Allergen>;
export const DIET_TAGS = ['vegetarian', 'vegan', 'halal', 'kosher', 'gluten-free', 'dairy-free', 'spicy'] as const;
export const DietTag = z.enum(DIET_TAGS);
export type DietTag = z.output<typeof DietTag>;

const grams = z.number().min(0, 'must not be negative').max(10_000, 'at most 10,000 g');
/** Per portion, as the EU's nutrition declaration lists it. */
export const NutritionSchema = z.strictObject({
  fatG: grams,
  saturatesG: grams,
  carbohydrateG: grams,
  sugarsG: grams,
  fibreG: grams.optional(),
  proteinG: grams,
  saltG: grams,
});
export const EnergySchema = z.strictObject({ kcal: z.int().min(0).max(10_000), kj: z.int().min(0).max(42_000) });

const tags = <T extends z.ZodType>(of: T) => z.array(of).max(20).default([]);
/** An hour of the day in the store's own time zone, `07:00` … `23:59`. */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 10:30');
/** ISO weekdays: 1 is Monday, 7 Sunday. */
const Weekday = z.int().min(1).max(7);

export const DaypartSchema = z.strictObject({
  id: MenuId,
  name: Title,
  /** From this time (inclusive) until that one (exclusive); `until` before `from` runs past midnight. */
  from: ClockTime,
  until: ClockTime,
  /** The days it applies on; every day when left out. */
  days: z.array(Weekday).min(1).max(7).optional(),
});

export const StationSchema = z.strictObject({ id: MenuId, name: Name });

export const ModifierOptionSchema = z.strictObject({
  id: MenuId,
  name: Title,
  priceDeltaCents: z.int().min(-MAX_PRICE_CENTS).max(MAX_PRICE_CENTS),
  /** Pre-selected on the kiosk; the customer can change it. */
  default: z.boolean().optional(),
  allergens: tags(Allergen),
});

export const ModifierGroupSchema = z.strictObject({
  id: MenuId,
  name: Title,
  minChoices: z.int().min(0).max(20),
  maxChoices: z.int().min(1).max(20),
  options: z.array(ModifierOptionSchema).min(1).max(40),
});

/** Where an item is made, and when it may be sold: set on an item, or inherited from its category. */
const placement = {
  stationId: MenuId.optional(),
  /** Sold only during these dayparts; always when empty. */
  daypartIds: z.array(MenuId).max(10).default([]),
};

export const MenuCategorySchema = z.strictObject({
  id: MenuId,
  name: Title,
  /** A subcategory names its category (one level: "Burgers › Chicken"). */
  parentId: MenuId.optional(),
  image: ImageRef.optional(),
  ...placement,
});

export const MenuItemSchema = z.strictObject({
  id: MenuId,
  categoryId: MenuId,
  name: Title,
  description: Blurb.default({}),
  priceCents: Cents,
  /** Prices of stores that charge otherwise (airport, city centre), by store id. */
  storePrices: z.record(z.uuid(), Cents).default({}),
  image: ImageRef.optional(),
  modifierGroupIds: z.array(MenuId).max(10).default([]),
  allergens: tags(Allergen),
  dietTags: tags(DietTag),
  energy: EnergySchema.optional(),
  nutrition: NutritionSchema.optional(),
  /** Items offered with this one ("Add fries?"), in order. */
  upsellItemIds: z.array(MenuId).max(6).default([]),
  /** How long the kitchen needs for it, so stations can fire items to finish together. */
  prepSeconds: z.int().min(0).max(3600).optional(),
  ...placement,
});

const MenuDocumentShape = z.strictObject({
  format: z.literal(MENU_FORMAT),
  name: Name,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  /** The locale every text must have, shown where a translation is missing. */
  defaultLocale: Locale,
  /** Every locale the menu is written in, the default among them. */
  locales: z.array(Locale).min(1).max(20),
  categories: z.array(MenuCategorySchema).min(1, 'a menu needs at least one category').max(200, 'at most 200'),
  items: z.array(MenuItemSchema).min(1, 'a menu needs at least one item').max(5000, 'at most 5,000'),
  modifierGroups: z.array(ModifierGroupSchema).max(500).default([]),
  stations: z.array(StationSchema).max(30).default([]),
  dayparts: z.array(DaypartSchema).max(20).default([]),
});
type MenuDocumentShape = z.output<typeof MenuDocumentShape>;

/** 1 kcal is 4.184 kJ; a label's two figures may differ by rounding, not more. */
const KJ_PER_KCAL = 4.184;

/**
 * A document as far as its shape could be read: each list keeps its places, with a hole where an
 * entry is itself malformed, so the rules that span the document are still checked around it.
 */
interface ReadableMenu {
  defaultLocale: string | undefined;
  locales: readonly (string | undefined)[];
  categories: readonly (MenuCategory | undefined)[];
  items: readonly (MenuItem | undefined)[];
  modifierGroups: readonly (ModifierGroup | undefined)[];
  stations: readonly (z.output<typeof StationSchema> | undefined)[];
  dayparts: readonly (Daypart | undefined)[];
}
type Report = (path: (string | number)[], message: string) => void;
type Listed = readonly ({ id: string } | undefined)[];

/** Every reference and rule that spans the document, each problem at its own path. */
function checkMenu(menu: ReadableMenu, problem: Report): void {
  const unique = (list: Listed, path: string) => {
    const seen = new Set<string>();
    list.forEach((entry, i) => {
      if (entry && seen.has(entry.id)) problem([path, i, 'id'], `duplicate id "${entry.id}"`);
      if (entry) seen.add(entry.id);
    });
  };
  unique(menu.categories, 'categories');
  unique(menu.items, 'items');
  unique(menu.modifierGroups, 'modifierGroups');
  unique(menu.stations, 'stations');
  unique(menu.dayparts, 'dayparts');
  // A list with a malformed entry may hold the id a reference names: that entry's problem is reported, not a second one.
  const refersTo = (list: Listed) => {
    const ids = new Set(list.flatMap((entry) => (entry ? [entry.id] : [])));
    return list.includes(undefined) ? { has: () => true } : ids;
  };

  const { defaultLocale } = menu;
  const locales = new Set(menu.locales);
  if (defaultLocale && !locales.has(defaultLocale)) problem(['locales'], `must include the default locale "${defaultLocale}"`);
  menu.locales.forEach((locale, i) => locale && menu.locales.indexOf(locale) !== i && problem(['locales', i], `"${locale}" listed twice`));
  const checkText = (value: Text, path: (string | number)[], required = true) => {
    // Without a readable default locale that is the problem; every text need not repeat it.
    if (!defaultLocale) return;
    if (required && !value[defaultLocale]) problem(path, `needs a text in ${defaultLocale}, the default locale`);
    for (const locale of Object.keys(value)) if (!locales.has(locale)) problem([...path, locale], `"${locale}" is not one of the menu's locales`);
  };

  const stations = refersTo(menu.stations);
  const dayparts = refersTo(menu.dayparts);
  const checkPlacement = (entry: { stationId?: string | undefined; daypartIds: string[] }, path: (string | number)[]) => {
    if (entry.stationId && !stations.has(entry.stationId)) problem([...path, 'stationId'], `no station "${entry.stationId}"`);
    entry.daypartIds.forEach((id, k) => !dayparts.has(id) && problem([...path, 'daypartIds', k], `no daypart "${id}"`));
  };
  menu.dayparts.forEach((d, i) => {
    if (!d) return;
    checkText(d.name, ['dayparts', i, 'name']);
    if (d.from === d.until) problem(['dayparts', i, 'until'], 'must differ from the start');
  });

  const categoryIds = refersTo(menu.categories);
  const categories = new Map(menu.categories.flatMap((c) => (c ? [[c.id, c] as const] : [])));
  menu.categories.forEach((category, c) => {
    if (!category) return;
    checkText(category.name, ['categories', c, 'name']);
    checkPlacement(category, ['categories', c]);
    if (category.parentId === undefined || !categoryIds.has(category.parentId)) {
      if (category.parentId !== undefined) problem(['categories', c, 'parentId'], `no category "${category.parentId}"`);
      return;
    }
    const parent = categories.get(category.parentId);
    if (parent?.id === category.id) problem(['categories', c, 'parentId'], 'a category cannot be its own');
    else if (parent?.parentId !== undefined) problem(['categories', c, 'parentId'], `"${parent!.id}" is itself a subcategory`);
  });

  // Option ids are unique across the menu, so an order line can name its choices by id alone.
  const optionIds = new Set<string>();
  const groupIds = refersTo(menu.modifierGroups);
  const groups = new Map(menu.modifierGroups.flatMap((g) => (g ? [[g.id, g] as const] : [])));
  menu.modifierGroups.forEach((group, g) => {
    if (!group) return;
    checkText(group.name, ['modifierGroups', g, 'name']);
    if (group.minChoices > group.maxChoices) problem(['modifierGroups', g, 'minChoices'], 'more than maxChoices');
    if (group.maxChoices > group.options.length) problem(['modifierGroups', g, 'maxChoices'], 'more than the number of options');
    if (group.options.filter((o) => o.default).length > group.maxChoices) problem(['modifierGroups', g, 'options'], 'more defaults than maxChoices');
    group.options.forEach((option, o) => {
      checkText(option.name, ['modifierGroups', g, 'options', o, 'name']);
      if (optionIds.has(option.id)) problem(['modifierGroups', g, 'options', o, 'id'], `duplicate option id "${option.id}"`);
      optionIds.add(option.id);
    });
  });

  const items = refersTo(menu.items);
  menu.items.forEach((item, i) => {
    if (!item) return;
    checkText(item.name, ['items', i, 'name']);
    checkText(item.description, ['items', i, 'description'], false);
    checkPlacement(item, ['items', i]);
    if (!categoryIds.has(item.categoryId)) problem(['items', i, 'categoryId'], `no category "${item.categoryId}"`);
    item.upsellItemIds.forEach((id, k) => {
      if (!items.has(id)) problem(['items', i, 'upsellItemIds', k], `no item "${id}"`);
      else if (id === item.id) problem(['items', i, 'upsellItemIds', k], 'an item cannot be offered with itself');
      else if (item.upsellItemIds.indexOf(id) !== k) problem(['items', i, 'upsellItemIds', k], `"${id}" listed twice`);
    });
    if (item.energy && Math.abs(item.energy.kj - item.energy.kcal * KJ_PER_KCAL) > Math.max(5, item.energy.kcal * KJ_PER_KCAL * 0.02)) {
      problem(['items', i, 'energy', 'kj'], `does not match ${item.energy.kcal} kcal (about ${Math.round(item.energy.kcal * KJ_PER_KCAL)} kJ)`);
    }
    const lowest = Math.min(item.priceCents, ...Object.values(item.storePrices));
    item.modifierGroupIds.forEach((groupId, k) => {
      if (!groupIds.has(groupId)) return problem(['items', i, 'modifierGroupIds', k], `no modifier group "${groupId}"`);
      if (item.modifierGroupIds.indexOf(groupId) !== k) problem(['items', i, 'modifierGroupIds', k], `group "${groupId}" listed twice`);
      // No choice may take an item below zero: discounts belong to promotions, not modifiers.
      const cheapest = groups.get(groupId)?.options.reduce((low, o) => Math.min(low, o.priceDeltaCents), 0) ?? 0;
      if (lowest + cheapest < 0) problem(['items', i, 'priceCents'], `option of "${groupId}" makes the price negative`);
    });
  });
}

export const MenuDocumentSchema = MenuDocumentShape.superRefine((menu, ctx) => checkMenu(menu, (path, message) => ctx.addIssue({ code: 'custom', path, message })));

/** Each entry of a list that is one, read on its own: a hole where the entry is malformed. */
export function readEach<S extends z.ZodType>(schema: S, list: unknown): (z.output<S> | undefined)[] {
  return Array.isArray(list) ? list.map((entry) => schema.safeParse(entry).data) : [];
}

/**
 * Every problem of a format 2 document at once, as its editor needs them: the shape's (a field of
 * the wrong kind) and, around those, the rules that span the document (a category that does not
 * exist, kJ that do not match the kcal). A schema alone stops at the first round.
 */
export function menuDocumentIssues(input: unknown): { path: (string | number)[]; message: string }[] {
  const parsed = MenuDocumentSchema.safeParse(input);
  if (parsed.success) return [];
  const issues = parsed.error.issues.map(({ path, message }) => ({ path: path.filter((key) => typeof key !== 'symbol'), message }));
  // The rules ran when the shape was sound (only they add custom issues): theirs are among these.
  if (parsed.error.issues.some((issue) => issue.code === 'custom')) return issues;
  const raw = (input !== null && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const seen = new Set(issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  checkMenu(
    {
      defaultLocale: Locale.safeParse(raw.defaultLocale).data,
      locales: readEach(Locale, raw.locales),
      categories: readEach(MenuCategorySchema, raw.categories),
      items: readEach(MenuItemSchema, raw.items),
      modifierGroups: readEach(ModifierGroupSchema, raw.modifierGroups),
      stations: readEach(StationSchema, raw.stations),
      dayparts: readEach(DaypartSchema, raw.dayparts),
    },
    (path, message) => {
      const key = `${path.join('.')} ${message}`;
      if (!seen.has(key)) issues.push({ path, message });
      seen.add(key);
    },
  );
  return issues;
}

export type MenuDocument = z.output<typeof MenuDocumentSchema>;
export type MenuCategory = z.output<typeof MenuCategorySchema>;
export type MenuItem = z.output<typeof MenuItemSchema>;
export type ModifierGroup = z.output<typeof ModifierGroupSchema>;
export type ModifierOption = z.output<typeof ModifierOptionSchema>;
export type Daypart = z.output<typeof DaypartSchema>;

/** A text in `locale`, else in the menu's default locale (which every required text has). */
export function textIn(value: Text, locale: string, defaultLocale: string): string {
  return value[locale] ?? value[defaultLocale] ?? Object.values(value)[0] ?? '';
}

/** What pricing needs of an item, an option and a group; views of a menu have the same fields. */
export interface PricedItem {
  id: string;
  name: Text;
  priceCents: number;
  /** Prices of stores that charge otherwise, by store id. */
  storePrices?: Readonly<Record<string, number>>;
  modifierGroupIds: readonly string[];
}
export interface PricedOption {
  id: string;
  name: Text;
  priceDeltaCents: number;
}
export interface PricedGroup {
  id: string;
  name: Text;
  minChoices: number;
  maxChoices: number;
  options: readonly PricedOption[];
}

/** A menu version ready for pricing: lookups by id instead of list scans. */
export interface MenuIndex<I extends PricedItem = PricedItem, G extends PricedGroup = PricedGroup> {
  versionId: string;
  currency: string;
  /** The locale of the names an order carries: what the kitchen reads. */
  defaultLocale: string;
  /** The store it prices for, whose own prices replace the menu's. */
  storeId?: string;
  items: ReadonlyMap<string, I>;
  groups: ReadonlyMap<string, G>;
  /** Each option with its group and its position in the group. */
  options: ReadonlyMap<string, { option: G['options'][number]; group: G; position: number }>;
  /** Where each item is made and how long it takes, for items of a menu that says (format 2). */
  kitchen: ReadonlyMap<string, KitchenPlacement>;
}

/** Where an item is made (its own station, else its category's, else its parent category's) and how long it takes. */
export interface KitchenPlacement {
  stationId?: string;
  prepSeconds?: number;
}

type PlacedCategory = Pick<MenuCategory, 'id' | 'parentId' | 'stationId'>;
/** An item as a menu of either format has it: format 1 items have no category placement or prep time. */
interface PlacedItem {
  id: string;
  categoryId?: string;
  stationId?: string | undefined;
  prepSeconds?: number | undefined;
}

function kitchenOf(categories: readonly PlacedCategory[], items: readonly PlacedItem[]): Map<string, KitchenPlacement> {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const stationOfCategory = (id: string): string | undefined => {
    const category = byId.get(id);
    return category?.stationId ?? (category?.parentId ? byId.get(category.parentId)?.stationId : undefined);
  };
  return new Map(
    items.map((item) => {
      const stationId = item.stationId ?? (item.categoryId === undefined ? undefined : stationOfCategory(item.categoryId));
      return [item.id, { ...(stationId ? { stationId } : {}), ...(item.prepSeconds !== undefined ? { prepSeconds: item.prepSeconds } : {}) }];
    }),
  );
}

export function indexMenu<I extends PricedItem, G extends PricedGroup>(
  versionId: string,
  menu: { currency: string; defaultLocale: string; items: readonly I[]; modifierGroups: readonly G[]; categories?: readonly PlacedCategory[] },
  storeId?: string,
): MenuIndex<I, G> {
  const options = new Map<string, { option: G['options'][number]; group: G; position: number }>();
  for (const group of menu.modifierGroups) group.options.forEach((option, position) => options.set(option.id, { option, group, position }));
  return {
    versionId,
    currency: menu.currency,
    defaultLocale: menu.defaultLocale,
    ...(storeId === undefined ? {} : { storeId }),
    items: new Map(menu.items.map((i) => [i.id, i])),
    groups: new Map(menu.modifierGroups.map((g) => [g.id, g])),
    options,
    kitchen: kitchenOf(menu.categories ?? [], menu.items),
  };
}

/** An item's price in the index's store. */
export const itemPrice = (menu: Pick<MenuIndex, 'storeId'>, item: PricedItem): number => (menu.storeId === undefined ? undefined : item.storePrices?.[menu.storeId]) ?? item.priceCents;
