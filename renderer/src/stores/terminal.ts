import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { TerminalStatus } from '#terminal-api/contract';
import { terminal } from '../api/terminal';
import { coalesced } from './refresher';

export const useTerminalStore = defineStore('terminal', () => {
  /** Who this terminal is and how its connection to the server is doing; null until first read. */
  const status = ref<TerminalStatus | null>(null);
  /** Set when the terminal itself cannot be reached (web host down). */
  const unreachable = ref(false);

  /** Re-reads the status from the terminal. */
  const refresh = coalesced(async () => {
    try {
      status.value = await terminal.getStatus();
      unreachable.value = false;
    } catch {
      unreachable.value = true;
    }
  });

  return { status, unreachable, refresh };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTerminalStore, import.meta.hot));
