import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../prisma/generated/server/client';
import { createSqlPool, type SqlPool } from './sql';

export type ServerDb = PrismaClient;
/** The client inside an interactive transaction. */
export type ServerTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createServerDb(databaseUrl: string, { poolSize = 10 } = {}): ServerDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

/** Both ways into the server's database: Prisma for most things, raw SQL for the hot path. */
export interface ServerDatabase {
  db: ServerDb;
  sql: SqlPool;
  close(): Promise<void>;
}

export function connectServerDatabase(databaseUrl: string): ServerDatabase {
  const db = createServerDb(databaseUrl);
  const sql = createSqlPool(databaseUrl);
  return {
    db,
    sql,
    async close() {
      await sql.close();
      await db.$disconnect();
    },
  };
}
