// How the order-ready board fits its numbers into a column: a grid whose font grows or shrinks with
// how many numbers there are, never smaller than what a customer reads from 5 m away. What still
// does not fit is left out and counted ("+12 more"). Every cell has the same size in ems of its
// font, so the grid drawn is the grid worked out here, and no two numbers can overlap.

export interface Box {
  width: number;
  height: number;
}

/** A grid of numbers in a box: its font, columns and rows, and how many numbers it leaves out. */
export interface NumberGrid {
  fontPx: number;
  columns: number;
  rows: number;
  /** Numbers drawn; when some are left out, one more cell says how many. */
  shown: number;
  hidden: number;
}

/**
 * One number's cell, in ems: a heavy face's widest letters and digits (0.7 em each) with room
 * either side, a line and a bit high, and the gap between cells.
 */
export const CELL = { emPerChar: 0.7, padEm: 0.5, heightEm: 1.3, gapEm: 0.3 } as const;

/** Sizes of a number, in CSS pixels: 48 px is about 2.5 cm high on a 55" 1080p screen, read from 5 m. */
export const NUMBER_PX = { min: 48, max: 150 } as const;
/** Newly ready numbers are drawn bigger, at most this many in a row above the others, and a third bigger than them at least. */
export const JUST_READY = { maxPx: 230, most: 3, shareOfHeight: 0.3, standOut: 1.3 } as const;

/** How wide a cell is in ems, for numbers of `chars` characters (A001: 4). */
export const cellEm = (chars: number) => Math.max(3, chars) * CELL.emPerChar + CELL.padEm;

/** How many cells of `cell` ems (and the gap between them) go into `px` at `fontPx`. */
const cellsIn = (px: number, cell: number, fontPx: number) => Math.max(0, Math.floor((px / fontPx + CELL.gapEm) / (cell + CELL.gapEm)));

/** The font at which `columns` × `rows` cells just fill the box. */
const fontFor = (box: Box, columns: number, rows: number, cell: number) =>
  Math.min(box.width / (columns * cell + (columns - 1) * CELL.gapEm), box.height / (rows * CELL.heightEm + (rows - 1) * CELL.gapEm));

/**
 * The biggest grid `count` numbers of `chars` characters fit in, between `limits.min` and
 * `limits.max` pixels. At the smallest size, what does not fit is left out and one cell counts it.
 */
export function fitGrid(count: number, chars: number, box: Box, limits: { min: number; max: number } = NUMBER_PX): NumberGrid {
  const cell = cellEm(chars);
  if (count === 0) return { fontPx: limits.max, columns: 0, rows: 0, shown: 0, hidden: 0 };
  let best = { fontPx: 0, columns: 1, rows: count };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const fontPx = fontFor(box, columns, rows, cell);
    if (fontPx > best.fontPx) best = { fontPx, columns, rows };
  }
  if (best.fontPx >= limits.min) {
    const fontPx = Math.min(limits.max, Math.floor(best.fontPx));
    // Columns enough for the size chosen: a capped font leaves room, and numbers fill rows first.
    const columns = Math.min(count, Math.max(best.columns, cellsIn(box.width, cell, fontPx)));
    return { fontPx, columns, rows: Math.ceil(count / columns), shown: count, hidden: 0 };
  }
  const columns = cellsIn(box.width, cell, limits.min);
  const rows = cellsIn(box.height, CELL.heightEm, limits.min);
  const cells = columns * rows;
  // Nothing fits at a readable size: say how many there are rather than draw them unreadably small.
  if (cells === 0) return { fontPx: limits.min, columns: 0, rows: 0, shown: 0, hidden: count };
  const shown = cells >= count ? count : cells - 1;
  return { fontPx: limits.min, columns: Math.max(1, columns), rows, shown, hidden: count - shown };
}

/** The ready column: the newest just-ready numbers big in a row of their own, the rest in a grid below. */
export interface ReadyLayout {
  justReady: { count: number; fontPx: number; heightPx: number };
  grid: NumberGrid;
}

/**
 * Lays out `count` ready numbers, the first `fresh` of which became ready a moment ago: up to
 * three of those go in a row above the others, as big as the column's width and a share of its
 * height allow. Fewer go there if that is what makes them stand out (a third bigger than the rest
 * at least), and none if nothing does; the rest share what is left.
 */
export function fitReady(count: number, fresh: number, chars: number, box: Box): ReadyLayout {
  const cell = cellEm(chars);
  for (let wanted = Math.min(fresh, JUST_READY.most, count); wanted > 0; wanted--) {
    const fontPx = Math.floor(Math.min(JUST_READY.maxPx, fontFor({ width: box.width, height: box.height * JUST_READY.shareOfHeight }, wanted, 1, cell)));
    const heightPx = Math.ceil(fontPx * (CELL.heightEm + CELL.gapEm));
    const grid = fitGrid(count - wanted, chars, { width: box.width, height: box.height - heightPx });
    if (fontPx >= JUST_READY.standOut * grid.fontPx) return { justReady: { count: wanted, fontPx, heightPx }, grid };
  }
  return { justReady: { count: 0, fontPx: 0, heightPx: 0 }, grid: fitGrid(count, chars, box) };
}

/** The size a grid takes when drawn, in CSS pixels: what must stay inside its box. */
export function gridSize(grid: NumberGrid, chars: number): Box {
  const cells = (n: number, cell: number) => (n === 0 ? 0 : (n * cell + (n - 1) * CELL.gapEm) * grid.fontPx);
  return { width: cells(grid.columns, cellEm(chars)), height: cells(grid.rows, CELL.heightEm) };
}
