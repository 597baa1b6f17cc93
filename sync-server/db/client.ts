import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/server/client';
import { createSqlPool, type SqlPool } from './sql';

export type ServerDb = PrismaClient;
/** The client inside an interactive transaction. */
export type ServerTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createServerDb(databaseUrl: string, { poolSize = 10 } = {}): ServerDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

/** Connections of their own for health checks and head office, which terminals cannot use up. */
export interface AdminDatabase {
  db: ServerDb;
  /** The same connections, for what takes a pg pool (the shared rate limits). */
  pool: pg.Pool;
}

/** Every way into the server's database. */
export interface ServerDatabase {
  /** Prisma, for what terminals ask of the server. */
  db: ServerDb;
  /** The same database through node-postgres, for the hot path (see sql.ts). */
  sql: SqlPool;
  admin: AdminDatabase;
  close(): Promise<void>;
}

/** Head office and /health get a few connections that terminals never touch. */
const ADMIN_POOL_SIZE = 4;

export function connectServerDatabase(databaseUrl: string): ServerDatabase {
  const db = createServerDb(databaseUrl);
  const sql = createSqlPool(databaseUrl);
  const adminPool = new pg.Pool({ connectionString: databaseUrl, max: ADMIN_POOL_SIZE });
  // A broken idle connection (the database restarted) is dropped; the next query opens a new one.
  adminPool.on('error', () => {});
  const adminDb = new PrismaClient({ adapter: new PrismaPg(adminPool) });
  return {
    db,
    sql,
    admin: { db: adminDb, pool: adminPool },
    async close() {
      await sql.close();
      await db.$disconnect();
      await adminDb.$disconnect();
      await adminPool.end().catch(() => {});
    },
  };
}
