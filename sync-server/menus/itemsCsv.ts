// A menu's items as a spreadsheet: head office exports them, edits prices and translations in Excel
// or LibreOffice, and imports the file back. An import is a preview: it lists every problem of every
// row at once, and gives the new menu document only when there is none. Shared by the sync server
// and the admin app: no Node imports.
//
// What an import does: a row whose id is on the menu replaces that item's columns; a row with a new
// id, or none (an id is then made from its name), adds an item at the end of the menu. Items the file
// does not list are kept, as is anything of an item that has no column (a missing `kJ` column leaves
// energy alone; an empty `kJ` cell removes it), and what no column holds (modifiers, store prices,
// nutrition, station, dayparts). Removing items is the editor's job, not the spreadsheet's.
import Papa from 'papaparse';
import type { z } from 'zod';
import { menuDocumentIssues, MenuDocumentSchema, textIn, type MenuDocument, type MenuItem, type MenuItemSchema } from '../protocol/menu';
import {
  LIST_SEPARATOR,
  formatPrice,
  menuColumns,
  parseAllergens,
  parseDietTags,
  parsePrice,
  parseWhole,
  requiredColumns,
  spreadsheetFile,
  unquoteFormula,
  type Column,
} from './itemsCsvColumns';
import { menuPathLabel } from './menuProblems';

/** An uploaded picture, as the picture library lists it. */
export interface CsvPicture {
  id: string;
  fileName: string;
}

export interface ItemsCsvExportOptions {
  /** Uploaded pictures: an item's picture is written by its file name when no other picture has that name. */
  pictures?: readonly CsvPicture[];
  /** `semicolon`: `;` between cells and a decimal comma (12,50), as Excel expects in much of Europe. */
  separator?: 'comma' | 'semicolon';
}

export interface ItemsCsvImportOptions {
  /** Uploaded pictures, whose file names the `image` column may name. */
  pictures?: readonly CsvPicture[];
}

export interface ItemsCsvProblem {
  /** The row as a spreadsheet numbers it, the header being row 1; absent when it is the whole file's. */
  row?: number;
  /** The column's header (`price`, `name:ar`), when one cell is wrong. */
  column?: string;
  /** The item's name in the menu's default locale, else its id. */
  item?: string;
  /** What is wrong and what to write instead. */
  message: string;
}

export interface ItemsCsvImport {
  /** The menu with the file's items, validated; only when there is no problem. */
  menu?: MenuDocument;
  problems: ItemsCsvProblem[];
  /** Rows that add an item, change one, or say what the menu already says. */
  counts: { added: number; changed: number; unchanged: number };
}

export const MAX_CSV_BYTES = 5 * 1024 * 1024;
/** As many items as a menu document holds. */
const MAX_ITEMS = 5000;

type ItemInput = z.input<typeof MenuItemSchema>;

/** File names that name one picture only: a name two pictures share is written, and read, as the id. */
function pictureNames(pictures: readonly CsvPicture[]) {
  const uses = new Map<string, number>();
  for (const p of pictures) uses.set(p.fileName, (uses.get(p.fileName) ?? 0) + 1);
  const unique = pictures.filter((p) => uses.get(p.fileName) === 1);
  return {
    nameOf: new Map(unique.map((p) => [p.id, p.fileName])),
    idOf: new Map(unique.map((p) => [p.fileName, p.id])),
    ids: new Set(pictures.map((p) => p.id)),
    shared: new Set(pictures.filter((p) => (uses.get(p.fileName) ?? 0) > 1).map((p) => p.fileName)),
  };
}

/** One row per item. */
export function exportItemsCsv(menu: MenuDocument, options: ItemsCsvExportOptions = {}): string {
  const decimalComma = options.separator === 'semicolon';
  const { nameOf } = pictureNames(options.pictures ?? []);
  const categories = new Map(menu.categories.map((c) => [c.id, c]));
  const named = (id: string | undefined) => {
    const category = id === undefined ? undefined : categories.get(id);
    return category ? textIn(category.name, menu.defaultLocale, menu.defaultLocale) : '';
  };
  // For people only: "Burgers › Chicken" says where a subcategory sits. An import reads the id.
  const categoryName = (id: string) => [named(categories.get(id)?.parentId), named(id)].filter(Boolean).join(' › ');

  const cell = (item: MenuItem, column: Column): string => {
    switch (column.kind) {
      case 'id':
        return item.id;
      case 'category':
        return item.categoryId;
      case 'categoryName':
        return categoryName(item.categoryId);
      case 'name':
      case 'description':
        return item[column.kind][column.locale] ?? '';
      case 'price':
        return formatPrice(item.priceCents, decimalComma);
      case 'kcal':
        return item.energy ? String(item.energy.kcal) : '';
      case 'kj':
        return item.energy ? String(item.energy.kj) : '';
      case 'allergens':
        return item.allergens.join(LIST_SEPARATOR);
      case 'dietTags':
        return item.dietTags.join(LIST_SEPARATOR);
      case 'image':
        return item.image === undefined ? '' : (nameOf.get(item.image) ?? item.image);
    }
  };
  const columns = menuColumns(menu);
  return spreadsheetFile(
    columns.map((c) => c.header),
    menu.items.map((item) => columns.map((column) => cell(item, column))),
    decimalComma ? ';' : ',',
  );
}

const NOT_UTF8 =
  'The file is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"; in LibreOffice, as Text CSV with the character set "Unicode (UTF-8)".';

/** The file's text, with or without its byte order mark; bytes are read as UTF-8, or UTF-16 after its mark. */
function decode(csv: string | Uint8Array): { text: string } | { problem: string } {
  // A UTF-16 code unit is at least one UTF-8 byte: a string longer than the limit is over it.
  const size = typeof csv !== 'string' ? csv.byteLength : csv.length > MAX_CSV_BYTES ? csv.length : new TextEncoder().encode(csv).byteLength;
  if (size > MAX_CSV_BYTES) return { problem: `The file is ${(size / 1024 / 1024).toFixed(1)} MiB; at most 5 MiB can be imported at once: split it in two.` };
  let text: string;
  if (typeof csv === 'string') text = csv.replace(/^\uFEFF/, '');
  else {
    // Excel's "Unicode Text" is UTF-16 behind its byte order mark.
    const encoding = csv[0] === 0xff && csv[1] === 0xfe ? 'utf-16le' : csv[0] === 0xfe && csv[1] === 0xff ? 'utf-16be' : 'utf-8';
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(csv);
    } catch {
      return { problem: NOT_UTF8 };
    }
  }
  // A replacement character is what is left of bytes that were not UTF-8 when the text was read.
  return text.includes('\uFFFD') ? { problem: NOT_UTF8 } : { text };
}

/** The columns of the header row, by position; `undefined` where a column is unknown or repeated. */
function readHeader(cells: readonly string[], menu: MenuDocument) {
  const known = new Map(menuColumns(menu).map((c) => [c.header.toLowerCase(), c]));
  const problems: ItemsCsvProblem[] = [];
  const problem = (column: string | undefined, message: string) => problems.push({ row: 1, ...(column ? { column } : {}), message });
  const allHeaders = [...known.values()].map((c) => c.header).join(', ');
  // Spreadsheets may leave empty columns at the right; they hold nothing.
  const width = cells.findLastIndex((c) => c.trim() !== '') + 1;
  const columns = cells.slice(0, width).map((raw, i): Column | undefined => {
    const header = raw.trim();
    const column = known.get(header.toLowerCase());
    if (!header) problem(undefined, `column ${i + 1} has no name: name it (${allHeaders}) or delete it`);
    else if (!column) {
      const locale = /^(?:name|description):(.+)$/i.exec(header)?.[1];
      problem(
        header,
        locale
          ? `"${locale}" is not one of the menu's languages (${menu.locales.join(', ')}): add the language to the menu first, or delete the column`
          : `unknown column: the columns are ${allHeaders}`,
      );
    } else if (cells.slice(0, i).some((other) => other.trim().toLowerCase() === header.toLowerCase())) problem(header, 'this column is in the file twice: delete one');
    else return column;
    return undefined;
  });
  if (!columns.some(Boolean)) {
    const message = `The first row must name the columns: ${allHeaders}. Export the menu to get a file to start from.`;
    return { columns, width, problems: [{ row: 1, message }], readable: false };
  }
  const present = new Set(columns.map((c) => c?.header));
  const required = requiredColumns(menu);
  const missing = required.filter((header) => !present.has(header));
  for (const header of missing) problem(header, `missing column: the file needs the columns ${required.join(', ')}`);
  // Without them a row cannot be matched to an item or checked: the header comes first.
  return { columns, width, problems, readable: missing.length === 0 };
}

/** An id for a new item from its name ("Crème brûlée" → creme-brulee), unlike any id taken. */
function idFromName(name: string, taken: Set<string>): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 56)
      .replace(/^-+|-+$/g, '') || 'item';
  let id = slug;
  for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;
  taken.add(id);
  return id;
}

/** The column a problem of the schema's at `path` (inside an item) is in. */
function columnOfPath(path: readonly PropertyKey[], defaultLocale: string): string | undefined {
  const [field, key] = path;
  if (field === 'name' || field === 'description') return `${field}:${typeof key === 'string' ? key : defaultLocale}`;
  if (field === 'energy') return key === 'kj' ? 'kJ' : 'kcal';
  const columns: Record<string, string> = { id: 'id', categoryId: 'category', priceCents: 'price', allergens: 'allergens', dietTags: 'diet tags', image: 'image' };
  return columns[String(field)];
}

/** Equal as JSON whatever the order of their keys. */
function sameItem(a: unknown, b: unknown): boolean {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, sorted(v)]))
        : value;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/** What a row is checked against. */
interface Known {
  locales: readonly string[];
  categories: ReadonlySet<string>;
  pictures: ReturnType<typeof pictureNames>;
  /** Pictures the menu already shows, uploaded or bundled with the terminal: fine as they are. */
  shownImages: ReadonlySet<string>;
}

/**
 * Writes a row's cells (`at`, by header; absent when the file has no such column) into `item`.
 * A cell that cannot be read is a problem, and leaves what the item had.
 */
function readItem(at: ReadonlyMap<string, string>, item: ItemInput, known: Known, problem: (column: string, message: string) => void): void {
  const category = at.get('category') ?? '';
  if (known.categories.has(category)) item.categoryId = category;
  else {
    const ids = [...known.categories];
    const hint = `the categories are ${ids.slice(0, 12).join(', ')}${ids.length > 12 ? ` and ${ids.length - 12} more` : ''}`;
    problem('category', category ? `no category "${category}": ${hint}` : `empty: write the category's id; ${hint}`);
  }

  for (const kind of ['name', 'description'] as const) {
    const text = { ...item[kind] };
    for (const locale of known.locales) {
      const value = at.get(`${kind}:${locale}`);
      if (value) text[locale] = value;
      else if (value === '') delete text[locale];
    }
    item[kind] = text;
  }

  const price = parsePrice(at.get('price') ?? '');
  if ('cents' in price) item.priceCents = price.cents;
  else problem('price', price.problem);

  const kcal = at.get('kcal');
  const kj = at.get('kJ');
  if (kcal !== undefined || kj !== undefined) {
    if (!kcal && !kj) delete item.energy;
    else if (!kcal || !kj) problem(kcal ? 'kJ' : 'kcal', 'write both kcal and kJ, or neither');
    else {
      const [inKcal, inKj] = [parseWhole(kcal, 'kcal'), parseWhole(kj, 'kJ')];
      if ('problem' in inKcal) problem('kcal', inKcal.problem);
      if ('problem' in inKj) problem('kJ', inKj.problem);
      if ('value' in inKcal && 'value' in inKj) item.energy = { kcal: inKcal.value, kj: inKj.value };
    }
  }

  const allergens = at.get('allergens');
  if (allergens !== undefined) {
    const read = parseAllergens(allergens);
    if ('values' in read) item.allergens = read.values;
    else problem('allergens', read.problem);
  }
  const dietTags = at.get('diet tags');
  if (dietTags !== undefined) {
    const read = parseDietTags(dietTags);
    if ('values' in read) item.dietTags = read.values;
    else problem('diet tags', read.problem);
  }

  const image = at.get('image');
  if (image === '') delete item.image;
  else if (image !== undefined) {
    const picture = known.pictures.idOf.get(image) ?? (known.pictures.ids.has(image) || known.shownImages.has(image) ? image : undefined);
    if (picture) item.image = picture;
    else if (known.pictures.shared.has(image)) problem('image', `more than one picture is named "${image}": write the id of the one you mean`);
    else problem('image', `no uploaded picture is named "${image}": upload it first, or leave the cell empty`);
  }
}

/** Reads a file of items into `menu`: every problem of every row, and the new menu when there is none. */
export function importItemsCsv(menu: MenuDocument, csv: string | Uint8Array, options: ItemsCsvImportOptions = {}): ItemsCsvImport {
  const counts = { added: 0, changed: 0, unchanged: 0 };
  const decoded = decode(csv);
  if ('problem' in decoded) return { problems: [{ message: decoded.problem }], counts };
  // Papa Parse guesses the delimiter; `|` is left out of its guesses because it separates allergens.
  const parsed = Papa.parse<string[]>(decoded.text, { delimiter: '', delimitersToGuess: [',', ';', '\t'], skipEmptyLines: false });
  const problems: ItemsCsvProblem[] = parsed.errors
    .filter((e) => e.code === 'MissingQuotes' || e.code === 'InvalidQuotes')
    .map((e) => ({ ...(e.row === undefined ? {} : { row: e.row + 1 }), message: 'a double quote (") is out of place: put the whole cell in double quotes, and double each quote inside it ("")' }));

  const [headerCells = [], ...body] = parsed.data;
  const header = readHeader(headerCells, menu);
  problems.push(...header.problems);
  if (!header.readable) return { problems, counts };

  const rows = body.map((cells, i) => ({ number: i + 2, cells })).filter((row) => row.cells.some((c) => c.trim() !== ''));
  if (rows.length > MAX_ITEMS) return { problems: [...problems, { message: `The file has ${rows.length} items; a menu holds at most ${MAX_ITEMS}.` }], counts };
  if (rows.length === 0) return { problems: [...problems, { message: 'The file has no items below its header row.' }], counts };

  const present = new Set(header.columns.flatMap((c) => (c ? [c.header] : [])));
  const valuesOf = (cells: readonly string[]) => {
    const values = new Map<string, string>();
    header.columns.forEach((column, i) => column && values.set(column.header, unquoteFormula((cells[i] ?? '').trim())));
    return values;
  };
  const defaultName = `name:${menu.defaultLocale}`;
  const existing = new Map(menu.items.map((item, index) => [item.id, index]));
  const known: Known = {
    locales: menu.locales,
    categories: new Set(menu.categories.map((c) => c.id)),
    pictures: pictureNames(options.pictures ?? []),
    shownImages: new Set([...menu.items, ...menu.categories].flatMap((e) => (e.image === undefined ? [] : [e.image]))),
  };
  // Ids the file names, so that an id made from a name never takes one of them.
  const taken = new Set([...existing.keys(), ...rows.map((row) => valuesOf(row.cells).get('id') ?? '').filter(Boolean)]);

  const items: ItemInput[] = [...menu.items];
  const rowOfItem = new Map<number, { row: number; item?: string }>();
  const firstRowOf = new Map<string, number>();
  for (const row of rows) {
    const at = valuesOf(row.cells);
    const givenId = at.get('id') ?? '';
    const index = existing.get(givenId);
    const base = index === undefined ? undefined : menu.items[index];
    const id = givenId || idFromName(at.get(defaultName) ?? '', taken);
    const label = at.get(defaultName) || (base ? textIn(base.name, menu.defaultLocale, menu.defaultLocale) : '') || givenId || undefined;
    const where = (number: number, column?: string) => ({ row: number, ...(column ? { column } : {}), ...(label ? { item: label } : {}) });
    const problem = (column: string | undefined, message: string) => problems.push({ ...where(row.number, column), message });

    const extra = row.cells.slice(header.width).some((c) => c.trim() !== '');
    if (row.cells.length < header.width || extra) {
      // Its cells have moved: what they hold says nothing until the row is whole.
      problem(undefined, `has ${row.cells.length} cells where the header has ${header.width}: a text with a comma, semicolon or line break must be in double quotes`);
      continue;
    }

    const item: ItemInput = base ? { ...base } : { id, categoryId: '', name: {}, priceCents: 0 };
    readItem(at, item, known, problem);

    const first = firstRowOf.get(id);
    if (first !== undefined) {
      problem('id', `"${id}" is on row ${first} too: an item may be in the file once`);
      continue;
    }
    firstRowOf.set(id, row.number);
    const place = index ?? items.length;
    items[place] = item;
    rowOfItem.set(place, where(row.number));
  }

  // What the rows cannot tell alone (texts too long, kJ against kcal, a price a modifier makes
  // negative, a bad id) the document's own schema does, at the row the item came from.
  const candidate = { ...menu, items };
  const checked = MenuDocumentSchema.safeParse(candidate);
  if (items.length > MAX_ITEMS) problems.push({ message: `The menu would have ${items.length} items; it holds at most ${MAX_ITEMS}: import fewer new rows.` });
  if (!checked.success) {
    const label = menuPathLabel(candidate);
    const said = new Set(problems.map((p) => `${p.row}:${p.column}`));
    // The number of items is said above, in the menu's words rather than the schema's.
    for (const issue of menuDocumentIssues(candidate).filter((i) => !(i.path.length === 1 && i.path[0] === 'items'))) {
      const [top, index, ...rest] = issue.path;
      const from = top === 'items' && typeof index === 'number' ? rowOfItem.get(index) : undefined;
      const column = from && columnOfPath(rest, menu.defaultLocale);
      if (from && column && present.has(column)) {
        if (!said.has(`${from.row}:${column}`)) problems.push({ ...from, column, message: issue.message });
      } else problems.push({ ...from, message: issue.path.length > 0 ? `${label(issue.path)}: ${issue.message}` : issue.message });
    }
  }

  const after = checked.success ? checked.data.items : items;
  for (const place of rowOfItem.keys()) {
    const before = menu.items[place];
    if (!before) counts.added++;
    else if (sameItem(before, after[place])) counts.unchanged++;
    else counts.changed++;
  }
  // As a reader goes through the sheet: by row, then left to right.
  const position = new Map(header.columns.map((c, i) => [c?.header, i]));
  const across = (p: ItemsCsvProblem) => (p.column === undefined ? -1 : (position.get(p.column) ?? -1));
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || across(a) - across(b));
  return { ...(checked.success && problems.length === 0 ? { menu: checked.data } : {}), problems, counts };
}
