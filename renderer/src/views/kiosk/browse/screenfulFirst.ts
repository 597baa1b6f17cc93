// A category of a chain's menu holds a hundred dishes or more, and drawing them all before the
// screen answers a tap makes the customer wait for cards they cannot see yet. The cards that fit
// on the screen are drawn at once; the rest follow a screenful at a time, each after the last one
// is painted, so the tap is answered in the next frame and the list is whole long before a finger
// can scroll to its end. Every card stays a real button in the page: keypad, speech and search
// reach them all.
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';

/** What the menu's card grid is made of (MenuScreen's .grid and MenuItemCard's .photo), in rem. */
const CARD_MIN_WIDTH = 13;
const CARD_GAP = 1;
/** A card's picture is 4:3, and the card is taller than its picture. */
const PICTURE_RATIO = 3 / 4;

/**
 * How many cards can be seen at once in a box of this size: at least as many as really fit, never
 * fewer, since a card is never shorter than its picture.
 */
export function cardsOnScreen(box: { width: number; height: number }, remPx: number): number {
  const card = CARD_MIN_WIDTH * remPx;
  const gap = CARD_GAP * remPx;
  const columns = Math.max(1, Math.floor((box.width + gap) / (card + gap)));
  const cardHeight = Math.max(1, ((box.width - (columns - 1) * gap) / columns) * PICTURE_RATIO);
  // A row cut by the bottom edge is seen too.
  return columns * (Math.ceil(box.height / (cardHeight + gap)) + 1);
}

/** The box the cards were last shown in, and the window it was in. */
let lastBox: { width: number; height: number; window: string } | null = null;

/**
 * How many cards can be seen at once in `box`. Before it is on screen (a menu screen being
 * opened), in the box it had for the customer before in a window of the same size, else in the
 * whole window.
 */
export function cardsOnScreenIn(box: HTMLElement | undefined): number {
  const windowSize = `${window.innerWidth}×${window.innerHeight}`;
  if (box) lastBox = { width: box.clientWidth, height: box.clientHeight, window: windowSize };
  const size = lastBox?.window === windowSize ? lastBox : { width: window.innerWidth, height: window.innerHeight };
  return cardsOnScreen(size, parseFloat(getComputedStyle(document.documentElement).fontSize));
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
