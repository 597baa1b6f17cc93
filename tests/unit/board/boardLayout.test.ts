import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CELL, fitGrid, fitReady, gridSize, JUST_READY, NUMBER_PX, type Box, type NumberGrid } from '../../../renderer/src/views/board/boardLayout';

// The room for numbers in each column of the board as Chromium lays it out on a 1080p screen, a
// few pixels less than measured (tests/e2e/board.spec.ts looks at the real thing).
const SCREENS = [
  { screen: '1920×1080', preparing: { width: 790, height: 880 }, ready: { width: 965, height: 870 } },
  { screen: '1080×1920', preparing: { width: 410, height: 1690 }, ready: { width: 505, height: 1690 } },
];

/** Every cell the grid draws (the numbers, and "+N more") fits it, and it fits the box. */
function expectDrawable(grid: NumberGrid, chars: number, box: Box) {
  const cells = grid.shown + (grid.hidden > 0 ? 1 : 0);
  if (grid.columns > 0) expect(cells).toBeLessThanOrEqual(grid.columns * grid.rows);
  const size = gridSize(grid, chars);
  expect(size.width).toBeLessThanOrEqual(box.width + 0.01);
  expect(size.height).toBeLessThanOrEqual(box.height + 0.01);
}

describe("the board's numbers", () => {
  it.each(SCREENS.flatMap((s) => [18, 40, 80].map((orders) => ({ ...s, orders }))))('at $orders orders on a $screen screen are all drawn, readable from 5 m', ({ preparing, ready, orders }) => {
    const prep = fitGrid(orders / 2, 4, preparing);
    const done = fitGrid(orders / 2, 4, ready);
    for (const [grid, box] of [
      [prep, preparing],
      [done, ready],
    ] as const) {
      expect(grid).toMatchObject({ shown: orders / 2, hidden: 0 });
      expect(grid.fontPx).toBeGreaterThanOrEqual(NUMBER_PX.min);
      expect(grid.fontPx).toBeLessThanOrEqual(NUMBER_PX.max);
      expectDrawable(grid, 4, box);
    }
  });

  it('grow as there are fewer, up to the largest size', () => {
    const box = SCREENS[0]!.ready;
    const sizes = [1, 3, 6, 12, 24, 48].map((n) => fitGrid(n, 4, box).fontPx);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBe(NUMBER_PX.max);
  });

  it('that do not fit at the smallest readable size are counted in one cell instead', () => {
    const box = SCREENS[1]!.preparing;
    const grid = fitGrid(200, 4, box);
    expect(grid.fontPx).toBe(NUMBER_PX.min);
    expect(grid.hidden).toBeGreaterThan(0);
    expect(grid.shown + grid.hidden).toBe(200);
    expect(grid.shown + 1).toBe(grid.columns * grid.rows);
    expectDrawable(grid, 4, box);
    // No room at a readable size at all: every number is counted, none drawn unreadably small.
    expect(fitGrid(5, 4, { width: 100, height: 40 })).toMatchObject({ shown: 0, hidden: 5 });
  });

  it('fit their box whatever their count, length and box', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.integer({ min: 3, max: 7 }), fc.integer({ min: 50, max: 2400 }), fc.integer({ min: 50, max: 2400 }), (count, chars, width, height) => {
        const box = { width, height };
        const grid = fitGrid(count, chars, box);
        expect(grid.shown + grid.hidden).toBe(count);
        expect(grid.fontPx).toBeGreaterThanOrEqual(NUMBER_PX.min);
        expect(grid.fontPx).toBeLessThanOrEqual(NUMBER_PX.max);
        expectDrawable(grid, chars, box);
      }),
    );
  });
});

describe('numbers just ready', () => {
  it('stand out above the others, a third bigger at least, and the column still holds all', () => {
    for (const { ready } of SCREENS) {
      const layout = fitReady(20, 3, 4, ready);
      expect(layout.justReady.count).toBeGreaterThan(0);
      expect(layout.justReady.count).toBeLessThanOrEqual(JUST_READY.most);
      expect(layout.justReady.fontPx).toBeGreaterThanOrEqual(JUST_READY.standOut * layout.grid.fontPx);
      expect(layout.grid).toMatchObject({ shown: 20 - layout.justReady.count, hidden: 0 });
      expect(layout.justReady.heightPx).toBe(Math.ceil(layout.justReady.fontPx * (CELL.heightEm + CELL.gapEm)));
      expectDrawable(layout.grid, 4, { width: ready.width, height: ready.height - layout.justReady.heightPx });
      expectDrawable({ fontPx: layout.justReady.fontPx, columns: layout.justReady.count, rows: 1, shown: layout.justReady.count, hidden: 0 }, 4, ready);
    }
  });

  it('are drawn like the others when none is new, or when drawing them apart would not make them stand out', () => {
    const box = SCREENS[0]!.ready;
    expect(fitReady(20, 0, 4, box)).toEqual({ justReady: { count: 0, fontPx: 0, heightPx: 0 }, grid: fitGrid(20, 4, box) });
    // A column so narrow that the others are as big as a number can be drawn there.
    expect(fitReady(10, 3, 4, { width: 300, height: 2000 })).toEqual({ justReady: { count: 0, fontPx: 0, heightPx: 0 }, grid: fitGrid(10, 4, { width: 300, height: 2000 }) });
  });
});
