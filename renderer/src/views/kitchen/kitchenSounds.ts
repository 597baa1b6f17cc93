// The kitchen display's sounds, per the store's settings: a rising pair of tones for a new ticket,
// three low ones for a ticket that has just run late. Web Audio, no files. Browsers keep audio off
// until someone taps or presses a key, so until then the screen offers "Tap to enable sound".
import { onMounted, onUnmounted, ref, watch } from 'vue';
import { audio, playTones } from '../../accessibility/chime';

const NEW_TICKET = [
  [0, 660],
  [0.15, 990],
] as const;
const LATE = [
  [0, 392],
  [0.25, 392],
  [0.5, 392],
] as const;

/** `wanted`: whether the store wants any kitchen sound at all. */
export function useKitchenSounds(wanted: () => boolean) {
  /** Sound is wanted but the browser has not allowed it yet. */
  const blocked = ref(false);
  let context: AudioContext | null = null;
  const check = () => (blocked.value = context !== null && context.state !== 'running');
  const unlock = () => void context?.resume().then(check);
  watch(
    wanted,
    (on) => {
      if (!on || context) return;
      context = audio();
      context.addEventListener('statechange', check);
      check();
    },
    { immediate: true },
  );
  const gestures = ['pointerdown', 'keydown'] as const;
  onMounted(() => gestures.forEach((g) => window.addEventListener(g, unlock, { capture: true, passive: true })));
  onUnmounted(() => {
    gestures.forEach((g) => window.removeEventListener(g, unlock, { capture: true }));
    context?.removeEventListener('statechange', check);
  });
  return { blocked, unlock, newTicket: () => playTones(NEW_TICKET), late: () => playTones(LATE) };
}
