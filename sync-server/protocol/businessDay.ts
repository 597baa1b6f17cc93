const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per time zone, the last quarter hour asked about and its day. */
const lastAnswers = new Map<string, { quarter: number; day: string }>();
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The store-local calendar day of an instant, as YYYY-MM-DD. Order numbers restart with it, so a
 * kiosk in Amsterdam starts again at A001 at local midnight, whatever the server's time zone.
 */
export function businessDay(instant: Date, timeZone: string): string {
  // Every time zone's offset since 1972 is a whole number of quarter hours (Kathmandu: +5:45), so a
  // local midnight falls on a quarter hour of UTC and the day is the same throughout one. The server asks for every order it
  // merges, nearly always about the same quarter: formatting dates is the slow part.
  const quarter = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
  const last = lastAnswers.get(timeZone);
  if (last?.quarter === quarter) return last.day;
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  const day = format.format(instant);
  lastAnswers.set(timeZone, { quarter, day });
  return day;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
