// What every benchmark stands on: a real PostgreSQL (embedded, in a temporary folder, fsync on),
// the sync server in a process of its own (as in production, so load generators do not share its
// event loop), and the same terminal cores the product runs.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminalCore, type TerminalCore, type TerminalCoreConfig } from '../../electron/core/terminalCore';
import { connectServerDatabase, type ServerDatabase } from '../../sync-server/db/client';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '../../sync-server/db/embeddedPostgres';
import { migrateServerDatabase } from '../../sync-server/db/migrateServerDatabase';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import type { DeviceRole } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { serverMigrationsDir } from '../../sync-server/runtime';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { runTs, type Child } from '../support/childProcess';
import { eventually } from '../support/testStack';

export interface BenchCluster {
  postgres: RunningPostgres;
  dir: string;
  /** A fresh migrated database on the cluster. */
  database(): Promise<string>;
  close(): Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), database: 'postgres' });
  let n = 0;
  return {
    postgres,
    dir,
    async database() {
      const name = `bench_${++n}`;
      await postgres.createDatabase(name);
      const url = postgres.urlFor(name);
      await migrateServerDatabase(url, serverMigrationsDir);
      return url;
    },
    async close() {
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface BenchWorld {
  url: string;
  databaseUrl: string;
  database: ServerDatabase;
  server: Child;
  menuVersionId: string;
  menu: MenuIndex;
  stores: string[];
  /** A device registered in a store: its id and token. */
  device(storeId: string, role: DeviceRole, name?: string): Promise<{ id: string; token: string; orderPrefix: string | null }>;
  /** A real terminal core for a device; by default straight to the server and without the store's LAN. */
  core(storeId: string, role: DeviceRole, options?: Pick<TerminalCoreConfig, 'serverUrl' | 'lan'>): Promise<TerminalCore>;
  /** Resident memory of the server process, in MiB. */
  serverRssMiB(): Promise<number>;
  close(): Promise<void>;
}

/** A database with `storeCount` stores selling the demo menu, and the server running on it. */
export async function startWorld(cluster: BenchCluster, storeCount: number, env: Record<string, string> = {}): Promise<BenchWorld> {
  const databaseUrl = await cluster.database();
  const database = connectServerDatabase(databaseUrl);
  const { db } = database;
  const document = await loadDemoMenuDocument();
  const version = await createMenuVersion(db, document);
  const stores: string[] = [];
  for (let i = 0; i < storeCount; i++) stores.push((await createStore(db, { ...DEMO_STORE, name: `Bench store ${i + 1}` })).id);
  await db.$transaction((tx) => publishMenuVersion(tx, version.id, stores));
  const port = await freePort();
  // The same Node flags as `npm run server`, plus any a profiling run adds.
  const nodeArgs = ['--max-semi-space-size=16', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? [])];
  const server = runTs('sync-server/main.ts', { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', ...env }, nodeArgs);
  await server.waitFor(/"message":"ready"/, 60_000);
  const url = `http://127.0.0.1:${port}`;
  const cores: TerminalCore[] = [];
  let devices = 0;
  // One registration at a time: a kiosk locks its store's row for its prefix, and hundreds at
  // once would queue past Prisma's wait for a connection. Setting up is not what is measured.
  let registering: Promise<unknown> = Promise.resolve();
  const device = (storeId: string, role: DeviceRole, name = `${role} ${++devices}`) => {
    const registered = registering.then(async () => {
      const { device, token } = await registerDevice(db, { storeId, role, name });
      return { id: device.id, token, orderPrefix: device.orderPrefix };
    });
    registering = registered.catch(() => undefined);
    return registered;
  };
  return {
    url,
    databaseUrl,
    database,
    server,
    menuVersionId: version.id,
    menu: indexMenu(version.id, document),
    stores,
    device,
    async core(storeId, role, options = {}) {
      const { id, token } = await device(storeId, role);
      // Named by the device: every world of the run shares the cluster's folder.
      const core = await createTerminalCore({ databaseFile: join(cluster.dir, `core-${id}.db`), serverUrl: url, deviceToken: token, ...options });
      cores.push(core);
      await eventually(async () => (await core.api.getStatus()).connection === 'online', 30_000);
      return core;
    },
    async serverRssMiB() {
      const status = await readFile(`/proc/${server.process.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async close() {
      await Promise.allSettled(cores.map((c) => c.close()));
      await server.kill();
      await database.close();
    },
  };
}
