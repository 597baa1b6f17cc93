// A database built by our own migration runner from the committed migrations has exactly the
// structure Prisma's schema engine renders for the schema file. The migrations cannot drift from
// prisma/terminal.prisma or prisma/server.prisma without this failing.
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateTerminalDatabase } from '../../electron/core/db/migrateTerminalDatabase';
import { migrationSql, migrationsDir } from '../../prisma/schemaEngine';
import { describePostgres, describeSqlite } from '../support/describeSchema';
import { createTestDatabase } from '../support/testDatabase';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe('migrations match the Prisma schemas', () => {
  it('terminal: a freshly migrated SQLite file matches prisma/terminal.prisma', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tillsync-schema-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await migrateTerminalDatabase(join(dir, 'migrated.db'), migrationsDir('terminal'));
    const migrated = new Database(join(dir, 'migrated.db'));
    const reference = new Database(join(dir, 'reference.db'));
    reference.exec(await migrationSql('terminal', null));

    expect(describeSqlite(migrated)).toEqual(describeSqlite(reference));
    // The comparison can fail: take an index away and it notices.
    migrated.exec('DROP INDEX "Order_syncState_idx"');
    expect(describeSqlite(migrated)).not.toEqual(describeSqlite(reference));
    migrated.close();
    reference.close();
  });

  it('server: a freshly migrated PostgreSQL database matches prisma/server.prisma', async () => {
    const migratedDb = await createTestDatabase();
    const referenceDb = await createTestDatabase({ migrate: false });
    cleanups.push(migratedDb.drop, referenceDb.drop);
    const migrated = new pg.Client({ connectionString: migratedDb.url });
    const reference = new pg.Client({ connectionString: referenceDb.url });
    await Promise.all([migrated.connect(), reference.connect()]);
    cleanups.unshift(async () => void (await Promise.all([migrated.end(), reference.end()])));
    await reference.query(await migrationSql('server', null, referenceDb.url));

    expect(await describePostgres(migrated)).toEqual(await describePostgres(reference));
    await migrated.query('ALTER TABLE "Device" ALTER COLUMN "cursor" DROP DEFAULT');
    expect(await describePostgres(migrated)).not.toEqual(await describePostgres(reference));
  });
});
