import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Ticket, TicketList } from '#terminal-api/contract';
import { TerminalError, terminal } from '../api/terminal';
import { coalesced } from './refresher';

/** When a ticket's work on this screen is first due: its earliest line's fire time (fire by prep time). */
const firstFire = (ticket: Ticket) => ticket.lines.map((line) => line.fireAt).sort()[0] ?? ticket.startedAt;
/** ISO times in UTC sort as text. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const useTicketsStore = defineStore('tickets', () => {
  /** What this kitchen display shows, as the terminal last said; null until first read. */
  const list = ref<TicketList | null>(null);
  /** Bumps, recalls and payments on their way (an order id, or `orderId:lineNo`), so a double tap moves nothing twice. */
  const busy = ref(new Set<string>());
  /** The code of the last action the terminal refused, for the screen to say why; null when there is none. */
  const refusal = ref<string | null>(null);

  const screen = computed(() => list.value?.screen ?? null);
  /** Expo, or a screen of every station: it sends whole orders out (and marks ready ones collected), as the terminal core decides. */
  const movesOrders = computed(() => Boolean(screen.value && (screen.value.expo || screen.value.stations.length === 0)));
  /**
   * The open tickets in the order a cook takes them. On a screen that makes food, that is when each
   * ticket's first line is due, so a ticket waiting for its fire time never stands before work to do
   * now; the key never changes while the ticket is open, so nothing jumps about as lines are bumped.
   * Expo sends orders out oldest first. Orders of the same moment go by number.
   */
  const queue = computed(() => {
    const due = screen.value?.expo ? (t: Ticket) => t.startedAt : firstFire;
    return [...(list.value?.active ?? [])].sort((a, b) => compare(due(a), due(b)) || compare(a.startedAt, b.startedAt) || compare(a.number, b.number));
  });
  /** Orders sent out and not yet collected, newest first: a screen that moves orders marks them collected. */
  const readyToCollect = computed(() => (movesOrders.value ? (list.value?.recent ?? []).filter((t) => t.status === 'ready') : []));

  const refresh = coalesced(async () => {
    list.value = await terminal.listTickets();
  });

  async function act(key: string, call: () => Promise<unknown>): Promise<void> {
    if (busy.value.has(key)) return;
    busy.value.add(key);
    try {
      await call();
      refusal.value = null;
    } catch (error) {
      // Another screen may have moved the ticket first: say so, and show what is true now.
      refusal.value = error instanceof TerminalError ? error.code : 'fallback';
    } finally {
      busy.value.delete(key);
      // A terminal out of reach shows on the connection badge; the screen reads again when it is back.
      await refresh().catch(() => {});
    }
  }

  /** A station: its lines of the order made. Expo (or every station): the order ready, or a ready one collected. */
  const bump = (orderId: string) => act(orderId, () => terminal.bumpTicket({ orderId }));
  /** One line made, or taken back if it was. */
  const bumpItem = (orderId: string, lineNo: number) => act(`${orderId}:${lineNo}`, () => terminal.bumpItem({ orderId, lineNo }));
  /** Back one step. */
  const recall = (orderId: string) => act(orderId, () => terminal.recallTicket({ orderId }));
  /** Staff took the money for a counter order; a held one is started. */
  const paid = (orderId: string) => act(orderId, () => terminal.markPaid({ orderId }));

  return { list, busy, refusal, screen, movesOrders, queue, readyToCollect, refresh, bump, bumpItem, recall, paid };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTicketsStore, import.meta.hot));
