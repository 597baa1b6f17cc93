import { describe, expect, it } from 'vitest';
import { columnsFor, pageOf, pageStarts, placeTickets } from '../../../renderer/src/views/kitchen/ticketPages';

describe('a rush laid out in screenfuls', () => {
  it('puts as many tickets side by side as fit at their narrowest', () => {
    // 1920 px less the side panel, tickets at least 288 px (18 rem) with 14 px between.
    expect(columnsFor(1580, 288, 14)).toBe(5);
    expect(columnsFor(1052, 288, 14)).toBe(3);
    expect(columnsFor(200, 288, 14)).toBe(1);
  });

  it('stacks each next ticket under the shortest column, the first of equals', () => {
    const places = placeTickets([300, 100, 200, 150, 50], { columns: 3, height: 1000, gap: 10 });
    expect(places).toEqual([
      { page: 0, column: 0, top: 0 },
      { page: 0, column: 1, top: 0 },
      { page: 0, column: 2, top: 0 },
      { page: 0, column: 1, top: 110 },
      { page: 0, column: 2, top: 210 },
    ]);
  });

  it('starts a page where the next ticket would run past the bottom, so none is cut off', () => {
    // Columns end at 300 and 250; the third ticket (260 tall) fits under neither in 510 px.
    expect(placeTickets([300, 250, 260, 100], { columns: 2, height: 510, gap: 10 }).map((p) => p.page)).toEqual([0, 0, 1, 1]);
    // In 520 px it fits under the second.
    expect(placeTickets([300, 250, 260, 100], { columns: 2, height: 520, gap: 10 })).toEqual([
      { page: 0, column: 0, top: 0 },
      { page: 0, column: 1, top: 0 },
      { page: 0, column: 1, top: 260 },
      { page: 0, column: 0, top: 310 },
    ]);
  });

  it('keeps the order: a short ticket never jumps ahead onto a page before a tall one', () => {
    expect(placeTickets([400, 400, 50], { columns: 1, height: 500, gap: 10 }).map((p) => p.page)).toEqual([0, 1, 1]);
  });

  it('gives a ticket taller than the screen a page of its own', () => {
    expect(placeTickets([100, 900, 100], { columns: 1, height: 500, gap: 10 }).map((p) => p.page)).toEqual([0, 1, 2]);
  });

  it('says where each page starts, and which page shows a ticket', () => {
    const starts = pageStarts(placeTickets([400, 400, 50, 400, 400], { columns: 1, height: 500, gap: 10 }));
    expect(starts).toEqual([0, 1, 3, 4]);
    expect([0, 1, 2, 3, 4].map((i) => pageOf(starts, i))).toEqual([0, 1, 1, 2, 3]);
    expect(pageStarts([])).toEqual([0]);
  });
});
