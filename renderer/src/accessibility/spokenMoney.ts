// Amounts as a voice should say them: "3 euros 50", not "euro sign, three point five zero", which
// is what speech engines make of "€3.50". Plain Intl, so the words come in the screen's language.

/** `cents` in `currency`, said in the language of the Intl locale `intl`. */
export function spokenMoney(cents: number, currency: string, intl: string): string {
  const units = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  const whole = new Intl.NumberFormat(intl, { style: 'currency', currency, currencyDisplay: 'name', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(units);
  return rest ? `${whole} ${rest}` : whole;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patterns = new Map<string, RegExp>();

/** Matches an amount as the screens write it (Intl's currency style), e.g. €1,234.50 or 1 234,50 €. */
function moneyPattern(currency: string, intl: string): RegExp {
  const key = `${intl} ${currency}`;
  const known = patterns.get(key);
  if (known) return known;
  const group = new Intl.NumberFormat(intl).formatToParts(1234).find((part) => part.type === 'group')?.value ?? ',';
  const units = `(\\d{1,3}(?:${escape(group)}\\d{3})+|\\d+)`;
  const pieces: string[] = [];
  const parts = new Intl.NumberFormat(intl, { style: 'currency', currency }).formatToParts(1234.5);
  parts.forEach((part, i) => {
    if (part.type === 'currency') pieces.push(escape(part.value));
    // 1 234: integer, group, integer are one number.
    else if (part.type === 'integer' && pieces.at(-1) !== units) pieces.push(units);
    else if (part.type === 'decimal') pieces.push(`(?:${escape(part.value)}(\\d+))?`);
    // Spaces inside the amount; at its ends only direction marks, never the space before a word.
    else if (part.type === 'literal') pieces.push(i === 0 || i === parts.length - 1 ? '[\\u200e\\u200f]*' : '[\\s\\u200e\\u200f]*');
  });
  const pattern = new RegExp(pieces.join(''), 'g');
  patterns.set(key, pattern);
  return pattern;
}

/** `text` with every amount in `currency` written as it is best said. */
export function speakablePrices(text: string, currency: string, intl: string): string {
  return text.replace(moneyPattern(currency, intl), (_match, units: string, fraction: string | undefined) => {
    const cents = Number(units.replace(/\D/g, '')) * 100 + (fraction ? Number(fraction.padEnd(2, '0').slice(0, 2)) : 0);
    return spokenMoney(cents, currency, intl);
  });
}
