import { describe, expect, it } from 'vitest';
import { MenuDocumentSchema } from '#protocol/menu';
import { downgradeMenu, upgradeMenuV1 } from '#protocol/menuV1';
import { loadDemoMenu } from '../../support/demoMenu';

const issuesOf = (doc: unknown) => {
  const result = MenuDocumentSchema.safeParse(doc);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('menu document', () => {
  it('accepts the demo café menu: 30+ items in 5+ categories, with modifiers and images', () => {
    const menu = loadDemoMenu();
    expect(menu.items.length).toBeGreaterThanOrEqual(30);
    expect(menu.categories.length).toBeGreaterThanOrEqual(5);
    expect(menu.items.every((i) => i.image)).toBe(true);
    expect(menu.items.filter((i) => i.modifierGroupIds.length > 0).length).toBeGreaterThan(20);
  });

  it('refuses broken references, duplicates and impossible choice counts', () => {
    const menu = loadDemoMenu();
    const broken = structuredClone(menu);
    broken.items[0]!.categoryId = 'nowhere';
    broken.items[1]!.modifierGroupIds = ['no-such-group'];
    broken.items[2]!.id = broken.items[3]!.id;
    broken.modifierGroups[0]!.minChoices = 3;
    broken.modifierGroups[1]!.options[1]!.id = broken.modifierGroups[2]!.options[0]!.id;
    const issues = issuesOf(broken);
    expect(issues).toEqual(
      expect.arrayContaining([
        'items.0.categoryId: no category "nowhere"',
        'items.1.modifierGroupIds.0: no modifier group "no-such-group"',
        'items.3.id: duplicate id "cappuccino"',
        'modifierGroups.0.minChoices: more than maxChoices',
        expect.stringMatching(/^modifierGroups\.2\.options\.0\.id: duplicate option id/),
      ]),
    );
  });

  it('refuses options that would make a price negative, and bad field types', () => {
    const menu = loadDemoMenu();
    const cheap = structuredClone(menu);
    cheap.items.find((i) => i.id === 'latte')!.priceCents = 10; // small is -0.40
    expect(issuesOf(cheap).some((i) => i.includes('makes the price negative'))).toBe(true);
    expect(issuesOf({ ...menu, currency: 'euro' })).toEqual(['currency: an ISO 4217 code such as EUR']);
    expect(issuesOf({ ...menu, extra: true }).length).toBe(1);
    expect(issuesOf(null).length).toBe(1);
  });
});

describe('format 1 documents', () => {
  it('read as format 2 documents that format 2 itself accepts, and written back for a store unchanged', () => {
    const v1 = downgradeMenu(loadDemoMenu(), 'a-store');
    const upgraded = upgradeMenuV1(v1);
    // Built, not parsed: it must still be exactly what the format 2 schema makes of it.
    expect(MenuDocumentSchema.parse(upgraded)).toEqual(upgraded);
    expect(downgradeMenu(upgraded, 'a-store')).toEqual(v1);
  });
});
