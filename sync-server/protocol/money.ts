// Money is integers of minor units everywhere (invariant 2); only when it is shown does it become
// euros and cents, yen, or dinars and fils, each with the digits ISO 4217 gives its currency.

const formats = new Map<string, Intl.NumberFormat>();
/**
 * One Intl.NumberFormat per locale and options, kept: making one costs a hundred times more than
 * formatting with it, and a kiosk's menu screen shows hundreds of prices at once.
 */
export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale ?? ''} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** Digits after the decimal point of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export const minorDigits = (currency: string): number => numberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** An amount in minor units as money, written the way `locale` writes it. */
export function formatMoney(minor: number, currency: string, locale: string | undefined, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, { style: 'currency', currency, ...options }).format(minor / 10 ** minorDigits(currency));
}
