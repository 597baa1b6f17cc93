// What the reports page works out in the browser: date ranges (its presets on the browser's own
// calendar), the figures in words, and a report's rows set out as a chart draws them. The figures
// themselves are the server's (GET /api/reports/…).
import type { z } from 'zod';
import type * as Api from '#admin-api';
import { formatMoney, minorDigits, numberFormat } from '#protocol/money';

export type SalesByDay = z.output<typeof Api.SalesByDaySchema>;
export type SalesByHour = z.output<typeof Api.SalesByHourSchema>;
export type ItemMix = z.output<typeof Api.ItemMixSchema>;
export type TicketTimes = z.output<typeof Api.TicketTimesSchema>;
export type OrderMix = z.output<typeof Api.OrderMixSchema>;

export interface ChartSeries {
  label: string;
  values: number[];
}

/** The admin app's own colours first, then colours that stay apart from them (and from each other) for colour-blind readers. */
export const CHART_COLOURS = ['#1f5f46', '#c8553d', '#2f6fb3', '#a15c07', '#6b4fa0', '#5f584f', '#0f7c8c', '#b0336b'];

export const RANGE_PRESETS = ['today', 'last7', 'last30', 'month'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** A day as YYYY-MM-DD, on the browser's calendar (en-CA writes dates so). */
export const dayOf = (at: Date) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
/** The day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** A preset's first and last day, counted from `today`. */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** Every day from `from` to `to`, so a chart shows the days without orders as nothing sold. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  if (Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) return days;
  for (let day = from; day <= to && days.length <= 366; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The currencies of a report's rows, in their first order: a chart draws one series each. */
export const currenciesOf = (rows: ReadonlyArray<{ currency: string }>) => [...new Set(rows.map((r) => r.currency))];

/** Money rows keyed by `keyOf` as one series of sales per currency (in its major units), over `keys`. */
export function salesSeries<R extends { currency: string; salesCents: number }>(rows: readonly R[], keys: readonly string[], keyOf: (row: R) => string): ChartSeries[] {
  return currenciesOf(rows).map((currency) => {
    const sums = new Map<string, number>();
    for (const row of rows) if (row.currency === currency) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + row.salesCents);
    return { label: currency, values: keys.map((key) => (sums.get(key) ?? 0) / 10 ** minorDigits(currency)) };
  });
}

/** An amount in major units (as a chart holds it) written in its currency. */
export const majorMoney = (amount: number, currency: string) => formatMoney(Math.round(amount * 10 ** minorDigits(currency)), currency, undefined);
export const money = (cents: number, currency: string) => formatMoney(cents, currency, undefined);
export const count = (value: number) => numberFormat(undefined).format(value);
export const percent = (part: number, whole: number) => numberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }).format(whole === 0 ? 0 : part / whole);

/** A day written for people; one that is no date (an address typed by hand) as it was given, for the server to name. */
function writeDay(day: string, options: Intl.DateTimeFormatOptions): string {
  const at = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? day : new Intl.DateTimeFormat(undefined, { ...options, timeZone: 'UTC' }).format(at);
}
/** A day as people read it: "Mon 2 Dec 2026". */
export const dayLabel = (day: string) => writeDay(day, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
/** A day on a chart's axis: "2 Dec". */
export const shortDay = (day: string) => writeDay(day, { day: 'numeric', month: 'short' });
/** An hour of the clock: "14:00". */
export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
/** A ticket time: "4:05" (minutes and seconds). */
export function duration(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
