import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { BoardView } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

export const useBoardStore = defineStore('board', () => {
  /** Numbers being prepared and numbers ready to collect. */
  const board = ref<BoardView>({ preparing: [], ready: [] });

  const refresh = coalesced(async () => {
    board.value = await terminal.getBoard();
  });

  return { board, refresh };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useBoardStore, import.meta.hot));
