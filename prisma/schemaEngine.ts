// Prisma's schema engine, run offline. Prisma 7's CLI downloads a native schema engine, which this
// project cannot rely on; Prisma 6.19's CLI (the `prisma6` dev dependency) runs the same engine as
// WebAssembly when its config names a driver adapter. We use it to render a schema as SQL: to
// write migrations, and to build the reference database the migration tests compare against.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

export type SchemaName = 'terminal' | 'server';

export const prismaDir = fileURLToPath(new URL('.', import.meta.url));
export const schemaPath = (schema: SchemaName) => join(prismaDir, `${schema}.prisma`);
export const migrationsDir = (schema: SchemaName) => join(prismaDir, 'migrations', schema);

// The engine renders SQL for the database it is connected to (PostgreSQL: it asks for the server's
// version), so it needs a live connection even when it diffs two datamodels.
const adapters: Record<SchemaName, { provider: string; expression: (url: string) => string }> = {
  terminal: {
    provider: 'sqlite',
    expression: (url) => `new (await import(${JSON.stringify(require.resolve('@prisma/adapter-better-sqlite3'))})).PrismaBetterSqlite3({ url: ${JSON.stringify(url)} })`,
  },
  server: {
    provider: 'postgresql',
    expression: (url) => `new (await import(${JSON.stringify(require.resolve('@prisma/adapter-pg'))})).PrismaPg({ connectionString: ${JSON.stringify(url)}, allowExitOnIdle: true })`,
  },
};

/** Prisma 6 wants a url in the datasource block even though an adapter makes the connection. */
const withUrl = (schema: SchemaName, source: string) =>
  source.replace(`provider = "${adapters[schema].provider}"`, `provider = "${adapters[schema].provider}"\n  url = "unused://"`);

/**
 * The SQL that takes a database from the `from` datamodel (a schema file's text; null means an
 * empty database) to what prisma/<schema>.prisma describes; empty when there is nothing to do.
 * `connection` is a database of the schema's kind for the engine to talk to; it is not changed.
 */
export async function migrationSql(schema: SchemaName, from: string | null, connection = ':memory:'): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'tillsync-schema-'));
  try {
    await writeFile(join(work, 'prisma.config.mjs'), `export default { experimental: { adapter: true }, engine: 'js', schema: 'to.prisma', async adapter() { return ${adapters[schema].expression(connection)}; } };\n`);
    await writeFile(join(work, 'to.prisma'), withUrl(schema, await readFile(schemaPath(schema), 'utf8')));
    if (from !== null) await writeFile(join(work, 'from.prisma'), withUrl(schema, from));
    const cli = require.resolve('prisma6/build/index.js');
    const source = from === null ? ['--from-empty'] : ['--from-schema-datamodel', 'from.prisma'];
    // Prisma 6 checks that these engine files exist before it finds it does not need them.
    const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: cli, PRISMA_QUERY_ENGINE_LIBRARY: cli, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
    const args = [cli, 'migrate', 'diff', ...source, '--to-schema-datamodel', 'to.prisma', '--script', '--config', 'prisma.config.mjs'];
    try {
      const { stdout } = await run(process.execPath, args, { env, cwd: work, maxBuffer: 64 << 20 });
      const sql = stdout.trim();
      return sql === '-- This is an empty migration.' ? '' : sql;
    } catch (error) {
      throw new Error(`prisma migrate diff failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
