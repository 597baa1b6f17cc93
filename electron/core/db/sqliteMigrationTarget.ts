import type Database from 'better-sqlite3';
import { LEDGER_TABLE, type AppliedMigration, type Migration, type MigrationTarget } from '../../../prisma/migrate';

/** Runs migrations on a terminal's SQLite file through a plain better-sqlite3 connection. */
export function sqliteMigrationTarget(db: Database.Database): MigrationTarget {
  return {
    // A write transaction per migration (BEGIN IMMEDIATE) is the lock: SQLite has one writer.
    exclusive: (work) => work(),
    async ensureLedger() {
      db.exec(`CREATE TABLE IF NOT EXISTS "${LEDGER_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    },
    async applied() {
      return db.prepare(`SELECT name, checksum FROM "${LEDGER_TABLE}" ORDER BY name`).all() as AppliedMigration[];
    },
    async apply(migration: Migration) {
      const record = db.prepare(`INSERT INTO "${LEDGER_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`);
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.name, migration.checksum, new Date().toISOString());
      }).immediate();
    },
  };
}
