// Writes the next migration of a schema: `npm run migration -- server add_order_notes`.
// The SQL is what takes the schema as last committed (git HEAD) to the schema file as it is now;
// the migration tests keep the committed schema and migrations in step, so that is exactly the
// change. Review the SQL before committing it together with the schema.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startEmbeddedPostgres } from '../sync-server/db/embeddedPostgres';
import { migrationSql, migrationsDir, prismaDir, schemaPath, type SchemaName } from './schemaEngine';

const [schema, name] = process.argv.slice(2);
if ((schema !== 'terminal' && schema !== 'server') || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run migration -- <terminal|server> <snake_case_name>');
  process.exit(2);
}

const directory = migrationsDir(schema as SchemaName);
await mkdir(directory, { recursive: true });
const first = (await readdir(directory)).length === 0;
const committed = first
  ? null
  : execFileSync('git', ['show', `HEAD:${relative(join(prismaDir, '..'), schemaPath(schema as SchemaName))}`], { cwd: prismaDir, encoding: 'utf8' });
let sql: string;
if (schema === 'server' && !process.env.DATABASE_URL) {
  // The engine needs a PostgreSQL to talk to: a throwaway embedded one.
  const scratch = await mkdtemp(join(tmpdir(), 'tillsync-migration-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), database: 'scratch' });
  try {
    sql = await migrationSql('server', committed, postgres.url);
  } finally {
    await postgres.stop();
    await rm(scratch, { recursive: true, force: true });
  }
} else {
  sql = await migrationSql(schema as SchemaName, committed, schema === 'server' ? process.env.DATABASE_URL : undefined);
}
if (!sql) {
  console.log(`prisma/${schema}.prisma has not changed since the last commit: nothing to write.`);
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = join(directory, `${stamp}_${name}`);
  await mkdir(folder);
  await writeFile(join(folder, 'migration.sql'), `${sql}\n`);
  console.log(`Wrote ${relative(process.cwd(), folder)}/migration.sql`);
}
