import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PlaceOrderInput } from '#terminal-api/contract';
import type { Service } from '#protocol/orders';
import { priceOrder, type LineDraft, type PricedOrder } from '#protocol/pricing';
import { useMenuStore } from './menu';

export interface CartLine extends LineDraft {
  /** Stable key for the list; two lines of the same item with the same choices merge. */
  key: string;
}

const keyOf = (itemId: string, optionIds: string[]) => `${itemId}|${[...optionIds].sort().join(',')}`;

export const useCartStore = defineStore('cart', () => {
  const menu = useMenuStore();
  /** What the customer has chosen so far. */
  const lines = ref<CartLine[]>([]);

  /** Priced with the same rule the terminal and the server use, so the total shown is the total charged. */
  const priced = computed<PricedOrder | null>(() => {
    if (!menu.index || !menu.shown || lines.value.length === 0) return null;
    try {
      return priceOrder(menu.index, lines.value, menu.shown.tax);
    } catch {
      return null; // A line the menu no longer prices; the terminal explains when the order is placed.
    }
  });
  const count = computed(() => lines.value.reduce((n, l) => n + l.quantity, 0));
  const soldOutLines = computed(() => {
    const available = new Map((menu.shown?.items ?? []).map((i) => [i.id, i.available]));
    return lines.value.filter((l) => available.get(l.itemId) === false);
  });

  function add(itemId: string, optionIds: string[], quantity = 1): void {
    const key = keyOf(itemId, optionIds);
    const existing = lines.value.find((l) => l.key === key);
    if (existing) existing.quantity = Math.min(99, existing.quantity + quantity);
    else lines.value.push({ key, itemId, optionIds: [...optionIds], quantity });
    menu.hold(true);
  }

  /** A line edited on the review step: its choices and quantity replaced, merged with a twin line if it now is one. */
  function replace(key: string, optionIds: string[], quantity: number): void {
    const at = lines.value.findIndex((l) => l.key === key);
    if (at < 0) return;
    const itemId = lines.value[at]!.itemId;
    const newKey = keyOf(itemId, optionIds);
    const twin = newKey === key ? undefined : lines.value.find((l) => l.key === newKey);
    if (twin) {
      twin.quantity = Math.min(99, twin.quantity + quantity);
      remove(key);
    } else {
      lines.value[at] = { key: newKey, itemId, optionIds: [...optionIds], quantity: Math.min(99, quantity) };
    }
  }

  function change(key: string, delta: number): void {
    const line = lines.value.find((l) => l.key === key);
    if (!line) return;
    line.quantity = Math.min(99, line.quantity + delta);
    if (line.quantity <= 0) remove(key);
  }

  function remove(key: string): void {
    lines.value = lines.value.filter((l) => l.key !== key);
  }

  /** Empties the cart; the next customer gets the newest menu. */
  function clear(): void {
    lines.value = [];
    menu.hold(false);
  }

  /** The order as the terminal places it: the choices, and the total the customer agreed to. */
  function orderInput(service: Service | null, locale: string): PlaceOrderInput {
    if (!priced.value || !menu.shown) throw new Error('The cart is empty.');
    return {
      menuVersionId: menu.shown.versionId,
      lines: lines.value.map(({ itemId, quantity, optionIds }) => ({ itemId, quantity, optionIds })),
      expectedTotalCents: priced.value.totalCents,
      ...(service ? { service } : {}),
      locale,
    };
  }

  return { lines, priced, count, soldOutLines, add, replace, change, remove, clear, orderInput };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCartStore, import.meta.hot));
