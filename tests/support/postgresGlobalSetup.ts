// One real PostgreSQL for the integration run: TEST_DATABASE_URL if set (a server where the user
// may create databases), otherwise an embedded cluster in a temporary folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../sync-server/db/embeddedPostgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test cluster; tests create their own databases next to it. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-test-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), database: 'postgres' });
  project.provide('postgresUrl', postgres.url);
  return async () => {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
