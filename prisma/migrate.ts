// The app's own migration runner. Terminals and the sync server apply the committed SQL of their
// schema at start: a packaged desktop app has no Prisma CLI, and a server should not need one.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  checksum: string;
}

/** One database's way of running the migration steps; see sqliteTarget and postgresTarget. */
export interface MigrationTarget {
  /** Runs `work` holding a lock that keeps other processes from migrating at the same time. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  ensureLedger(): Promise<void>;
  applied(): Promise<AppliedMigration[]>;
  /** Runs a migration's SQL and records it, in one transaction. */
  apply(migration: Migration): Promise<void>;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'MIGRATION_CHANGED' | 'MIGRATION_UNKNOWN' | 'MIGRATION_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export const LEDGER_TABLE = '_tillsync_migrations';

export async function loadMigrations(directory: string): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies every migration of `directory` the database has not seen, oldest first, each in its own
 * transaction. Refuses to touch a database whose history disagrees with the files: an edited
 * migration, or one this build does not know (a newer app wrote the database).
 */
export async function migrate(target: MigrationTarget, directory: string): Promise<string[]> {
  const migrations = await loadMigrations(directory);
  return target.exclusive(async () => {
    await target.ensureLedger();
    const applied = new Map((await target.applied()).map((m) => [m.name, m.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const [name] of applied) {
      if (!known.has(name)) {
        throw new MigrationError(
          'MIGRATION_UNKNOWN',
          `The database has migration ${name}, which this version of Tillsync does not know. Install the newer version that created it.`,
        );
      }
    }
    const ran: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new MigrationError(
            'MIGRATION_CHANGED',
            `Migration ${migration.name} was edited after it was applied. Restore the original file; add a new migration instead.`,
          );
        }
        continue;
      }
      try {
        await target.apply(migration);
      } catch (cause) {
        throw new MigrationError(
          'MIGRATION_FAILED',
          `Migration ${migration.name} failed and was rolled back: ${(cause as Error).message}`,
        );
      }
      ran.push(migration.name);
    }
    return ran;
  });
}
