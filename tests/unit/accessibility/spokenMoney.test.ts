// Prices said the way a person says them, in each screen language, found wherever the screens
// write them (Intl's currency style, as formatMoney does).
import { describe, expect, it } from 'vitest';
import { speakablePrices, spokenMoney } from '../../../renderer/src/accessibility/spokenMoney';

const shown = (cents: number, currency: string, intl: string) => new Intl.NumberFormat(intl, { style: 'currency', currency }).format(cents / 100);

describe('spokenMoney', () => {
  it('says units, then the cents as a number', () => {
    expect(spokenMoney(370, 'EUR', 'en-GB')).toBe('3 euros 70');
    expect(spokenMoney(100, 'EUR', 'en-GB')).toBe('1 euro');
    expect(spokenMoney(2510, 'EUR', 'fr-FR')).toBe('25 euros 10');
    expect(spokenMoney(370, 'EUR', 'ar-u-nu-latn')).toMatch(/^\u200f?3 يورو 70$/);
    expect(spokenMoney(405, 'GBP', 'en-GB')).toBe('4 British pounds 5');
  });
});

describe('speakablePrices', () => {
  it('finds every amount a screen writes, in each language, and only those', () => {
    for (const [intl, cents] of [
      ['en-GB', 370],
      ['en-GB', 123_450],
      ['fr-FR', 370],
      ['fr-FR', 123_450],
      ['ar-u-nu-latn', 370],
      ['ar-u-nu-latn', 2500],
    ] as const) {
      const text = `Cappuccino ${shown(cents, 'EUR', intl)} Add to order · ${shown(cents * 2, 'EUR', intl)}`;
      expect(speakablePrices(text, 'EUR', intl)).toBe(`Cappuccino ${spokenMoney(cents, 'EUR', intl)} Add to order · ${spokenMoney(cents * 2, 'EUR', intl)}`);
    }
    expect(speakablePrices('Table 12, 3 items', 'EUR', 'en-GB')).toBe('Table 12, 3 items');
    expect(speakablePrices('Oat milk +€0.60', 'EUR', 'en-GB')).toBe('Oat milk +0 euros 60');
  });
});
