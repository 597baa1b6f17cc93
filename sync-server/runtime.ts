// Starts a complete sync server: database (external or embedded), migrations, server, listener.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './config';
import { createServerDb, type ServerDb } from './db/client';
import { startEmbeddedPostgres } from './db/embeddedPostgres';
import { migrateServerDatabase } from './db/migrateServerDatabase';
import type { Logger } from './log';
import { seedDemo } from './seed/seedDemo';
import { createServer, type SyncServer } from './server';

export const serverMigrationsDir = fileURLToPath(new URL('../prisma/migrations/server', import.meta.url));

export interface RunningSyncServer {
  server: SyncServer;
  db: ServerDb;
  url: string;
  databaseUrl: string;
  demoStoreId: string | null;
  stop(): Promise<void>;
}

export async function startSyncServer(config: ServerConfig, log: Logger): Promise<RunningSyncServer> {
  let databaseUrl = config.DATABASE_URL;
  let stopPostgres = async () => {};
  if (!databaseUrl) {
    const dataDir = join(config.TILLSYNC_DATA_DIR, 'postgres');
    log.info('starting embedded PostgreSQL', { dataDir });
    const postgres = await startEmbeddedPostgres({ dataDir, database: 'tillsync' });
    databaseUrl = postgres.url;
    stopPostgres = postgres.stop;
  }
  try {
    const applied = await migrateServerDatabase(databaseUrl, serverMigrationsDir);
    if (applied.length > 0) log.info('database migrated', { applied });
    const db = createServerDb(databaseUrl);
    const demoStoreId = config.TILLSYNC_SEED_DEMO === '1' ? await seedDemo(db) : null;
    const server = createServer({ db, log });
    const { url } = await server.listen(config.PORT, config.HOST);
    return {
      server,
      db,
      url,
      databaseUrl,
      demoStoreId,
      async stop() {
        await server.close();
        await db.$disconnect();
        await stopPostgres();
      },
    };
  } catch (error) {
    await stopPostgres();
    throw error;
  }
}
