import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../prisma/generated/server/client';

export type ServerDb = PrismaClient;
/** The client inside an interactive transaction. */
export type ServerTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createServerDb(databaseUrl: string, { poolSize = 10 } = {}): ServerDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}
