// `npm run pairing-code -- --store "Tillsync Café Amsterdam" --role kitchen --name "Tablet"`
// Prints a one-time code that pairs a new terminal with a store, like POST /api/stores/:id/pairing-codes.
// For operators with access to the server's database: DATABASE_URL, or the embedded cluster a
// running `npm run server` keeps in TILLSYNC_DATA_DIR.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readServerConfig } from './config';
import { createServerDb } from './db/client';
import { runningEmbeddedPostgres } from './db/embeddedPostgres';
import { createPairingCode, PAIRING_CODE_MINUTES } from './devices/pairing';
import { DeviceRoleSchema } from './protocol/events';

const ArgsSchema = z.object({ store: z.string().min(1), role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });

const { values } = parseArgs({ options: { store: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } });
const args = ArgsSchema.safeParse(values);
if (!args.success) {
  console.error('Usage: npm run pairing-code -- --store <store id or name> --role <kiosk|kitchen|board> --name <device name>');
  process.exit(2);
}
const config = readServerConfig();
const databaseUrl = config.DATABASE_URL ?? (await runningEmbeddedPostgres(join(config.TILLSYNC_DATA_DIR, 'postgres')));
if (!databaseUrl) {
  console.error(`No database: set DATABASE_URL, or start the server (npm run server) so its embedded PostgreSQL in ${config.TILLSYNC_DATA_DIR} is running.`);
  process.exit(1);
}
const db = createServerDb(databaseUrl, { poolSize: 1 });
try {
  const byId = z.uuid().safeParse(args.data.store).success;
  const stores = await db.store.findMany({ where: byId ? { id: args.data.store } : { name: args.data.store }, select: { id: true, name: true } });
  if (stores.length !== 1) {
    const known = await db.store.findMany({ select: { id: true, name: true } });
    console.error(`${stores.length === 0 ? 'No' : 'More than one'} store matches "${args.data.store}". Stores:\n${known.map((s) => `  ${s.id}  ${s.name}`).join('\n') || '  (none)'}`);
    process.exit(1);
  }
  const pairing = await createPairingCode(db, { storeId: stores[0]!.id, role: args.data.role, name: args.data.name });
  console.log(`Pairing code for ${args.data.role} "${args.data.name}" in ${stores[0]!.name}:\n\n  ${pairing.code}\n`);
  console.log(`Type it on the new terminal (or start it with TILLSYNC_PAIRING_CODE) within ${PAIRING_CODE_MINUTES} minutes. It works once.`);
} finally {
  await db.$disconnect();
}
