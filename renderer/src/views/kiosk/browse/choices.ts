// The customer's choices for one item, group by group ("Size: choose 1", "Extras: up to 3"): what
// a tap on an option does, and whether a group has what it needs. Prices are not here: a line is
// priced by the one shared rule (#protocol/pricing).
import type { MenuIndex, ModifierGroup, PricedItem } from '#protocol/menu';
import { defaultOptionIds, type ChoiceLookup } from './menuFilters';

/** An item's choice groups, in its order. */
export function groupsOf(menu: Pick<MenuIndex<PricedItem, ModifierGroup>, 'groups'>, item: { modifierGroupIds: readonly string[] }): ModifierGroup[] {
  return item.modifierGroupIds.flatMap((id) => menu.groups.get(id) ?? []);
}

/** Whether the group has as many choices as it needs, and no more. */
export const isMet = (group: ModifierGroup, chosen: readonly string[]): boolean => chosen.length >= group.minChoices && chosen.length <= group.maxChoices;

/** A single choice is a radio: tapping another replaces it, and tapping it again keeps it. */
export const isSingleChoice = (group: ModifierGroup): boolean => group.minChoices === 1 && group.maxChoices === 1;

/** The group's choices after a tap on `optionId`. */
export function toggleChoice(group: ModifierGroup, chosen: readonly string[], optionId: string): string[] {
  if (chosen.includes(optionId)) return isSingleChoice(group) ? [...chosen] : chosen.filter((id) => id !== optionId);
  if (group.maxChoices === 1) return [optionId];
  return chosen.length < group.maxChoices ? [...chosen, optionId] : [...chosen];
}

/** Whether the item as it comes (its default choices) can be added without a question. */
export function readyAsItComes(menu: ChoiceLookup, item: { modifierGroupIds: readonly string[] }): boolean {
  const defaults = new Set(defaultOptionIds(menu, item));
  return groupsOf(menu, item).every((group) => isMet(group, group.options.filter((option) => defaults.has(option.id)).map((option) => option.id)));
}
