// Every problem of a menu at once: the shape's and, around a malformed entry, the document's own
// rules, without a second problem for what references that entry.
import { describe, expect, it } from 'vitest';
import { diffMenus } from '#menus/menuDiff';
import { menuProblems } from '#menus/menuProblems';
import { MenuDocumentSchema, type MenuDocument } from '#protocol/menu';

const menu = (): MenuDocument =>
  MenuDocumentSchema.parse({
    format: 2,
    name: 'Test',
    currency: 'EUR',
    defaultLocale: 'en',
    locales: ['en', 'ar'],
    categories: [{ id: 'burgers', name: { en: 'Burgers' } }],
    items: [
      { id: 'big-mac', categoryId: 'burgers', name: { en: 'Big Mac', ar: 'بيغ ماك' }, priceCents: 550, upsellItemIds: ['fries'] },
      { id: 'fries', categoryId: 'burgers', name: { en: 'Fries' }, priceCents: 250 },
    ],
  });

describe('menuProblems', () => {
  it('answers none for a menu that can be published', () => {
    expect(menuProblems(menu())).toEqual([]);
  });

  it("lists the shape's problems and the rules' around them, in one go", () => {
    const broken = menu() as unknown as { items: Record<string, unknown>[]; categories: Record<string, unknown>[] };
    broken.items[0]!.priceCents = -1; // shape
    broken.items[1]!.categoryId = 'sides'; // rule: no such category
    broken.items[1]!.energy = { kcal: 100, kj: 10 }; // rule: kJ do not match
    expect(menuProblems(broken).map((p) => [p.path, p.message])).toEqual([
      ['items[0].priceCents', 'Big Mac · price: must not be negative'],
      ['items[1].categoryId', 'Fries · category: no category "sides"'],
      ['items[1].energy.kj', 'Fries · energy kJ: does not match 100 kcal (about 418 kJ)'],
    ]);
  });

  it('does not blame what refers to a malformed entry', () => {
    const broken = menu() as unknown as { items: Record<string, unknown>[] };
    broken.items[1]!.priceCents = 'cheap'; // fries is malformed; big-mac's upsell of it is not a second problem
    expect(menuProblems(broken).map((p) => p.path)).toEqual(['items[1].priceCents']);
  });

  it('names a translation in a language the menu does not have', () => {
    const broken = menu();
    broken.items[1]!.name = { en: 'Fries', fr: 'Frites' };
    expect(menuProblems(broken).map((p) => p.message)).toEqual(['Fries · name (fr): "fr" is not one of the menu\'s locales']);
  });

  it('answers for anything sent, not only objects', () => {
    for (const input of [null, 42, 'menu', [], { format: 2 }]) expect(menuProblems(input).length).toBeGreaterThan(0);
  });
});

describe('diffMenus', () => {
  it("compares with each store's own prices", () => {
    const running = menu();
    const next = menu();
    next.items[0]!.priceCents = 600;
    next.items[1]!.storePrices = { '0195f3c8-0000-7000-8000-00000000a001': 300 };
    next.items.push({ ...next.items[1]!, id: 'shake', name: { en: 'Shake' } });
    next.items[1]!.allergens = ['gluten'];
    expect(diffMenus(running, next, '0195f3c8-0000-7000-8000-00000000a002')).toEqual({
      added: [{ id: 'shake', name: 'Shake' }],
      removed: [],
      priceChanges: [{ id: 'big-mac', name: 'Big Mac', fromCents: 550, toCents: 600 }],
      changed: [{ id: 'fries', name: 'Fries' }],
    });
    expect(diffMenus(running, next, '0195f3c8-0000-7000-8000-00000000a001').priceChanges).toContainEqual({ id: 'fries', name: 'Fries', fromCents: 250, toCents: 300 });
    expect(diffMenus(null, running, 'x').added).toHaveLength(2);
  });
});
