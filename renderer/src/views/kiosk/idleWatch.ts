import { onMounted, onUnmounted, ref, type Ref } from 'vue';

/** How long "Need more time?" counts down before the order is cleared. */
export const WARNING_SECONDS = 20;

/**
 * A customer who walked away: after `idleSeconds` without a touch or a key, "Need more time?" counts
 * down from WARNING_SECONDS, and then the kiosk is cleared for the next customer. Any touch or key
 * starts the wait again. `watching` says when the wait applies at all (not while a card payment
 * runs, not with no time limits in accessibility mode).
 */
export function useIdleWatch(options: { idleSeconds: () => number; watching: () => boolean; onTimeout: () => void }): {
  warning: Ref<boolean>;
  secondsLeft: Ref<number>;
  stillHere: () => void;
} {
  const warning = ref(false);
  const secondsLeft = ref(WARNING_SECONDS);
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const stop = () => {
    clearTimeout(idleTimer);
    clearInterval(countdown);
  };
  const startCountdown = () => {
    if (!options.watching()) return arm();
    warning.value = true;
    secondsLeft.value = WARNING_SECONDS;
    countdown = setInterval(() => {
      secondsLeft.value -= 1;
      if (secondsLeft.value > 0) return;
      stop();
      warning.value = false;
      options.onTimeout();
    }, 1000);
  };
  function arm(): void {
    stop();
    warning.value = false;
    idleTimer = setTimeout(startCountdown, options.idleSeconds() * 1000);
  }
  // While the question is on screen, only its own answer counts: a stray touch elsewhere is not "yes".
  const activity = () => {
    if (!warning.value) arm();
  };
  const events = ['pointerdown', 'keydown'] as const;
  onMounted(() => {
    events.forEach((e) => window.addEventListener(e, activity, { passive: true }));
    arm();
  });
  onUnmounted(() => {
    stop();
    events.forEach((e) => window.removeEventListener(e, activity));
  });
  return { warning, secondsLeft, stillHere: arm };
}
