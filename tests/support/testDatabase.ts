import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateServerDatabase } from '../../sync-server/db/migrateServerDatabase';
import { serverMigrationsDir } from '../../sync-server/runtime';

/** A fresh database on the test cluster (migrated unless told otherwise), dropped again by `drop`. */
export async function createTestDatabase({ migrate = true } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresUrl');
  const name = `tillsync_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (migrate) await migrateServerDatabase(url.toString(), serverMigrationsDir);
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
