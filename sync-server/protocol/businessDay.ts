const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The store-local calendar day of an instant, as YYYY-MM-DD. Order numbers restart with it, so a
 * kiosk in Amsterdam starts again at A001 at local midnight, whatever the server's time zone.
 */
export function businessDay(instant: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format.format(instant);
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
