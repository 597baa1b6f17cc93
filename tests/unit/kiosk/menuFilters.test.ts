import { describe, expect, it } from 'vitest';
import type { Allergen, DietTag } from '#protocol/menu';
import { allergensOf, defaultOptionIds, hiddenIn, passesFilters } from '../../../renderer/src/views/kiosk/browse/menuFilters';
import { demoMenuIndex } from '../../support/demoMenu';

const menu = demoMenuIndex();
const item = (id: string) => menu.items.get(id)!;
const filters = (hiddenAllergens: Allergen[] = [], dietTags: DietTag[] = []) => ({ hiddenAllergens: new Set(hiddenAllergens), dietTags: new Set(dietTags) });
const shown = (hidden: Allergen[], tags: DietTag[] = []) => [...menu.items.values()].filter((i) => passesFilters(menu, i, filters(hidden, tags))).map((i) => i.id);

describe('allergen and diet filters', () => {
  it('counts what the default choices bring: an americano has no allergen, a latte comes with whole milk', () => {
    expect(defaultOptionIds(menu, item('latte'))).toEqual(['size-regular', 'milk-whole']);
    expect(allergensOf(menu, item('americano'))).toEqual([]);
    expect(allergensOf(menu, item('latte'))).toEqual(['milk']);
    // The bagel's own gluten and sesame, and its default cream cheese's milk, in the EU list's order.
    expect(allergensOf(menu, item('bagel'))).toEqual(['gluten', 'milk', 'sesame']);
    // The Caesar dressing it comes with has egg, fish, milk and mustard; the salad says so itself too.
    expect(allergensOf(menu, item('caesar-salad'))).toEqual(['gluten', 'eggs', 'fish', 'milk', 'mustard']);
  });

  it('counts the choices the customer made instead of the defaults when told them', () => {
    expect(allergensOf(menu, item('latte'), ['size-regular', 'milk-oat'])).toEqual(['gluten', 'milk']);
    expect(allergensOf(menu, item('americano'), ['size-large'])).toEqual([]);
  });

  it('hides an item whose default option contains a hidden allergen, not one whose other options do', () => {
    // Avocado toast comes on sourdough (gluten); its gluten-free bread is only an option.
    expect(shown(['gluten'])).not.toContain('avocado-toast');
    // Americano's options contain nothing; the latte's default milk does.
    const withoutMilk = shown(['milk']);
    expect(withoutMilk).toContain('americano');
    expect(withoutMilk).not.toContain('latte');
    // Sesame: only the bagel has it itself; a hummus spread is an option of the bagel and nothing else.
    expect(shown(['sesame'])).toEqual(shown([]).filter((id) => id !== 'bagel' && id !== 'falafel-wrap'));
    // Fish comes only with the Caesar salad (in its default dressing); the bagel's salmon is an option.
    expect(shown([]).filter((id) => !shown(['fish']).includes(id))).toEqual(['caesar-salad']);
  });

  it('shows only items with every chosen diet tag, and everything without filters', () => {
    expect(shown([])).toHaveLength(menu.items.size);
    const vegan = shown([], ['vegan']);
    expect(vegan).toContain('falafel-wrap');
    expect(vegan).not.toContain('latte');
    expect(shown([], ['vegan', 'spicy'])).toEqual(['avocado-toast']);
    // Both kinds at once: vegan and without gluten.
    expect(shown(['gluten'], ['vegan'])).not.toContain('falafel-wrap');
  });

  it('names the hidden allergens an option contains', () => {
    const salmon = menu.options.get('spread-salmon')!.option;
    expect(hiddenIn(salmon, new Set<Allergen>(['milk', 'nuts']))).toEqual(['milk']);
    expect(hiddenIn(salmon, new Set<Allergen>())).toEqual([]);
  });
});
