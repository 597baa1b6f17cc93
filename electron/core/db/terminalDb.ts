import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../../prisma/generated/terminal/client';
import { LocalSql } from './localSql';
import { migrateTerminalDatabase } from './migrateTerminalDatabase';

/** Prisma, for the screens' reads: menus, tickets, the board, the status. */
export type TerminalReader = PrismaClient;

export interface TerminalDb {
  read: TerminalReader;
  /** The one connection that writes (see localSql.ts). */
  write: LocalSql;
  close(): Promise<void>;
}

/** Opens (creating and migrating if needed) a terminal's SQLite file. */
export async function openTerminalDb(file: string, migrationsDir: string): Promise<TerminalDb> {
  await migrateTerminalDatabase(file, migrationsDir);
  const read = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 10_000 }) });
  const write = new LocalSql(file);
  return {
    read,
    write,
    async close() {
      write.close();
      await read.$disconnect();
    },
  };
}
