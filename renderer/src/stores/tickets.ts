import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { TicketList } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

export const useTicketsStore = defineStore('tickets', () => {
  /** Open tickets and the recently served ones; empty until first read. */
  const list = ref<TicketList>({ active: [], recentlyServed: [] });
  /** Tickets with a bump or recall on its way, so a double tap does not move them twice. */
  const busy = ref(new Set<string>());

  const refresh = coalesced(async () => {
    list.value = await terminal.listTickets();
  });

  async function move(orderId: string, action: 'bumpTicket' | 'recallTicket' | 'markPaid'): Promise<void> {
    if (busy.value.has(orderId)) return;
    busy.value.add(orderId);
    try {
      await terminal[action]({ orderId });
      await refresh();
    } finally {
      busy.value.delete(orderId);
    }
  }

  /** Moves a ticket on: preparing → ready → served. */
  const bump = (orderId: string) => move(orderId, 'bumpTicket');
  /** Brings a ticket back one step. */
  const recall = (orderId: string) => move(orderId, 'recallTicket');

  /** Staff took the money for a counter order; a held one is started. */
  const paid = (orderId: string) => move(orderId, 'markPaid');

  return { list, busy, refresh, bump, recall, paid };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTicketsStore, import.meta.hot));
