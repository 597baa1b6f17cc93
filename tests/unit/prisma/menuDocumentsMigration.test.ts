// A terminal updated to menu format 2 keeps the menus it already had: the migration writes each
// version kept in tables as the format 1 document it was, and the terminal reads it as format 2.
import Database from 'better-sqlite3';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateTerminalDatabase } from '../../../electron/core/db/migrateTerminalDatabase';
import { openTerminalDb, type TerminalDb } from '../../../electron/core/db/terminalDb';
import { MenuCache } from '../../../electron/core/menu/menuStore';
import { terminalMigrationsDir } from '../../../electron/core/terminalCore';
import { downgradeMenu, upgradeMenuV1, type MenuDocumentV1 } from '#protocol/menuV1';
import { loadDemoMenu } from '../../support/demoMenu';

const MIGRATION = '20261201213430_menu_documents';
const VERSION_ID = '0195f3c8-0000-7000-8000-0000000000aa';
let dir: string;
let opened: TerminalDb | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-menu-migration-'));
});
afterEach(async () => {
  await opened?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Writes a version the way terminals before format 2 kept it: in tables, row by row. */
function keepInTables(file: string, menu: MenuDocumentV1) {
  const db = new Database(file);
  db.prepare('INSERT INTO MenuVersion (id, name, currency, receivedAt) VALUES (?, ?, ?, ?)').run(VERSION_ID, menu.name, menu.currency, '2026-11-30T10:00:00.000Z');
  menu.categories.forEach((c, position) => db.prepare('INSERT INTO MenuCategory (menuVersionId, id, name, position) VALUES (?, ?, ?, ?)').run(VERSION_ID, c.id, c.name, position));
  menu.items.forEach((i, position) =>
    db
      .prepare('INSERT INTO MenuItem (menuVersionId, id, categoryId, name, description, priceCents, image, position, modifierGroupIds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(VERSION_ID, i.id, i.categoryId, i.name, i.description, i.priceCents, i.image ?? null, position, JSON.stringify(i.modifierGroupIds)),
  );
  menu.modifierGroups.forEach((g, position) => {
    db.prepare('INSERT INTO ModifierGroup (menuVersionId, id, name, minChoices, maxChoices, position) VALUES (?, ?, ?, ?, ?, ?)').run(VERSION_ID, g.id, g.name, g.minChoices, g.maxChoices, position);
    g.options.forEach((o, k) =>
      db
        .prepare('INSERT INTO ModifierOption (menuVersionId, id, groupId, name, priceDeltaCents, isDefault, position) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(VERSION_ID, o.id, g.id, o.name, o.priceDeltaCents, o.default ? 1 : 0, k),
    );
  });
  db.close();
}

it('turns the menus kept in tables into documents, in their order, which the terminal reads as format 2', async () => {
  // The terminal as it was before the migration.
  const before = join(dir, 'before');
  await cp(terminalMigrationsDir, before, { recursive: true });
  for (const name of await readdir(before)) if (name >= MIGRATION) await rm(join(before, name), { recursive: true });
  const file = join(dir, 'terminal.db');
  await migrateTerminalDatabase(file, before);
  // The demo menu as a format 1 terminal had it, one item without a picture.
  const v1 = downgradeMenu(loadDemoMenu(), '0195f3c8-0000-7000-8000-000000000001');
  const { image: _image, ...withoutPicture } = v1.items[0]!;
  const kept: MenuDocumentV1 = { ...v1, items: [withoutPicture, ...v1.items.slice(1)] };
  keepInTables(file, kept);

  opened = await openTerminalDb(file, terminalMigrationsDir);
  const menus = new MenuCache(opened.read);
  const index = await menus.index(VERSION_ID, 'a-store');
  expect(index).not.toBeNull();
  const view = await menus.view(VERSION_ID, { id: 'a-store', timeZone: 'Europe/Amsterdam', tax: { taxRateBp: 900, pricesIncludeTax: true } });
  const { format: _format, items, ...expected } = upgradeMenuV1(kept);
  expect(view).toEqual({
    ...expected,
    versionId: VERSION_ID,
    timeZone: 'Europe/Amsterdam',
    tax: { taxRateBp: 900, pricesIncludeTax: true },
    items: items.map(({ storePrices: _prices, ...item }) => ({ ...item, available: true })),
  });
  // The old tables are gone.
  const tables = new Database(file, { readonly: true }).prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'Menu%' OR name LIKE 'Modifier%')").all();
  expect(tables).toEqual([{ name: 'MenuVersion' }]);
});
