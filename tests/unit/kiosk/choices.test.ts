import { describe, expect, it } from 'vitest';
import { groupsOf, isMet, readyAsItComes, toggleChoice } from '../../../renderer/src/views/kiosk/browse/choices';
import { demoMenuIndex } from '../../support/demoMenu';

const menu = demoMenuIndex();
const group = (id: string) => menu.groups.get(id)!;

describe("an item's choices", () => {
  it('lists its groups in its own order', () => {
    expect(groupsOf(menu, menu.items.get('latte')!).map((g) => g.id)).toEqual(['coffee-size', 'milk', 'coffee-extras']);
  });

  it('a single required choice is replaced by another tap and kept by a second tap on it', () => {
    const size = group('coffee-size');
    expect(toggleChoice(size, ['size-regular'], 'size-large')).toEqual(['size-large']);
    expect(toggleChoice(size, ['size-large'], 'size-large')).toEqual(['size-large']);
  });

  it('several choices are added up to the most, and taken off again', () => {
    const extras = group('coffee-extras');
    let chosen = toggleChoice(extras, [], 'extra-shot');
    chosen = toggleChoice(extras, chosen, 'syrup-vanilla');
    chosen = toggleChoice(extras, chosen, 'decaf');
    expect(toggleChoice(extras, chosen, 'syrup-caramel')).toEqual(['extra-shot', 'syrup-vanilla', 'decaf']);
    expect(toggleChoice(extras, chosen, 'syrup-vanilla')).toEqual(['extra-shot', 'decaf']);
  });

  it('a group is met between its fewest and most choices', () => {
    expect(isMet(group('coffee-size'), [])).toBe(false);
    expect(isMet(group('coffee-size'), ['size-small'])).toBe(true);
    expect(isMet(group('coffee-extras'), [])).toBe(true);
    expect(isMet(group('pancake-topping'), ['topping-maple', 'topping-berries', 'topping-banana'])).toBe(false);
  });

  it('an item is ready as it comes when its defaults meet every group', () => {
    expect(readyAsItComes(menu, menu.items.get('croissant')!)).toBe(true);
    expect(readyAsItComes(menu, menu.items.get('sparkling-water')!)).toBe(true);
    // A group without a default needs the customer.
    const noDefault = { ...menu, groups: new Map([...menu.groups].map(([id, g]) => [id, { ...g, options: g.options.map((o) => ({ ...o, default: false })) }])) };
    expect(readyAsItComes(noDefault, menu.items.get('croissant')!)).toBe(false);
    expect(readyAsItComes(noDefault, menu.items.get('espresso')!)).toBe(true);
  });
});
