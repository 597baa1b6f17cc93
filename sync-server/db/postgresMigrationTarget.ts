import type pg from 'pg';
import { LEDGER_TABLE, type AppliedMigration, type Migration, type MigrationTarget } from '../../prisma/migrate';

// Any constant works; it only has to be the same for every server node migrating this database.
const MIGRATION_LOCK_KEY = 7_310_201;

/** Runs migrations on the server's PostgreSQL through one dedicated connection. */
export function postgresMigrationTarget(client: pg.Client): MigrationTarget {
  return {
    // Several server nodes may start together; the advisory lock lets one migrate while the others wait.
    async exclusive(work) {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    },
    async ensureLedger() {
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${LEDGER_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
    },
    async applied() {
      const { rows } = await client.query<AppliedMigration>(`SELECT name, checksum FROM "${LEDGER_TABLE}" ORDER BY name`);
      return rows;
    },
    async apply(migration: Migration) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${LEDGER_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}
