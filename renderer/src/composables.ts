import { onMounted, onUnmounted, ref } from 'vue';
import type { TerminalEvent } from '#terminal-api/contract';
import { onTerminalEvent } from './api/terminal';

/** Runs `handler` now and whenever the terminal reports one of `types`, while the component lives. */
export function useTerminalEvents(types: TerminalEvent['type'][], handler: () => unknown): void {
  let unsubscribe = () => {};
  onMounted(() => {
    void handler();
    unsubscribe = onTerminalEvent((event) => {
      if (types.includes(event.type)) void handler();
    });
  });
  onUnmounted(() => unsubscribe());
}

/** The current time, updated every `everyMs`: drives ticket timers and clocks. */
export function useNow(everyMs = 1000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => (timer = setInterval(() => (now.value = Date.now()), everyMs)));
  onUnmounted(() => clearInterval(timer));
  return now;
}

/** Calls `onIdle` after `ms` without a touch, e.g. to return a kiosk to its welcome screen. */
export function useIdle(ms: number, onIdle: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onIdle, ms);
  };
  const events = ['pointerdown', 'keydown'] as const;
  onMounted(() => {
    events.forEach((e) => window.addEventListener(e, reset, { passive: true }));
    reset();
  });
  onUnmounted(() => {
    clearTimeout(timer);
    events.forEach((e) => window.removeEventListener(e, reset));
  });
  return reset;
}
