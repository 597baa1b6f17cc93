// The demo café as one running stack: a sync server on an embedded (or given) PostgreSQL with the
// demo store and menu, and one device per role with its own SQLite file. `npm start` runs it;
// the end-to-end tests run it in a temporary folder.
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readServerConfig } from '../sync-server/config';
import type { ServerDb } from '../sync-server/db/client';
import { hashDeviceToken } from '../sync-server/devices/deviceTokens';
import { createPairingCode } from '../sync-server/devices/pairing';
import { silentLogger, type Logger } from '../sync-server/log';
import type { DeviceRole } from '../sync-server/protocol/events';
import { startSyncServer, type RunningSyncServer } from '../sync-server/runtime';
import { createTerminalCore, type TerminalCore } from './core/terminalCore';
import { startWebHost, type WebHost } from './host/webHost';

export const DEMO_TERMINALS: ReadonlyArray<{ role: DeviceRole; name: string; port: number }> = [
  { role: 'kiosk', name: 'Kiosk by the door', port: 5173 },
  { role: 'kitchen', name: 'Kitchen display', port: 5174 },
  { role: 'board', name: 'Order-ready board', port: 5175 },
];

export const rendererDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/** The demo's head-office login, for trying the admin API (unless TILLSYNC_ADMIN_* say otherwise). */
export const DEMO_OWNER = { email: 'owner@demo.tillsync', password: 'tillsync-demo-owner' };

export interface DemoTerminal {
  role: DeviceRole;
  /** The terminal's own folder (its SQLite file is terminal.db inside). */
  dataDir: string;
  /** A one-time code to pair with, when the terminal is not paired yet. */
  pairingCode: string | null;
}

/**
 * Null if the terminal's file holds a device the server still accepts; otherwise a pairing code
 * for a new one — the same way a real terminal is set up.
 */
async function pairingCode(db: ServerDb, storeId: string, role: DeviceRole, name: string, file: string): Promise<string | null> {
  if (existsSync(file)) {
    const sqlite = new Database(file, { readonly: true, fileMustExist: true });
    const row = sqlite.prepare('SELECT deviceToken FROM DeviceSettings WHERE id = 1').get() as { deviceToken: string } | undefined;
    sqlite.close();
    const device = row && (await db.device.findUnique({ where: { tokenHash: hashDeviceToken(row.deviceToken) } }));
    if (row && device && !device.revokedAt) return null;
    // The server's database was reset: this terminal's identity is gone, so start it afresh.
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  return (await createPairingCode(db, { storeId, role, name })).code;
}

/** Starts the server with the demo café and makes sure each demo terminal has a device. */
export async function startDemoServer(dataDir: string, env: NodeJS.ProcessEnv = process.env, log: Logger = silentLogger) {
  const server = await startSyncServer(
    readServerConfig({
      TILLSYNC_ADMIN_EMAIL: DEMO_OWNER.email,
      TILLSYNC_ADMIN_PASSWORD: DEMO_OWNER.password,
      ...env,
      PORT: env.PORT ?? '0',
      HOST: '127.0.0.1',
      TILLSYNC_DATA_DIR: dataDir,
      TILLSYNC_SEED_DEMO: '1',
    }),
    log,
  );
  const terminals: DemoTerminal[] = [];
  for (const { role, name } of DEMO_TERMINALS) {
    const terminalDir = join(dataDir, 'terminals', role);
    terminals.push({ role, dataDir: terminalDir, pairingCode: await pairingCode(server.db, server.demoStoreId!, role, name, join(terminalDir, 'terminal.db')) });
  }
  return { server, terminals };
}

export interface BrowserDemo {
  server: RunningSyncServer;
  screens: Array<{ role: DeviceRole; url: string; core: TerminalCore }>;
  stop(): Promise<void>;
}

/**
 * The demo with every terminal served to a browser by its own web host. `preferredPorts` tries
 * 5173–5175 first (falling back to any free port); otherwise every port is picked freely.
 */
export async function startBrowserDemo(dataDir: string, { preferredPorts = false, env = process.env, log = silentLogger } = {}): Promise<BrowserDemo> {
  const { server, terminals } = await startDemoServer(dataDir, env, log);
  const cores: TerminalCore[] = [];
  const hosts: WebHost[] = [];
  const stop = async () => {
    await Promise.allSettled(hosts.map((h) => h.close()));
    await Promise.allSettled(cores.map((c) => c.close()));
    await server.stop();
  };
  try {
    const screens: BrowserDemo['screens'] = [];
    for (const [i, terminal] of terminals.entries()) {
      const core = await createTerminalCore({
        databaseFile: join(terminal.dataDir, 'terminal.db'),
        serverUrl: server.url,
        ...(terminal.pairingCode ? { pairingCode: terminal.pairingCode } : {}),
      });
      cores.push(core);
      const port = preferredPorts ? DEMO_TERMINALS[i]!.port : 0;
      // Someone else may have the usual port: then any free one will do.
      const host = await startWebHost({ core, rendererDir, port }).catch(() => startWebHost({ core, rendererDir, port: 0 }));
      hosts.push(host);
      screens.push({ role: terminal.role, url: `${host.url}/${terminal.role}`, core });
    }
    return { server, screens, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
