// A category of a chain's menu holds a hundred dishes or more, and drawing them all before the
// screen answers a tap makes the customer wait for cards they cannot see yet. The cards that fit
// on the screen are drawn at once; the rest follow a screenful at a time, each after the last one
// is painted, so the tap is answered in the next frame and the list is whole long before a finger
// can scroll to its end. Every card stays a real button in the page: keypad, speech and search
// reach them all.
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';
import { cardsOnScreen } from './cardsOnScreen';

/** The grid the cards were last shown in, and the window it was in. */
let lastGrid: { width: number; height: number; window: string } | null = null;

/**
 * How many cards can be seen at once in the scrolling `box`. Before it is on screen (a menu screen
 * being opened), in the box it had for the customer before in a window of the same size, else in
 * the whole window.
 */
export function cardsOnScreenIn(box: HTMLElement | undefined): number {
  const windowSize = `${window.innerWidth}×${window.innerHeight}`;
  if (box) {
    const style = getComputedStyle(box);
    lastGrid = { width: box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), height: box.clientHeight, window: windowSize };
  }
  const grid = lastGrid?.window === windowSize ? lastGrid : { width: window.innerWidth, height: window.innerHeight };
  return cardsOnScreen(grid, parseFloat(getComputedStyle(document.documentElement).fontSize));
}

/**
 * How many cards of a list are drawn: a screenful when `restart` changes (another category), then
 * a screenful more after each paint until there are `total()`.
 */
export function useScreenfulFirst(options: { total: () => number; screenful: () => number; restart: WatchSource }): Ref<number> {
  const drawn = ref(options.screenful());
  let frame = 0;
  let task: ReturnType<typeof setTimeout> | undefined;

  function stop(): void {
    cancelAnimationFrame(frame);
    clearTimeout(task);
    frame = 0;
    task = undefined;
  }
  /** The next screenful, once what is drawn now has been painted: a task queued from a frame's callback runs after its paint. */
  function drawMoreAfterPaint(): void {
    if (frame || task || drawn.value >= options.total()) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      task = setTimeout(() => {
        task = undefined;
        drawn.value += options.screenful();
      });
    });
  }

  watch(options.restart, () => {
    stop();
    drawn.value = options.screenful();
    drawMoreAfterPaint();
  });
  // After each render: more to draw? (Also when the list grows, as when filters are cleared.)
  watch([drawn, options.total], drawMoreAfterPaint, { flush: 'post', immediate: true });
  onScopeDispose(stop);
  return drawn;
}
