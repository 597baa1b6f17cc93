// What publishing a draft would change in a store, as a menu team checks it before pressing
// publish: items added and removed, prices that move (with the store's own prices), and items
// whose texts, pictures, allergens or options changed.
import { itemPrice, textIn, type MenuItem, type Text } from '../protocol/menu';

export interface ItemRef {
  id: string;
  name: string;
}
export interface MenuDiff {
  added: ItemRef[];
  removed: ItemRef[];
  priceChanges: (ItemRef & { fromCents: number; toCents: number })[];
  /** On both, at the same price, but otherwise different. */
  changed: ItemRef[];
}
interface Side {
  defaultLocale: string;
  items: readonly MenuItem[];
}

/** Everything but the price, which is compared per store; JSON of the same parser's output is stable. */
const withoutPrices = ({ priceCents: _price, storePrices: _prices, ...rest }: MenuItem) => JSON.stringify(rest);

/** From what `storeId` runs (`null`: no menu yet) to `next`. */
export function diffMenus(running: Side | null, next: Side, storeId: string): MenuDiff {
  const name = (item: MenuItem, side: Side) => textIn(item.name as Text, side.defaultLocale, side.defaultLocale);
  const before = new Map((running?.items ?? []).map((item) => [item.id, item]));
  const after = new Map(next.items.map((item) => [item.id, item]));
  const store = { storeId };
  const diff: MenuDiff = { added: [], removed: [], priceChanges: [], changed: [] };
  for (const item of next.items) {
    const was = before.get(item.id);
    const ref = { id: item.id, name: name(item, next) };
    if (!was) diff.added.push(ref);
    else if (itemPrice(store, was) !== itemPrice(store, item)) diff.priceChanges.push({ ...ref, fromCents: itemPrice(store, was), toCents: itemPrice(store, item) });
    else if (withoutPrices(was) !== withoutPrices(item)) diff.changed.push(ref);
  }
  for (const item of running?.items ?? []) if (!after.has(item.id)) diff.removed.push({ id: item.id, name: name(item, running!) });
  return diff;
}
