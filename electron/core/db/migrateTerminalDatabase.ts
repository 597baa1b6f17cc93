import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from '../../../prisma/migrate';
import { sqliteMigrationTarget } from './sqliteMigrationTarget';

/**
 * Brings a terminal's SQLite file up to date. WAL mode is a property of the file, so it is set here
 * once: readers (the screens) then never wait for the writer (an order being saved).
 */
export async function migrateTerminalDatabase(file: string, migrationsDir: string): Promise<string[]> {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    return await migrate(sqliteMigrationTarget(db), migrationsDir);
  } finally {
    db.close();
  }
}
