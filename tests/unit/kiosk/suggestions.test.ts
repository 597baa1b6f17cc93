import { describe, expect, it } from 'vitest';
import type { Allergen } from '#protocol/menu';
import { passesFilters } from '../../../renderer/src/views/kiosk/browse/menuFilters';
import { suggestionsFor, type SuggestionContext } from '../../../renderer/src/views/kiosk/browse/suggestions';
import { demoMenuIndex, loadDemoMenu } from '../../support/demoMenu';

const index = demoMenuIndex();
type Item = ReturnType<typeof loadDemoMenu>['items'][number] & { available: boolean };

function context(over: Partial<SuggestionContext<Item>> & { soldOut?: string[]; notNow?: string[] } = {}): SuggestionContext<Item> {
  const soldOut = new Set(over.soldOut ?? []);
  const notNow = new Set(over.notNow ?? []);
  return {
    items: new Map(loadDemoMenu().items.map((item) => [item.id, { ...item, available: !soldOut.has(item.id) }])),
    onSaleNow: (id) => !notNow.has(id),
    inCart: new Set(),
    offered: new Set(),
    wanted: () => true,
    ...over,
  };
}
const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('suggestions', () => {
  it("offers an item's suggestions in head office's order", () => {
    expect(ids(suggestionsFor(['cappuccino'], context()))).toEqual(['croissant', 'blueberry-muffin']);
    expect(ids(suggestionsFor(['club-sandwich'], context()))).toEqual(['lemonade', 'sparkling-water']);
    expect(suggestionsFor(['espresso'], context())).toEqual([]);
  });

  it('never offers the same item twice in a visit', () => {
    // What the visit store keeps between offers (visit.offer marks what was offered).
    const offered = new Set<string>();
    const offer = (itemIds: string[]) => {
      const found = ids(suggestionsFor(itemIds, context({ offered })));
      found.forEach((id) => offered.add(id));
      return found;
    };
    expect(offer(['latte'])).toEqual(['croissant', 'cookie']);
    // The cappuccino's croissant was offered with the latte: only the muffin is new.
    expect(offer(['cappuccino'])).toEqual(['blueberry-muffin']);
    expect(offer(['latte', 'cappuccino'])).toEqual([]);
  });

  it('skips what is in the order, sold out, out of its daypart or hidden by the filters, and what was just chosen', () => {
    expect(ids(suggestionsFor(['latte'], context({ inCart: new Set(['croissant']) })))).toEqual(['cookie']);
    expect(ids(suggestionsFor(['latte'], context({ soldOut: ['cookie'] })))).toEqual(['croissant']);
    expect(ids(suggestionsFor(['pancakes'], context({ notNow: ['orange-juice'] })))).toEqual([]);
    const noEggs = { hiddenAllergens: new Set<Allergen>(['eggs']), dietTags: new Set<never>() };
    expect(ids(suggestionsFor(['latte'], context({ wanted: (item) => passesFilters(index, item, noEggs) })))).toEqual([]);
    // A flat white and a brownie together: the brownie is not offered back.
    expect(ids(suggestionsFor(['flat-white', 'brownie'], context()))).toEqual([]);
  });

  it('offers each suggestion once when several items share it, up to the limit', () => {
    expect(ids(suggestionsFor(['latte', 'americano', 'cappuccino'], context()))).toEqual(['croissant', 'cookie', 'blueberry-muffin']);
    expect(ids(suggestionsFor(['latte', 'cappuccino', 'club-sandwich'], context({ limit: 2 })))).toEqual(['croissant', 'cookie']);
  });
});
