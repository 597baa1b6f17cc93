// A database's structure as sorted lines of text — tables, columns, keys, indexes, foreign keys,
// enums — so two databases can be compared with a plain equality and a readable diff.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { LEDGER_TABLE } from '../../prisma/migrate';

export function describeSqlite(db: Database.Database): string[] {
  const lines: string[] = [];
  const tables = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?")
    .all(LEDGER_TABLE) as Array<{ name: string; sql: string }>;
  for (const { name, sql } of tables) {
    lines.push(`table ${name}${/AUTOINCREMENT/i.test(sql) ? ' autoincrement' : ''}`);
    for (const c of db.prepare(`PRAGMA table_xinfo("${name}")`).all() as Array<Record<string, unknown>>) {
      lines.push(`column ${name}.${c.name} ${c.type} notnull=${c.notnull} default=${c.dflt_value} pk=${c.pk}`);
    }
    for (const index of db.prepare(`PRAGMA index_list("${name}")`).all() as Array<{ name: string; unique: number; origin: string; partial: number }>) {
      const columns = (db.prepare(`PRAGMA index_xinfo("${index.name}")`).all() as Array<{ name: string | null; desc: number; key: number }>)
        .filter((c) => c.key)
        .map((c) => `${c.name}${c.desc ? ' desc' : ''}`);
      // Indexes SQLite makes for a primary key are named by position, not by us: name them by content.
      const label = index.origin === 'pk' ? '(primary key)' : index.name;
      lines.push(`index ${name} ${label} unique=${index.unique} partial=${index.partial} (${columns.join(', ')})`);
    }
    for (const fk of db.prepare(`PRAGMA foreign_key_list("${name}")`).all() as Array<Record<string, unknown>>) {
      lines.push(`foreign key ${name}.${fk.from} -> ${fk.table}.${fk.to} on update ${fk.on_update} on delete ${fk.on_delete}`);
    }
  }
  return lines.sort();
}

export async function describePostgres(client: pg.Client): Promise<string[]> {
  const lines: string[] = [];
  const columns = await client.query(
    `SELECT table_name, column_name, udt_name, character_maximum_length, datetime_precision, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1`,
    [LEDGER_TABLE],
  );
  for (const c of columns.rows) {
    lines.push(`column ${c.table_name}.${c.column_name} ${c.udt_name}(${c.character_maximum_length ?? c.datetime_precision ?? ''}) nullable=${c.is_nullable} default=${c.column_default}`);
  }
  const indexes = await client.query(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> $1`, [LEDGER_TABLE]);
  for (const i of indexes.rows) lines.push(`index ${i.indexdef}`);
  const constraints = await client.query(
    `SELECT c.relname AS table_name, k.conname, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE k.connamespace = 'public'::regnamespace AND c.relname <> $1`,
    [LEDGER_TABLE],
  );
  for (const c of constraints.rows) lines.push(`constraint ${c.table_name} ${c.conname} ${c.definition}`);
  const enums = await client.query(
    `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  for (const e of enums.rows) lines.push(`enum ${e.typname} (${e.labels})`);
  return lines.sort();
}
