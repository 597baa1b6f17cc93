// How many menu cards a screen shows at once, worked out from the grid's size alone (without the
// page, so that it is known before the cards are drawn): what screenfulFirst.ts draws first.

/** What the menu's card grid is made of (MenuScreen's .grid, MenuItemCard's .card and .photo), in rem. */
const CARD_MIN_WIDTH = 13;
const CARD_GAP = 1;
/** A card's picture is 4:3 and as wide as the card less its padding and border. */
const PICTURE_RATIO = 3 / 4;
const CARD_PADDING = 2;

/**
 * How many cards can be seen at once in a grid this wide, scrolled in a box this high: never fewer
 * than really fit, as a card is never shorter than its picture, and a row more, as another
 * category may have no row of subcategories above its cards and so more room.
 */
export function cardsOnScreen(grid: { width: number; height: number }, remPx: number): number {
  const gap = CARD_GAP * remPx;
  const columns = Math.max(1, Math.floor((grid.width + gap) / ((CARD_MIN_WIDTH + CARD_GAP) * remPx)));
  const cardWidth = (grid.width - (columns - 1) * gap) / columns;
  const cardHeight = Math.max(remPx, (cardWidth - CARD_PADDING * remPx) * PICTURE_RATIO);
  // Every row whose top is above the bottom edge is seen, the last one cut by it.
  return columns * (Math.ceil(grid.height / (cardHeight + gap)) + 1);
}
