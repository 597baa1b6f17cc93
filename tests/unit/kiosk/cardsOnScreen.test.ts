import { describe, expect, it } from 'vitest';
import { cardsOnScreen } from '../../../renderer/src/views/kiosk/browse/cardsOnScreen';

// The menu screen's grid of cards as Chromium lays it out (the shelves' width less their padding,
// their height, the root font size) and how many cards a customer really sees in it, measured on
// the 1,000-item menu of tests/support/bigMenu.ts.
const screens = [
  { screen: 'kiosk 1080×1920', grid: { width: 800, height: 1473 }, remPx: 19.98, seen: 8 },
  { screen: 'kiosk 1920×1080', grid: { width: 1640, height: 633 }, remPx: 19.98, seen: 10 },
  { screen: 'kiosk 1080×1920, text at 200 %', grid: { width: 520, height: 995 }, remPx: 39.96, seen: 2 },
  { screen: 'kiosk 1920×1080, text at 200 %', grid: { width: 1360, height: 423 }, remPx: 39.96, seen: 2 },
  { screen: 'tablet 800×1280', grid: { width: 576, height: 921 }, remPx: 16, seen: 8 },
  { screen: 'tablet 1280×800', grid: { width: 1056, height: 441 }, remPx: 16, seen: 8 },
  { screen: 'tablet 1280×800, text at 200 %', grid: { width: 832, height: 185 }, remPx: 32, seen: 1 },
];

describe('the first screenful of a category', () => {
  it.each(screens)('has every card a customer sees on a $screen, and not more than twice as many', ({ grid, remPx, seen }) => {
    const drawn = cardsOnScreen(grid, remPx);
    expect(drawn).toBeGreaterThanOrEqual(seen);
    expect(drawn).toBeLessThanOrEqual(2 * seen);
  });

  it('is at least one card in the smallest box', () => {
    expect(cardsOnScreen({ width: 10, height: 10 }, 16)).toBeGreaterThanOrEqual(1);
  });
});
