// Writes the next migration of a schema: `npm run migration -- terminal add_order_notes`.
// It migrates a scratch database with the committed migrations, then asks Prisma's schema engine
// for the SQL that takes it to the schema file. Review the SQL before committing it.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateTerminalDatabase } from '../electron/core/db/migrateTerminalDatabase';
import { startEmbeddedPostgres } from '../sync-server/db/embeddedPostgres';
import { migrateServerDatabase } from '../sync-server/db/migrateServerDatabase';
import { diffToSchema, migrationsDir, type SchemaName } from './schemaEngine';

const [schema, name] = process.argv.slice(2);
if ((schema !== 'terminal' && schema !== 'server') || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('Usage: npm run migration -- <terminal|server> <snake_case_name>');
  process.exit(2);
}

const scratch = await mkdtemp(join(tmpdir(), 'tillsync-migration-'));
const stops: Array<() => Promise<void>> = [];
try {
  const directory = migrationsDir(schema as SchemaName);
  await mkdir(directory, { recursive: true });
  const fromEmpty = (await readdir(directory)).length === 0;
  let url: string;
  if (schema === 'terminal') {
    url = `file:${join(scratch, 'scratch.db')}`;
    await migrateTerminalDatabase(url.slice('file:'.length), directory);
  } else {
    const postgres = await startEmbeddedPostgres({ dataDir: join(scratch, 'pg'), database: 'scratch' });
    stops.push(postgres.stop);
    url = postgres.url;
    await migrateServerDatabase(url, directory);
  }
  const sql = await diffToSchema(schema as SchemaName, url, { fromEmpty });
  if (!sql) {
    console.log(`The ${schema} migrations already match prisma/${schema}.prisma: nothing to write.`);
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = join(directory, `${stamp}_${name}`);
    await mkdir(folder);
    await writeFile(join(folder, 'migration.sql'), `${sql}\n`);
    console.log(`Wrote ${folder}/migration.sql`);
  }
} finally {
  for (const stop of stops) await stop();
  await rm(scratch, { recursive: true, force: true });
}
