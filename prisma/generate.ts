// Generates both Prisma clients (prisma/generated/terminal, prisma/generated/server); run by
// `npm install` and `npm ci`. `prisma generate` never runs the schema engine, but Prisma 7's CLI
// tries to download it first unless told where one is: any existing file satisfies that check.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { schemaPath, type SchemaName } from './schemaEngine';

const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? cli, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
for (const schema of ['terminal', 'server'] satisfies SchemaName[]) {
  execFileSync(process.execPath, [cli, 'generate', '--schema', schemaPath(schema)], { env, stdio: 'inherit' });
}
