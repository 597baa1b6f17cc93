import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { Service } from '#protocol/orders';

/**
 * One customer's visit to the kiosk, from the welcome screen to their order number: how they eat,
 * and which suggestions they have already been offered. Reset for the next customer.
 */
export const useVisitStore = defineStore('visit', () => {
  /** Eat in or take away, and the table tent's number; null until asked (or when not asked). */
  const service = ref<Service | null>(null);
  /** Items already suggested this visit: a customer who declined fries is not asked again. */
  const offered = ref(new Set<string>());
  /** The review step's suggestions were shown (they are offered once there). */
  const reviewOffered = ref(false);

  /** Marks suggestions as offered; returns those not offered before. */
  function offer(itemIds: readonly string[]): string[] {
    const fresh = itemIds.filter((id) => !offered.value.has(id));
    for (const id of fresh) offered.value.add(id);
    return fresh;
  }

  function reset(): void {
    service.value = null;
    offered.value = new Set();
    reviewOffered.value = false;
  }

  return { service, offered, reviewOffered, offer, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useVisitStore, import.meta.hot));
