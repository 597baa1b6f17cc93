// Starts a complete sync server: database (external or embedded), migrations, server, listener.
import { createAdapter } from '@socket.io/postgres-adapter';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensureFirstOwner } from './admin/adminAccounts';
import type { ServerConfig } from './config';
import { connectServerDatabase, type ServerDb } from './db/client';
import { prepareAuthorityKeys } from './devices/deviceCertificates';
import type { Limits } from './limits/budgets';
import { trustedProxies } from './limits/clientAddress';
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

/** The Socket.IO PostgreSQL adapter on its own small pool: LISTEN needs a connection to itself. */
export function postgresFanout(databaseUrl: string, log: Logger) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', (error) => log.warn('fan-out connection failed; reconnecting', { error: error.message }));
  return { adapter: createAdapter(pool), close: () => pool.end() };
}

/** `limits` replaces the budgets of DEFAULT_LIMITS (a test signing in faster than any office would). */
export async function startSyncServer(config: ServerConfig, log: Logger, { limits }: { limits?: Limits } = {}): Promise<RunningSyncServer> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const dataDir = join(config.TILLSYNC_DATA_DIR, 'postgres');
      log.info('starting embedded PostgreSQL', { dataDir });
      const postgres = await startEmbeddedPostgres({ dataDir, database: 'tillsync' });
      databaseUrl = postgres.url;
      stops.push(postgres.stop);
    }
    const applied = await migrateServerDatabase(databaseUrl, serverMigrationsDir);
    if (applied.length > 0) log.info('database migrated', { applied });
    const database = connectServerDatabase(databaseUrl);
    const { db } = database;
    stops.push(database.close);
    await prepareAuthorityKeys(database.sql, config.TILLSYNC_AUTHORITY_SECRET);
    if (!config.TILLSYNC_AUTHORITY_SECRET) log.warn('store authority keys are kept unsealed in the database: set TILLSYNC_AUTHORITY_SECRET to seal them');
    if (config.TILLSYNC_ADMIN_EMAIL && config.TILLSYNC_ADMIN_PASSWORD && (await ensureFirstOwner(db, config.TILLSYNC_ADMIN_EMAIL, config.TILLSYNC_ADMIN_PASSWORD))) {
      log.info('created the first owner', { email: config.TILLSYNC_ADMIN_EMAIL });
    }
    const demoStoreId = config.TILLSYNC_SEED_DEMO === '1' ? await seedDemo(db) : null;
    let adapter;
    if (config.TILLSYNC_FANOUT === 'postgres') {
      const fanout = postgresFanout(databaseUrl, log);
      adapter = fanout.adapter;
      stops.push(fanout.close);
    }
    const server = await createServer({
      ...database,
      log,
      trustProxy: trustedProxies(config.TILLSYNC_TRUSTED_PROXIES),
      ...(adapter ? { adapter } : {}),
      ...(limits ? { limits } : {}),
      ...(config.TILLSYNC_METRICS_TOKEN ? { metricsToken: config.TILLSYNC_METRICS_TOKEN } : {}),
      ...(config.TILLSYNC_RECEIPT_SECRET ? { receiptSecret: config.TILLSYNC_RECEIPT_SECRET } : {}),
      ...(config.TILLSYNC_AUTHORITY_SECRET ? { authoritySecret: config.TILLSYNC_AUTHORITY_SECRET } : {}),
    });
    const { url } = await server.listen(config.PORT, config.HOST);
    stops.push(() => server.close());
    return { server, db, url, databaseUrl, demoStoreId, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
