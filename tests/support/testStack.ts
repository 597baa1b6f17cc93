// A sync server on a fresh database, a seeded store with the demo menu, and terminal cores, all
// real: PostgreSQL, Socket.IO on port 0, SQLite files in a temporary folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuView } from '#terminal-api/contract';
import { createTerminalCore, type TerminalCore, type TerminalCoreConfig } from '../../electron/core/terminalCore';
import { connectServerDatabase, type ServerDb } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import type { DeviceRole } from '#protocol/events';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer, type ServerDeps, type SyncServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';

export interface TestStack {
  db: ServerDb;
  databaseUrl: string;
  server: SyncServer;
  url: string;
  storeId: string;
  menuVersionId: string;
  dir: string;
  /** Registers a device in the store (or another) and starts a terminal core for it. */
  terminal(
    role: DeviceRole,
    options?: { storeId?: string; name?: string; wallClock?: () => number; monotonicClock?: () => number; serverUrl?: string; core?: TerminalExtras },
  ): Promise<TestTerminal>;
  /** The server's clock: tests move it to expire codes and sessions. */
  clock: { offsetMs: number };
  /** Starts a terminal again on the same SQLite file, as after a crash or a reboot. */
  reopen(terminal: TestTerminal, options?: { log?: (message: string, fields?: Record<string, unknown>) => void; wallClock?: () => number; core?: TerminalExtras }): Promise<TestTerminal>;
  /** Stops the server; terminals keep running, offline, and retry. */
  stopServer(): Promise<void>;
  /** Starts a server again on the same port and database. */
  startServer(): Promise<void>;
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

/** What a terminal may have beyond the server: a kiosk's card terminal, receipt printer and shorter waits; the store's LAN. */
export type TerminalExtras = Pick<TerminalCoreConfig, 'paymentProvider' | 'cardCheckout' | 'receiptPrinter' | 'lan'>;

export interface TestTerminal {
  core: TerminalCore;
  token: string;
  deviceId: string;
  databaseFile: string;
  close(): Promise<void>;
}

// TILLSYNC_TEST_LOG=1 prints what the terminal cores log, for debugging a failing test.
const terminalLog = (role: string) =>
  process.env.TILLSYNC_TEST_LOG === '1' ? (message: string, fields?: Record<string, unknown>) => console.log(`[${role}]`, message, fields ?? '') : undefined;

export interface StackDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Starts the stack on `database`, or by default on a fresh database of the test cluster. */
/** What a test may change about the server: its limits, the proxies it trusts, its metrics token, its authority secret. */
export type StackOptions = Pick<ServerDeps, 'limits' | 'trustProxy' | 'metricsToken' | 'adminAppDir' | 'authoritySecret'>;

export async function startTestStack(given?: StackDatabase, options: StackOptions = {}): Promise<TestStack> {
  // Imported only when needed: it reads the cluster from Vitest, which benchmarks do not run under.
  const database = given ?? (await (await import('./testDatabase')).createTestDatabase());
  const connection = connectServerDatabase(database.url);
  const { db, close: disconnect } = connection;
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-stack-'));
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  let server = await createServer({ ...connection, now, ...options });
  const { port, url } = await server.listen(0);
  const store = await createStore(db, DEMO_STORE);
  const version = await createMenuVersion(db, await loadDemoMenuDocument());
  await db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
  const terminals: TestTerminal[] = [];

  const stack: TestStack = {
    db,
    databaseUrl: database.url,
    get server() {
      return server;
    },
    url,
    storeId: store.id,
    menuVersionId: version.id,
    dir,
    clock,
    async terminal(role, options = {}) {
      const { device, token } = await registerDevice(db, { storeId: options.storeId ?? store.id, role, name: options.name ?? `${role} ${terminals.length + 1}` });
      const databaseFile = join(dir, `${role}-${terminals.length + 1}.db`);
      const core = await createTerminalCore({
        databaseFile,
        serverUrl: options.serverUrl ?? url,
        deviceToken: token,
        log: terminalLog(role),
        ...(options.wallClock ? { wallClock: options.wallClock } : {}),
        ...(options.monotonicClock ? { monotonicClock: options.monotonicClock } : {}),
        ...options.core,
      });
      const terminal: TestTerminal = { core, token, deviceId: device.id, databaseFile, close: () => core.close() };
      terminals.push(terminal);
      return terminal;
    },
    async reopen(previous, options = {}) {
      const log = options.log ?? terminalLog('reopened');
      const core = await createTerminalCore({
        databaseFile: previous.databaseFile,
        ...(log ? { log } : {}),
        ...(options.wallClock ? { wallClock: options.wallClock } : {}),
        ...options.core,
      });
      const terminal: TestTerminal = { ...previous, core, close: () => core.close() };
      terminals.push(terminal);
      return terminal;
    },
    async stopServer() {
      await server.close();
    },
    async startServer() {
      server = await createServer({ ...connection, now, ...options });
      await server.listen(port);
    },
    async restartServer() {
      await stack.stopServer();
      await stack.startServer();
    },
    async close() {
      await Promise.allSettled(terminals.map((t) => t.close()));
      await server.close();
      await disconnect();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** Polls until `check` returns a truthy value (a count above 0 counts), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false | 0 | ''> | T | null | undefined | false | 0 | '', timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Places one espresso on `kiosk` once it has its menu; returns the order's id. */
export async function placeEspresso(kiosk: TestTerminal): Promise<string> {
  const menu = await eventually(async () => (await kiosk.core.api.getMenu()) as MenuView | null);
  return (await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 })).id;
}
