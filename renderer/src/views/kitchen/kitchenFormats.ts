// How a kitchen display writes things: how long a ticket has waited (and its colour by the store's
// thresholds), when a line is due, clock times in the store's time zone as the screen's language
// writes them (24-hour where that is usual: en-GB, fr-FR; never a hard-coded 12 hours), and lists.
import type { KitchenSettings } from '#protocol/events';

export type Urgency = 'on-time' | 'warn' | 'late';

/** On time, then amber from the store's `warnMinutes`, red from its `lateMinutes`. */
export function urgencyOf(waitedMs: number, { warnMinutes, lateMinutes }: Pick<KitchenSettings, 'warnMinutes' | 'lateMinutes'>): Urgency {
  if (waitedMs >= lateMinutes * 60_000) return 'late';
  if (waitedMs >= warnMinutes * 60_000) return 'warn';
  return 'on-time';
}

/** A span of time as a cook reads a timer: 4:05, 12:40, 1:02:09. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** A time of day in `timeZone`, with the hour cycle usual for `locale` (an Intl locale such as en-GB). */
export function formatClock(at: number | string, locale: string, timeZone: string): string {
  const key = `${locale} ${timeZone}`;
  let format = clocks.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
    clocks.set(key, format);
  }
  return format.format(new Date(at));
}

const lists = new Map<string, Intl.ListFormat>();

/** A short list as the screen's language joins one: "Gluten, Milk, Eggs", "الغلوتين، والحليب، والبيض". */
export function formatList(items: readonly string[], locale: string): string {
  let format = lists.get(locale);
  if (!format) {
    format = new Intl.ListFormat(locale, { style: 'short', type: 'unit' });
    lists.set(locale, format);
  }
  return format.format(items);
}
