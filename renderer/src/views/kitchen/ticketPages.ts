// How a rush of tickets is laid out in screenfuls. Tickets are as tall as their lines need, so
// they are stacked in columns, each next ticket under the shortest column (the leftmost of equals):
// the oldest stay at the top, read from the start of the line, and short tickets fill the gaps tall
// ones leave. A ticket that would run past the bottom edge starts the next page instead, so no
// ticket is ever cut off; the pager says how many are on the other pages.

export interface GridSize {
  /** Tickets side by side. */
  columns: number;
  /** The grid's height in pixels. */
  height: number;
  /** The space between two tickets, in pixels. */
  gap: number;
}

/** Where a ticket goes: its page, its column, and its distance from the top of the grid. */
export interface TicketPlace {
  page: number;
  column: number;
  top: number;
}

/** How many tickets fit side by side in `width` pixels, each at least `minTicket` wide. */
export function columnsFor(width: number, minTicket: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minTicket + gap)));
}

/**
 * Each ticket's place, in order, given each ticket's height. A ticket taller than the whole grid
 * still gets a page (its lines scroll inside it, saying so).
 */
export function placeTickets(heights: readonly number[], { columns, height, gap }: GridSize): TicketPlace[] {
  let page = 0;
  let bottoms: number[] = Array<number>(columns).fill(0);
  return heights.map((tall) => {
    let column = bottoms.indexOf(Math.min(...bottoms));
    let top = bottoms[column]! === 0 ? 0 : bottoms[column]! + gap;
    if (top > 0 && top + tall > height) {
      page++;
      bottoms = Array<number>(columns).fill(0);
      [column, top] = [0, 0];
    }
    bottoms[column] = top + tall;
    return { page, column, top };
  });
}

/** The index of the first ticket of each page (one empty page when there are none). */
export function pageStarts(places: readonly TicketPlace[]): number[] {
  const starts = [0];
  places.forEach((place, i) => {
    if (place.page === starts.length) starts.push(i);
  });
  return starts;
}

/** The page that shows ticket `index`. */
export const pageOf = (starts: readonly number[], index: number): number => Math.max(0, starts.findLastIndex((start) => start <= index));
