// The columns of the menu items spreadsheet, and how each kind of cell is written and read back.
// Shared by the sync server and the admin app: no Node imports.
import Papa from 'papaparse';
import { ALLERGENS, DIET_TAGS, MAX_PRICE_CENTS, type MenuDocument } from '../protocol/menu';

const FIXED = {
  id: 'id',
  category: 'category',
  categoryName: 'category name',
  price: 'price',
  kcal: 'kcal',
  kj: 'kJ',
  allergens: 'allergens',
  dietTags: 'diet tags',
  image: 'image',
} as const;

/** What a column holds; texts have one column per menu locale (`name:ar`). */
export type Column = { kind: keyof typeof FIXED; header: string } | { kind: 'name' | 'description'; header: string; locale: string };

/** The menu's locales, its default first: the column a translator fills in comes after the original. */
const localesOf = (menu: MenuDocument) => [menu.defaultLocale, ...menu.locales.filter((l) => l !== menu.defaultLocale)];

/** Every column of `menu`'s items, in the order an export writes them. */
export function menuColumns(menu: MenuDocument): Column[] {
  const fixed = (kind: keyof typeof FIXED): Column => ({ kind, header: FIXED[kind] });
  const texts = (kind: 'name' | 'description') => localesOf(menu).map((locale): Column => ({ kind, header: `${kind}:${locale}`, locale }));
  return [
    fixed('id'),
    fixed('category'),
    fixed('categoryName'),
    ...texts('name'),
    ...texts('description'),
    fixed('price'),
    fixed('kcal'),
    fixed('kj'),
    fixed('allergens'),
    fixed('dietTags'),
    fixed('image'),
  ];
}

/** The columns an import cannot do without: which item, where it goes, what it is called, what it costs. */
export const requiredColumns = (menu: MenuDocument) => ['id', 'category', `name:${menu.defaultLocale}`, 'price'];

/**
 * A cell a spreadsheet would run as a formula (OWASP: = + - @ tab, carriage return), also behind
 * quotes already there: `'=1` is written `''=1`, so that reading strips exactly one quote back and
 * every text survives the round trip. Numbers are never negative here, so no number is quoted.
 */
export const FORMULA = /^'*[=+\-@\t\r]/;
export const unquoteFormula = (cell: string) => (/^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/**
 * Rows as a spreadsheet file (RFC 4180): a header row, CRLF, formulas neutralised, and a byte order
 * mark, which is how Excel knows the file is UTF-8 and shows Arabic. Head office's reports use it too.
 */
export function spreadsheetFile(fields: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, delimiter: ',' | ';' = ','): string {
  const csv = Papa.unparse({ fields: [...fields], data: rows.map((row) => [...row]) }, { delimiter, newline: '\r\n', escapeFormulae: FORMULA });
  return `\uFEFF${csv}\r\n`;
}

/** Lists are written with `|`; `,` and `;` are read too, as people type them. */
export const LIST_SEPARATOR = '|';

/**
 * A price in the menu's currency with two decimals, as the rest of Tillsync reads cents. The
 * semicolon layout is Excel's in countries that write a decimal comma (12,50).
 */
export function formatPrice(cents: number, decimalComma: boolean): string {
  const whole = Math.abs(cents);
  const text = `${cents < 0 ? '-' : ''}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
  return decimalComma ? text.replace('.', ',') : text;
}

/** Reads 12.50, 12,50, 12.5 and 12; a comma is always the decimal one, never a thousands separator. */
export function parsePrice(cell: string): { cents: number } | { problem: string } {
  if (cell === '') return { problem: 'empty: write the price, such as 12.50' };
  const match = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(cell);
  if (!match) return { problem: `"${cell}" is not a price: write a number such as 12.50 or 12,50, without a currency sign or thousands separators` };
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > 2) return { problem: `"${cell}" has more than two decimals: write it as 12.50 or 12,50` };
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  // Checked here rather than by the schema, whose limit is in cents: the sheet is in the currency.
  if (cents > MAX_PRICE_CENTS) return { problem: `at most ${formatPrice(MAX_PRICE_CENTS, false)}` };
  return { cents: sign ? -cents : cents };
}

export function parseWhole(cell: string, unit: string): { value: number } | { problem: string } {
  return /^\d+$/.test(cell) ? { value: Number(cell) } : { problem: `"${cell}" is not a number of ${unit}: write a whole number such as 250` };
}

/** A list of fixed ids, as written: order kept, repeats dropped, any capitals accepted. */
export function parseList<T extends string>(cell: string, known: readonly T[], what: string): { values: T[] } | { problem: string } {
  const words = [...new Set(cell.split(/[|,;]/).map((w) => w.trim().toLowerCase()).filter(Boolean))];
  const unknown = words.filter((w) => !(known as readonly string[]).includes(w));
  if (unknown.length > 0) return { problem: `unknown ${what} ${unknown.map((w) => `"${w}"`).join(', ')}: the ${what}s are ${known.join(', ')}` };
  return { values: words as T[] };
}

export const parseAllergens = (cell: string) => parseList(cell, ALLERGENS, 'allergen');
export const parseDietTags = (cell: string) => parseList(cell, DIET_TAGS, 'diet tag');
