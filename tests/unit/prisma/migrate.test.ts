import Database from 'better-sqlite3';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteMigrationTarget } from '../../../electron/core/db/sqliteMigrationTarget';
import { MigrationError, migrate } from '../../../prisma/migrate';

let dir: string;
let db: Database.Database;
const migrations = () => join(dir, 'migrations');

async function addMigration(name: string, sql: string) {
  await mkdir(join(migrations(), name), { recursive: true });
  await writeFile(join(migrations(), name, 'migration.sql'), sql);
}

const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);

async function codeOf(run: Promise<unknown>) {
  try {
    await run;
    return null;
  } catch (error) {
    return error instanceof MigrationError ? error.code : String(error);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-migrate-'));
  await mkdir(migrations());
  db = new Database(join(dir, 'terminal.db'));
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('migration runner', () => {
  it('applies pending migrations in name order, once', async () => {
    await addMigration('20260101000000_second_is_first', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
    await addMigration('20260201000000_then_this', 'ALTER TABLE a ADD COLUMN name TEXT;');
    const target = sqliteMigrationTarget(db);
    expect(await migrate(target, migrations())).toEqual(['20260101000000_second_is_first', '20260201000000_then_this']);
    expect(await migrate(target, migrations())).toEqual([]);
    expect(tables()).toEqual(['_tillsync_migrations', 'a']);
    await addMigration('20260301000000_later', 'CREATE TABLE b (id INTEGER PRIMARY KEY);');
    expect(await migrate(target, migrations())).toEqual(['20260301000000_later']);
  });

  it('rolls back a failing migration completely and keeps the ones before it', async () => {
    await addMigration('1_ok', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
    await addMigration('2_broken', 'CREATE TABLE b (id INTEGER PRIMARY KEY); INSERT INTO nowhere VALUES (1);');
    expect(await codeOf(migrate(sqliteMigrationTarget(db), migrations()))).toBe('MIGRATION_FAILED');
    expect(tables()).toEqual(['_tillsync_migrations', 'a']);
    expect(db.prepare('SELECT name FROM _tillsync_migrations').all()).toEqual([{ name: '1_ok' }]);
  });

  it('refuses a database whose applied migration was edited since', async () => {
    await addMigration('1_ok', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
    await migrate(sqliteMigrationTarget(db), migrations());
    await addMigration('1_ok', 'CREATE TABLE a (id INTEGER PRIMARY KEY, sneaky TEXT);');
    expect(await codeOf(migrate(sqliteMigrationTarget(db), migrations()))).toBe('MIGRATION_CHANGED');
  });

  it('refuses a database migrated by a newer version of the app', async () => {
    await addMigration('1_ok', 'CREATE TABLE a (id INTEGER PRIMARY KEY);');
    await addMigration('2_newer', 'CREATE TABLE b (id INTEGER PRIMARY KEY);');
    await migrate(sqliteMigrationTarget(db), migrations());
    await rm(join(migrations(), '2_newer'), { recursive: true });
    expect(await codeOf(migrate(sqliteMigrationTarget(db), migrations()))).toBe('MIGRATION_UNKNOWN');
  });
});
