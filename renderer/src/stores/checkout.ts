import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { CheckoutView, PlacedOrder, PlaceOrderInput, ReceiptView } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

/**
 * Paying for the order and what follows: a card payment as the terminal core follows it (the core
 * decides; this store only shows it), or an order placed to be paid at the counter, then its
 * receipt. Reset for the next customer.
 */
export const useCheckoutStore = defineStore('checkout', () => {
  /** The card payment on screen, while there is one. */
  const card = ref<CheckoutView | null>(null);
  /** The order placed, paid by card or to be paid at the counter. */
  const placed = ref<PlacedOrder | null>(null);
  const receipt = ref<ReceiptView | null>(null);
  const busy = ref(false);

  async function act<T>(action: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await action();
    } finally {
      busy.value = false;
    }
  }

  function show(view: CheckoutView): void {
    card.value = view;
    if (view.order) placed.value = view.order;
  }

  const payByCard = (input: PlaceOrderInput) => act(async () => show(await terminal.payByCard(input)));
  const payAtCounter = (input: PlaceOrderInput) => act(async () => void (placed.value = await terminal.placeOrder(input)));
  const retryCard = () => act(async () => card.value && show(await terminal.retryCard({ orderId: card.value.orderId })));
  const cancelCard = () => act(async () => card.value && show(await terminal.cancelCheckout({ orderId: card.value.orderId })));
  const counterInstead = () => act(async () => card.value && show(await terminal.payAtCounterInstead({ orderId: card.value.orderId })));

  /** Re-reads the payment and the receipt after the terminal says they changed. */
  const refresh = coalesced(async () => {
    if (card.value && !placed.value) show(await terminal.getCheckout({ orderId: card.value.orderId }));
    if (placed.value) receipt.value = await terminal.getReceipt({ orderId: placed.value.id });
  });

  function reset(): void {
    card.value = null;
    placed.value = null;
    receipt.value = null;
  }

  return { card, placed, receipt, busy, payByCard, payAtCounter, retryCard, cancelCard, counterInstead, refresh, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useCheckoutStore, import.meta.hot));
