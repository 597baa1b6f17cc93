// What every benchmark stands on: a real PostgreSQL (embedded, in a temporary folder, with fsync on)
// and the same server and terminal cores the product runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../sync-server/db/embeddedPostgres';
import { migrateServerDatabase } from '../../sync-server/db/migrateServerDatabase';
import { serverMigrationsDir } from '../../sync-server/runtime';
import { startTestStack, type TestStack } from '../support/testStack';

export interface BenchCluster {
  postgres: RunningPostgres;
  /** A fresh migrated database on the cluster. */
  database(): Promise<{ url: string; drop(): Promise<void> }>;
  stack(): Promise<TestStack>;
  close(): Promise<void>;
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-bench-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), database: 'postgres' });
  let n = 0;
  const database = async () => {
    const name = `bench_${++n}`;
    await postgres.createDatabase(name);
    const url = postgres.urlFor(name);
    await migrateServerDatabase(url, serverMigrationsDir);
    return { url, drop: async () => {} };
  };
  return {
    postgres,
    database,
    stack: async () => startTestStack(await database()),
    async close() {
      await postgres.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
