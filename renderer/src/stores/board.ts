import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { BoardView } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

export const useBoardStore = defineStore('board', () => {
  /** Numbers being prepared and numbers ready to collect, as the terminal last said. */
  const board = ref<BoardView>({ preparing: [], ready: [], chime: false, locales: [] });
  /**
   * When this screen first showed each ready number, in its own clock's milliseconds: a number is
   * highlighted for a while from then. Timed here rather than from `readyAt`, which is the
   * terminal's clock: a tablet showing the board may be set minutes apart from it.
   */
  const readySince = ref<Record<string, number>>({});
  /** Numbers that became ready while the board was showing: each one may chime. */
  const arrivals = ref(0);
  let loaded = false;

  const refresh = coalesced(async () => {
    const next = await terminal.getBoard();
    const now = Date.now();
    const since: Record<string, number> = {};
    let arrived = 0;
    for (const { number, readyAt } of next.ready) {
      const known = readySince.value[number];
      if (known !== undefined) since[number] = known;
      else if (loaded) {
        since[number] = now;
        arrived++;
      }
      // On the board before this screen started: as old as the terminal says, never in the future.
      else since[number] = Math.min(now, Date.parse(readyAt));
    }
    board.value = next;
    readySince.value = since;
    arrivals.value += arrived;
    loaded = true;
  });

  return { board, readySince, arrivals, refresh };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useBoardStore, import.meta.hot));
