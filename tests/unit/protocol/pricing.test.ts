import { describe, expect, it } from 'vitest';
import { AppError } from '#protocol/errors';
import { priceOrder, taxOf } from '#protocol/pricing';
import { demoMenuIndex } from '../../support/demoMenu';

const menu = demoMenuIndex();
const inclusive = { taxRateBp: 900, pricesIncludeTax: true };
const exclusive = { taxRateBp: 888, pricesIncludeTax: false };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? `${error.code}@${error.path ?? ''}` : 'not an AppError';
  }
  return undefined;
}

describe('priceOrder', () => {
  it('adds option prices to the item and multiplies by quantity', () => {
    const order = priceOrder(menu, [{ itemId: 'latte', quantity: 2, optionIds: ['size-large', 'milk-oat', 'extra-shot'] }], inclusive);
    // 3.80 + 0.60 large + 0.50 oat + 0.70 shot = 5.60, twice
    expect(order.lines[0]).toMatchObject({ lineNo: 1, name: 'Caffè Latte', unitPriceCents: 560, lineTotalCents: 1120 });
    expect(order.subtotalCents).toBe(1120);
    expect(order.totalCents).toBe(1120);
    expect(order.currency).toBe('EUR');
  });

  it('lists modifiers in menu order with their names and prices copied', () => {
    const order = priceOrder(menu, [{ itemId: 'latte', quantity: 1, optionIds: ['extra-shot', 'milk-oat', 'size-small'] }], inclusive);
    expect(order.lines[0]!.modifiers.map((m) => m.optionId)).toEqual(['size-small', 'milk-oat', 'extra-shot']);
    expect(order.lines[0]!.modifiers[1]).toEqual({ groupId: 'milk', groupName: 'Milk', optionId: 'milk-oat', name: 'Oat milk', priceDeltaCents: 50 });
  });

  it('takes included tax out of the total, rounding half up', () => {
    // 10.90 at 9 % included: 10.90 / 1.09 = 10.00, tax 0.90
    expect(taxOf(1090, inclusive)).toBe(90);
    // 1.00 / 1.09 = 0.917… → 0.92 net, tax 0.08
    expect(taxOf(100, inclusive)).toBe(8);
    expect(taxOf(0, inclusive)).toBe(0);
  });

  it('adds excluded tax on top of the subtotal', () => {
    const order = priceOrder(menu, [{ itemId: 'espresso', quantity: 1, optionIds: [] }], exclusive);
    // 2.60 × 8.88 % = 0.23088 → 0.23
    expect(order).toMatchObject({ subtotalCents: 260, taxCents: 23, totalCents: 283 });
  });

  it('refuses what a kiosk must never send', () => {
    const latte = (optionIds: string[], quantity = 1) => () => priceOrder(menu, [{ itemId: 'latte', quantity, optionIds }], inclusive);
    expect(codeOf(() => priceOrder(menu, [], inclusive))).toBe('EMPTY_ORDER@');
    expect(codeOf(() => priceOrder(menu, [{ itemId: 'pizza-hawaii', quantity: 1, optionIds: [] }], inclusive))).toBe('UNKNOWN_ITEM@lines[0].itemId');
    expect(codeOf(latte(['size-regular', 'milk-whole'], 0))).toBe('INVALID_QUANTITY@lines[0].quantity');
    expect(codeOf(latte(['size-regular', 'milk-whole'], -2))).toBe('INVALID_QUANTITY@lines[0].quantity');
    expect(codeOf(latte(['size-regular', 'milk-whole'], 1.5))).toBe('INVALID_QUANTITY@lines[0].quantity');
    expect(codeOf(latte(['size-regular', 'milk-whole'], 100))).toBe('INVALID_QUANTITY@lines[0].quantity');
    // no size: the group needs exactly one
    expect(codeOf(latte(['milk-whole']))).toBe('MODIFIER_COUNT@lines[0].optionIds');
    // two milks
    expect(codeOf(latte(['size-regular', 'milk-whole', 'milk-oat']))).toBe('MODIFIER_COUNT@lines[0].optionIds');
    // an option of a group the latte does not have
    expect(codeOf(latte(['size-regular', 'milk-whole', 'ice-none']))).toBe('UNKNOWN_OPTION@lines[0].optionIds[2]');
    expect(codeOf(latte(['size-regular', 'milk-whole', 'extra-shot', 'extra-shot']))).toBe('MODIFIER_COUNT@lines[0].optionIds[3]');
    const tooMany = Array.from({ length: 51 }, () => ({ itemId: 'espresso', quantity: 1, optionIds: [] }));
    expect(codeOf(() => priceOrder(menu, tooMany, inclusive))).toBe('TOO_MANY_LINES@lines');
  });
});
