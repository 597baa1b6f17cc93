import { describe, expect, it } from 'vitest';
import { AppError } from '#protocol/errors';
import { indexMenu } from '#protocol/menu';
import { priceOrder, unitPriceOf } from '#protocol/pricing';
import { DEMO_VERSION_ID, demoMenuIndex, loadDemoMenu } from '../../support/demoMenu';

const menu = demoMenuIndex();
const tax = { taxRateBp: 900, pricesIncludeTax: true };

describe('unitPriceOf', () => {
  it("is the item's price plus each chosen option's change", () => {
    // 3.80 + 0.60 large + 0.50 oat + 0.70 shot
    expect(unitPriceOf(menu, 'latte', ['size-large', 'milk-oat', 'extra-shot'])).toBe(560);
    // A small one costs less.
    expect(unitPriceOf(menu, 'latte', ['size-small', 'milk-whole'])).toBe(340);
    // While the customer is still choosing, the sum so far.
    expect(unitPriceOf(menu, 'latte', [])).toBe(380);
  });

  it('is what every priced line charges, in the store that charges otherwise too', () => {
    const storeId = '0195f3c8-0000-7000-8000-00000000a001';
    const document = loadDemoMenu();
    document.items.find((i) => i.id === 'latte')!.storePrices = { [storeId]: 450 };
    const airport = indexMenu(DEMO_VERSION_ID, document, storeId);
    const options = ['size-large', 'milk-almond'];
    expect(unitPriceOf(airport, 'latte', options)).toBe(450 + 60 + 50);
    for (const index of [menu, airport]) {
      expect(priceOrder(index, [{ itemId: 'latte', quantity: 3, optionIds: options }], tax).lines[0]!.unitPriceCents).toBe(unitPriceOf(index, 'latte', options));
    }
  });

  it('refuses an item the menu does not have', () => {
    expect(() => unitPriceOf(menu, 'pizza-hawaii', [])).toThrow(AppError);
  });
});
