// The demo café as one running stack: a sync server on an embedded (or given) PostgreSQL with the
// demo store and menu, and one device per role with its own SQLite file. `npm start` runs it;
// the end-to-end tests run it in a temporary folder.
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readServerConfig } from '../sync-server/config';
import type { ServerDb } from '../sync-server/db/client';
import { hashDeviceToken } from '../sync-server/devices/deviceTokens';
import { createPairingCode } from '../sync-server/devices/pairing';
import { freePort } from '../sync-server/db/embeddedPostgres';
import type { Limits } from '../sync-server/limits/budgets';
import { silentLogger, type Logger } from '../sync-server/log';
import type { DeviceRole } from '../sync-server/protocol/events';
import { startSyncServer, type RunningSyncServer } from '../sync-server/runtime';
import { isSealed } from './core/deviceSecrets';
import { runPart, tsProcess, type RunningPart } from './demoParts';
import { InternetSwitch } from './internetSwitch';

export const DEMO_TERMINALS: ReadonlyArray<{ role: DeviceRole; name: string; port: number }> = [
  { role: 'kiosk', name: 'Kiosk by the door', port: 5173 },
  { role: 'kitchen', name: 'Kitchen display', port: 5174 },
  { role: 'board', name: 'Order-ready board', port: 5175 },
];

export const rendererDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

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
    // Sealed by the keychain of an Electron terminal: only it can tell; it says so if refused.
    if (row && isSealed(row.deviceToken)) return null;
    const device = row && (await db.device.findUnique({ where: { tokenHash: hashDeviceToken(row.deviceToken) } }));
    if (row && device && !device.revokedAt) return null;
    // The server's database was reset: this terminal's identity is gone, so start it afresh.
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  return (await createPairingCode(db, { storeId, role, name })).code;
}

/** Starts the server with the demo café and makes sure each demo terminal has a device. */
export async function startDemoServer(dataDir: string, env: NodeJS.ProcessEnv = process.env, log: Logger = silentLogger, limits?: Limits) {
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
    limits ? { limits } : {},
  );
  const terminals: DemoTerminal[] = [];
  for (const { role, name } of DEMO_TERMINALS) {
    const terminalDir = join(dataDir, 'terminals', role);
    terminals.push({ role, dataDir: terminalDir, pairingCode: await pairingCode(server.db, server.demoStoreId!, role, name, join(terminalDir, 'terminal.db')) });
  }
  return { server, terminals };
}

/**
 * The demo's terminals share one machine: their peer links listen on this machine's own address,
 * which multicast DNS does not reach, so they find each other by the server's list alone.
 */
export const DEMO_LAN_ENV = { TILLSYNC_PEER_HOST: '127.0.0.1', TILLSYNC_LAN_ADVERT: '0' };

/**
 * The demo store's internet line: its terminals reach the server through it, head office (the
 * admin) does not. Cutting it shows the store keeping on over its own network.
 */
export async function startStoreInternet(serverUrl: string): Promise<{ internet: InternetSwitch; url: string }> {
  const { hostname, port } = new URL(serverUrl);
  const internet = new InternetSwitch({ host: hostname, port: Number(port) });
  return { internet, url: await internet.listen() };
}

export interface DemoDevices {
  /** What the kiosk is told of them (TILLSYNC_CARD_TERMINAL_URL, TILLSYNC_RECEIPT_PRINTER). */
  kioskEnv: Record<string, string>;
  /** The card terminal simulator, whose /sim API plays the customer. */
  cardTerminalUrl: string;
  /** The receipt printer simulator's control API (/sim/state, /sim/receipts). */
  printerControlUrl: string;
  /** Where a person reads what the receipt printer printed, and drives the card terminal. */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * The kiosk's card terminal and receipt printer, each a simulator in a process of its own as the
 * real ones are machines of their own: the demo takes card payments and prints receipts (as text
 * files in `dataDir`/receipts). Fixed ports, so one restarted is found where it was.
 */
export async function startDemoDevices(dataDir: string, say: (line: string) => void): Promise<DemoDevices> {
  const [cardPort, printerPort, controlPort] = [await portFor(5180), await portFor(5181), await portFor(5182)];
  const receiptsDir = join(dataDir, 'receipts');
  const card = runPart(
    { name: 'the card terminal simulator', ready: /"url":"([^"]+)"/, start: () => tsProcess(repo, 'electron/simulators/cardTerminalMain.ts', {}, ['--port', String(cardPort)]) },
    say,
  );
  const printer = runPart(
    {
      name: 'the receipt printer simulator',
      ready: /"port":(\d+)/,
      start: () =>
        tsProcess(repo, 'electron/simulators/receiptPrinterMain.ts', {}, ['--port', String(printerPort), '--control-port', String(controlPort), '--receipts-dir', receiptsDir]),
    },
    say,
  );
  const [cardReady] = await Promise.all([card.ready, printer.ready]);
  const cardUrl = cardReady![1]!;
  return {
    kioskEnv: { TILLSYNC_CARD_TERMINAL_URL: cardUrl, TILLSYNC_RECEIPT_PRINTER: `127.0.0.1:${printerPort}` },
    cardTerminalUrl: cardUrl,
    printerControlUrl: `http://127.0.0.1:${controlPort}`,
    lines: [`  card     ${cardUrl}  (simulator: POST /sim/next to decline the next card, README "Card payments")`, `  receipts ${receiptsDir}`],
    async stop() {
      await Promise.allSettled([card.stop(), printer.stop()]);
    },
  };
}

export interface DemoScreen {
  role: DeviceRole;
  url: string;
  dataDir: string;
  crash(): void;
}

export interface BrowserDemo {
  server: RunningSyncServer;
  /** The store's internet line between its terminals and the server. */
  internet: InternetSwitch;
  /** Each terminal's screen, served by its own process; its SQLite file is terminal.db in `dataDir`. */
  screens: DemoScreen[];
  devices: DemoDevices;
  /** Pairs one more terminal with the demo store, as staff would set up a new screen, and serves it. */
  addScreen(role: DeviceRole, name: string): Promise<DemoScreen>;
  stop(): Promise<void>;
}

/** How the demo names its terminals when it tells what happened to one. */
const PART_NAMES: Record<DeviceRole, string> = { kiosk: 'the kiosk', kitchen: 'the kitchen display', board: 'the order-ready board' };

/** `preferred` if nothing listens on it, else any free port. */
async function portFor(preferred: number | null): Promise<number> {
  if (preferred) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createNetServer().once('error', () => resolve(false));
      probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return preferred;
  }
  return freePort();
}

/**
 * The demo with every terminal served to a browser by a process of its own (the same web host as
 * `npm run terminal`), supervised: one that stops is reported and started again, and the rest go on.
 * `preferredPorts` tries 5173–5175 first (falling back to any free port); otherwise every port is
 * picked freely.
 */
export async function startBrowserDemo(
  dataDir: string,
  {
    preferredPorts = false,
    env = process.env,
    log = silentLogger,
    say = (line: string) => console.log(line),
    limits,
  }: { preferredPorts?: boolean; env?: NodeJS.ProcessEnv; log?: Logger; say?: (line: string) => void; limits?: Limits } = {},
): Promise<BrowserDemo> {
  const { server, terminals } = await startDemoServer(dataDir, env, log, limits);
  const devices = await startDemoDevices(dataDir, say);
  const { internet, url: storeServerUrl } = await startStoreInternet(server.url);
  const parts: RunningPart[] = [];
  const stop = async () => {
    await Promise.allSettled(parts.map((part) => part.stop()));
    await devices.stop();
    await internet.close();
    await server.stop();
  };
  const serve = async (terminal: DemoTerminal, port: number, name = PART_NAMES[terminal.role]): Promise<DemoScreen> => {
    const part = runPart(
      {
        name,
        ready: /Terminal ready: open (\S+)/,
        start: () =>
          tsProcess(repo, 'electron/host/main.ts', {
            TILLSYNC_DATA_DIR: terminal.dataDir,
            TILLSYNC_SERVER_URL: storeServerUrl,
            ...DEMO_LAN_ENV,
            TILLSYNC_HOST_PORT: String(port),
            TILLSYNC_HOST_BIND: '127.0.0.1',
            ...(terminal.pairingCode ? { TILLSYNC_PAIRING_CODE: terminal.pairingCode } : {}),
            ...(terminal.role === 'kiosk' ? devices.kioskEnv : {}),
          }),
      },
      say,
    );
    parts.push(part);
    const [, url] = (await part.ready)!;
    return { role: terminal.role, url: `${url}/${terminal.role}`, dataDir: terminal.dataDir, crash: () => part.crash() };
  };
  let added = 0;
  try {
    const screens = await Promise.all(terminals.map(async (terminal, i) => serve(terminal, await portFor(preferredPorts ? DEMO_TERMINALS[i]!.port : null))));
    const addScreen = async (role: DeviceRole, name: string) => {
      const terminalDir = join(dataDir, 'terminals', `added-${++added}`);
      const pairing = await pairingCode(server.db, server.demoStoreId!, role, name, join(terminalDir, 'terminal.db'));
      return serve({ role, dataDir: terminalDir, pairingCode: pairing }, await freePort(), `"${name}"`);
    };
    return { server, internet, screens, devices, addScreen, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
