// `npm run register-device -- --store "Tillsync Café Amsterdam" --role kitchen --name "Tablet"`
// Registers a terminal with a store and prints its device token, once. Works on the server's
// database: DATABASE_URL, or the embedded cluster a running `npm run server` keeps in TILLSYNC_DATA_DIR.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readServerConfig } from './config';
import { createServerDb } from './db/client';
import { runningEmbeddedPostgres } from './db/embeddedPostgres';
import { registerDevice } from './devices/deviceTokens';
import { DeviceRoleSchema } from './protocol/events';

const ArgsSchema = z.object({ store: z.string().min(1), role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });

const { values } = parseArgs({ options: { store: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } } });
const args = ArgsSchema.safeParse(values);
if (!args.success) {
  console.error('Usage: npm run register-device -- --store <store id or name> --role <kiosk|kitchen|board> --name <device name>');
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
  const { device, token } = await registerDevice(db, { storeId: stores[0]!.id, role: args.data.role, name: args.data.name });
  console.log(`Registered ${device.role} "${device.name}" in ${stores[0]!.name}${device.orderPrefix ? ` (order numbers ${device.orderPrefix}001, ${device.orderPrefix}002, …)` : ''}.`);
  console.log(`\nDevice token (shown once; the server keeps only its hash):\n\n  ${token}\n`);
  console.log('Start the terminal with TILLSYNC_SERVER_URL=<this server> TILLSYNC_DEVICE_TOKEN=<the token>.');
} finally {
  await db.$disconnect();
}
