// Prisma's schema engine, run offline. Prisma 7's CLI downloads a native schema engine, which this
// project cannot rely on; Prisma 6.19's CLI (the `prisma6` dev dependency) runs the same engine as
// WebAssembly when its config names a driver adapter. We use it to write migration SQL and to prove
// that a database migrated by our own runner matches its Prisma schema.
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

const providers: Record<SchemaName, { provider: string; adapterModule: string; adapterExpr: (url: string) => string }> = {
  terminal: {
    provider: 'sqlite',
    adapterModule: '@prisma/adapter-better-sqlite3',
    adapterExpr: (url) => `new adapter.PrismaBetterSqlite3({ url: ${JSON.stringify(url)} })`,
  },
  server: {
    provider: 'postgresql',
    adapterModule: '@prisma/adapter-pg',
    adapterExpr: (url) => `new adapter.PrismaPg({ connectionString: ${JSON.stringify(url)} })`,
  },
};

/**
 * Keeps the schema text of `db pull --print`, without the CLI's warnings in front of it, and
 * without our migration runner's ledger table, which belongs to no schema.
 */
function pulledSchema(output: string): string {
  const start = output.search(/^(generator|datasource) /m);
  return output.slice(Math.max(start, 0)).replace(/model \w+ \{[^}]*_tillsync_migrations[^}]*\}\n*/g, '');
}

async function prisma6(
  schema: SchemaName,
  databaseUrl: string,
  args: string[],
  files: Record<string, string> = {},
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'tillsync-schema-'));
  try {
    const { provider, adapterModule, adapterExpr } = providers[schema];
    const config = join(work, 'prisma.config.mjs');
    await writeFile(
      config,
      `import * as adapter from ${JSON.stringify(require.resolve(adapterModule))};\n` +
        `export default { experimental: { adapter: true }, engine: 'js', schema: ${JSON.stringify(join(work, 'schema.prisma'))},\n` +
        `  async adapter() { return ${adapterExpr(databaseUrl)}; } };\n`,
    );
    // Prisma 6 wants a url in the datasource block even though the adapter makes the connection.
    const source = await readFile(schemaPath(schema), 'utf8');
    await writeFile(join(work, 'schema.prisma'), source.replace(`provider = "${provider}"`, `provider = "${provider}"\n  url = "unused://"`));
    for (const [name, content] of Object.entries(files)) await writeFile(join(work, name), content);
    const cli = require.resolve('prisma6/build/index.js');
    // Prisma 6 checks that these engine files exist before it finds it does not need them.
    const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: cli, PRISMA_QUERY_ENGINE_LIBRARY: cli, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
    const argv = [cli, ...args.map((a) => a.replace('$WORK', work)), '--config', config];
    try {
      const { stdout } = await run(process.execPath, argv, { env, cwd: work, maxBuffer: 64 << 20 });
      return stdout;
    } catch (error) {
      throw new Error(`prisma ${args.slice(0, 2).join(' ')} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Introspects a live database into a Prisma schema, without our migration ledger. */
export async function pullSchema(schema: SchemaName, databaseUrl: string): Promise<string> {
  return pulledSchema(await prisma6(schema, databaseUrl, ['db', 'pull', '--print']));
}

/**
 * SQL that turns the database at `databaseUrl` into what the Prisma schema describes; empty when
 * they already match. With `fromEmpty` it diffs from nothing instead (the first migration).
 */
export async function diffToSchema(schema: SchemaName, databaseUrl: string, { fromEmpty = false } = {}): Promise<string> {
  const files: Record<string, string> = fromEmpty ? {} : { 'pulled.prisma': await pullSchema(schema, databaseUrl) };
  const from = fromEmpty ? ['--from-empty'] : ['--from-schema-datamodel', '$WORK/pulled.prisma'];
  const output = await prisma6(schema, databaseUrl, ['migrate', 'diff', ...from, '--to-schema-datamodel', '$WORK/schema.prisma', '--script'], files);
  return meaningfulSql(output);
}

/** Drops the CLI's banner and its "empty migration" comment, leaving only SQL statements. */
function meaningfulSql(output: string): string {
  const sql = output
    .split('\n')
    .filter((line) => !line.startsWith('Loaded Prisma config'))
    .join('\n')
    .trim();
  return sql === '-- This is an empty migration.' ? '' : sql;
}
