// "Would you like a croissant with that?": what head office offers with an item (its
// upsellItemIds, in its order), once an item is added and once more at review. Only what the
// customer can have now and has not got or been offered: a suggestion that is sold out, out of its
// daypart, already in the order, hidden by their filters or declined before is not made.

/** What a suggestion needs of an item. */
export interface SuggestedItem {
  id: string;
  available: boolean;
  upsellItemIds: readonly string[];
}

export interface SuggestionContext<I extends SuggestedItem> {
  /** Every item of the menu on screen, by id. */
  items: ReadonlyMap<string, I>;
  /** Whether the item is sold at this hour (its dayparts). */
  onSaleNow(itemId: string): boolean;
  /** Items already in the customer's order. */
  inCart: ReadonlySet<string>;
  /** Items already offered during this visit. */
  offered: ReadonlySet<string>;
  /** Whether the customer's own filters (allergens, diets) let the item be shown. */
  wanted(item: I): boolean;
  /** At most this many, so the offer fits in one glance. */
  limit?: number;
}

export const SUGGESTION_LIMIT = 3;

/** What to offer with these items, best first: each one's suggestions in turn, without repeats. */
export function suggestionsFor<I extends SuggestedItem>(itemIds: readonly string[], context: SuggestionContext<I>): I[] {
  const chosen = new Set(itemIds);
  const found = new Map<string, I>();
  const limit = context.limit ?? SUGGESTION_LIMIT;
  for (const upsellId of itemIds.flatMap((id) => context.items.get(id)?.upsellItemIds ?? [])) {
    if (found.size >= limit) break;
    const item = context.items.get(upsellId);
    if (!item || found.has(upsellId) || chosen.has(upsellId)) continue;
    if (!item.available || !context.onSaleNow(upsellId) || context.inCart.has(upsellId) || context.offered.has(upsellId) || !context.wanted(item)) continue;
    found.set(upsellId, item);
  }
  return [...found.values()];
}
