// "Hide items that contain…" and "Show only…": what an item contains is judged as it comes by
// default — its own allergens and those of the choices it comes with (the whole milk in a latte) —
// so a customer who hides milk does not see a latte that would arrive with milk.
import { ALLERGENS, type Allergen, type DietTag, type MenuIndex, type MenuItem, type ModifierGroup, type PricedItem } from '#protocol/menu';

/** What the filters need of an item. */
export type FilteredItem = Pick<MenuItem, 'allergens' | 'dietTags' | 'modifierGroupIds'>;
/** What the filters need of a menu: its choice groups, and each option by id. */
export type ChoiceLookup = Pick<MenuIndex<PricedItem, ModifierGroup>, 'groups' | 'options'>;

export interface MenuFilters {
  /** Items containing any of these are hidden. */
  hiddenAllergens: ReadonlySet<Allergen>;
  /** Only items with every one of these tags are shown. */
  dietTags: ReadonlySet<DietTag>;
}

/** The options an item comes with before the customer changes anything. */
export function defaultOptionIds(menu: ChoiceLookup, item: { modifierGroupIds: readonly string[] }): string[] {
  return item.modifierGroupIds.flatMap((groupId) => (menu.groups.get(groupId)?.options ?? []).filter((option) => option.default).map((option) => option.id));
}

/** Everything the item contains with these choices (its default ones unless told), in the EU list's order. */
export function allergensOf(menu: ChoiceLookup, item: FilteredItem, optionIds: readonly string[] = defaultOptionIds(menu, item)): Allergen[] {
  const found = new Set<Allergen>(item.allergens);
  for (const id of optionIds) for (const allergen of menu.options.get(id)?.option.allergens ?? []) found.add(allergen);
  return ALLERGENS.filter((allergen) => found.has(allergen));
}

/** Whether the item is shown under these filters. */
export function passesFilters(menu: ChoiceLookup, item: FilteredItem, filters: MenuFilters): boolean {
  if (![...filters.dietTags].every((tag) => item.dietTags.includes(tag))) return false;
  if (filters.hiddenAllergens.size === 0) return true;
  return !allergensOf(menu, item).some((allergen) => filters.hiddenAllergens.has(allergen));
}

/** The hidden allergens an option contains: the customer is warned before they choose it. */
export const hiddenIn = (option: { allergens: readonly Allergen[] }, hidden: ReadonlySet<Allergen>): Allergen[] => option.allergens.filter((allergen) => hidden.has(allergen));
