import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, reactive, ref } from 'vue';

/** The parts of accessibility mode a customer may turn off one by one while the mode is on. */
export type AccessPart = 'lowered' | 'highContrast' | 'largeText' | 'speech';
const PARTS: readonly AccessPart[] = ['lowered', 'highContrast', 'largeText', 'speech'];

/**
 * Accessibility mode for the customer at the kiosk: one tap turns all of it on — everything within
 * reach of a wheelchair user, high contrast, text at 200 %, speech through the headphone jack, and
 * no time limits. It lasts until they turn it off or their visit ends (reset with the visit).
 */
export const useAccessStore = defineStore('access', () => {
  /** The mode itself. */
  const on = ref(false);
  /** Each part as the customer left it; counts only while the mode is on. */
  const parts = reactive<Record<AccessPart, boolean>>({ lowered: true, highContrast: true, largeText: true, speech: true });

  const lowered = computed(() => on.value && parts.lowered);
  const highContrast = computed(() => on.value && parts.highContrast);
  const largeText = computed(() => on.value && parts.largeText);
  const speech = computed(() => on.value && parts.speech);
  /** While true, no idle timer may run out on the customer: ask this before returning to the welcome screen. */
  const noTimeLimits = computed(() => on.value);

  /** The one tap: every part on. */
  function turnOn(): void {
    for (const part of PARTS) parts[part] = true;
    on.value = true;
  }

  function turnOff(): void {
    on.value = false;
  }

  function toggle(): void {
    if (on.value) turnOff();
    else turnOn();
  }

  function set(part: AccessPart, value: boolean): void {
    parts[part] = value;
  }

  /** For the next customer. */
  function reset(): void {
    turnOff();
    for (const part of PARTS) parts[part] = true;
  }

  return { on, parts, lowered, highContrast, largeText, speech, noTimeLimits, turnOn, turnOff, toggle, set, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAccessStore, import.meta.hot));
