// Dayparts ("breakfast until 10:30") are judged on the store's own clock: a chain's menu says
// 07:00–10:30 once, and each store sells breakfast in its own morning.
import type { Daypart } from './menu';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The store's local weekday (1 Monday … 7 Sunday) and time of day as HH:MM at an instant. */
export function localClock(instant: Date, timeZone: string): { weekday: number; time: string } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAYS[parts.weekday!]!, time: `${parts.hour}:${parts.minute}` };
}

/** Whether a daypart is on at the store's local clock; one that runs past midnight counts on the day it began. */
export function daypartIsOn(daypart: Pick<Daypart, 'from' | 'until' | 'days'>, clock: { weekday: number; time: string }): boolean {
  const { from, until, days } = daypart;
  if (from < until) return clock.time >= from && clock.time < until && (!days || days.includes(clock.weekday));
  if (clock.time >= from) return !days || days.includes(clock.weekday);
  const yesterday = clock.weekday === 1 ? 7 : clock.weekday - 1;
  return clock.time < until && (!days || days.includes(yesterday));
}

interface Placed {
  daypartIds: readonly string[];
}

/**
 * Whether an item is on sale at the store's clock: during its own dayparts, else its category's,
 * else its parent category's; always when none of them names any.
 */
export function onSale(
  item: Placed & { categoryId: string },
  menu: { categories: ReadonlyArray<Placed & { id: string; parentId?: string | undefined }>; dayparts: readonly Daypart[] },
  clock: { weekday: number; time: string },
): boolean {
  const category = menu.categories.find((c) => c.id === item.categoryId);
  const parent = category?.parentId === undefined ? undefined : menu.categories.find((c) => c.id === category.parentId);
  const named = [item, category, parent].find((entry) => entry && entry.daypartIds.length > 0)?.daypartIds;
  if (!named) return true;
  return menu.dayparts.some((d) => named.includes(d.id) && daypartIsOn(d, clock));
}
