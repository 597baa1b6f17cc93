import pg from 'pg';
import { migrate } from '../../prisma/migrate';
import { postgresMigrationTarget } from './postgresMigrationTarget';

/** Brings the server's PostgreSQL database up to date; safe to run from several nodes at once. */
export async function migrateServerDatabase(databaseUrl: string, migrationsDir: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await migrate(postgresMigrationTarget(client), migrationsDir);
  } finally {
    await client.end();
  }
}
