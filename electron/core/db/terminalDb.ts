import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../../prisma/generated/terminal/client';
import { migrateTerminalDatabase } from './migrateTerminalDatabase';

export type TerminalDb = PrismaClient;
/** The client inside an interactive transaction. */
export type TerminalTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Opens (creating and migrating if needed) a terminal's SQLite file. */
export async function openTerminalDb(file: string, migrationsDir: string): Promise<TerminalDb> {
  await migrateTerminalDatabase(file, migrationsDir);
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }) });
  // A commit is on disk before the customer sees their order number: a power cut loses nothing.
  await db.$queryRawUnsafe('PRAGMA synchronous = FULL');
  await db.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  return db;
}
