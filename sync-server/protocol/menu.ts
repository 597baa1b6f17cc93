// The menu document head office writes and publishes: categories, items, and modifier groups that
// items share (one "Milk" group for every coffee). A published version never changes; terminals
// keep a copy and orders name the version they were priced from.
import { z } from 'zod';

export const MenuId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');
const Name = z.string().trim().min(1, 'must not be empty').max(80, 'at most 80 characters');
export const MAX_PRICE_CENTS = 1_000_000;
const Cents = z.int('a whole number of cents').min(0, 'must not be negative').max(MAX_PRICE_CENTS, `at most ${MAX_PRICE_CENTS} cents`);
/** A picture shipped with the terminal (`menu/latte.svg`); uploads come later. */
const ImagePath = z.string().regex(/^[a-z0-9][a-z0-9/_-]{0,120}\.(svg|png|webp|jpg)$/, 'a relative image path');

export const ModifierOptionSchema = z.strictObject({
  id: MenuId,
  name: Name,
  priceDeltaCents: z.int().min(-MAX_PRICE_CENTS).max(MAX_PRICE_CENTS),
  /** Pre-selected on the kiosk; the customer can change it. */
  default: z.boolean().optional(),
});

export const ModifierGroupSchema = z.strictObject({
  id: MenuId,
  name: Name,
  minChoices: z.int().min(0).max(20),
  maxChoices: z.int().min(1).max(20),
  options: z.array(ModifierOptionSchema).min(1).max(40),
});

export const MenuItemSchema = z.strictObject({
  id: MenuId,
  categoryId: MenuId,
  name: Name,
  description: z.string().trim().max(280).default(''),
  priceCents: Cents,
  image: ImagePath.optional(),
  modifierGroupIds: z.array(MenuId).max(10).default([]),
});

export const MenuCategorySchema = z.strictObject({ id: MenuId, name: Name });

export const MenuDocumentSchema = z
  .strictObject({
    name: Name,
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
    categories: z.array(MenuCategorySchema).min(1).max(50),
    items: z.array(MenuItemSchema).min(1).max(1000),
    modifierGroups: z.array(ModifierGroupSchema).max(200).default([]),
  })
  .superRefine((menu, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const unique = (ids: string[], path: string) =>
      ids.forEach((id, i) => ids.indexOf(id) !== i && problem([path, i, 'id'], `duplicate id "${id}"`));
    unique(menu.categories.map((c) => c.id), 'categories');
    unique(menu.items.map((i) => i.id), 'items');
    unique(menu.modifierGroups.map((g) => g.id), 'modifierGroups');

    // Option ids are unique across the menu, so an order line can name its choices by id alone.
    const optionIds = new Set<string>();
    const groups = new Map(menu.modifierGroups.map((g) => [g.id, g]));
    menu.modifierGroups.forEach((group, g) => {
      if (group.minChoices > group.maxChoices) problem(['modifierGroups', g, 'minChoices'], 'more than maxChoices');
      if (group.maxChoices > group.options.length) problem(['modifierGroups', g, 'maxChoices'], 'more than the number of options');
      if (group.options.filter((o) => o.default).length > group.maxChoices) problem(['modifierGroups', g, 'options'], 'more defaults than maxChoices');
      group.options.forEach((option, o) => {
        if (optionIds.has(option.id)) problem(['modifierGroups', g, 'options', o, 'id'], `duplicate option id "${option.id}"`);
        optionIds.add(option.id);
      });
    });

    const categories = new Set(menu.categories.map((c) => c.id));
    menu.items.forEach((item, i) => {
      if (!categories.has(item.categoryId)) problem(['items', i, 'categoryId'], `no category "${item.categoryId}"`);
      item.modifierGroupIds.forEach((groupId, k) => {
        const group = groups.get(groupId);
        if (!group) return problem(['items', i, 'modifierGroupIds', k], `no modifier group "${groupId}"`);
        if (item.modifierGroupIds.indexOf(groupId) !== k) problem(['items', i, 'modifierGroupIds', k], `group "${groupId}" listed twice`);
        // No choice may take an item below zero: discounts belong to promotions, not modifiers.
        const cheapest = group.options.reduce((low, o) => Math.min(low, o.priceDeltaCents), 0);
        if (item.priceCents + cheapest < 0) problem(['items', i, 'priceCents'], `option of "${groupId}" makes the price negative`);
      });
    });
  });

export type MenuDocument = z.output<typeof MenuDocumentSchema>;
export type MenuItem = z.output<typeof MenuItemSchema>;
export type ModifierGroup = z.output<typeof ModifierGroupSchema>;
export type ModifierOption = z.output<typeof ModifierOptionSchema>;

/** A menu version ready for pricing: lookups by id instead of list scans. */
export interface MenuIndex {
  versionId: string;
  currency: string;
  items: ReadonlyMap<string, MenuItem>;
  groups: ReadonlyMap<string, ModifierGroup>;
  /** Each option with its group and its position in the group. */
  options: ReadonlyMap<string, { option: ModifierOption; group: ModifierGroup; position: number }>;
}

export function indexMenu(versionId: string, menu: Pick<MenuDocument, 'currency' | 'items' | 'modifierGroups'>): MenuIndex {
  const options = new Map<string, { option: ModifierOption; group: ModifierGroup; position: number }>();
  for (const group of menu.modifierGroups) group.options.forEach((option, position) => options.set(option.id, { option, group, position }));
  return {
    versionId,
    currency: menu.currency,
    items: new Map(menu.items.map((i) => [i.id, i])),
    groups: new Map(menu.modifierGroups.map((g) => [g.id, g])),
    options,
  };
}
