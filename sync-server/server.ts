// The sync server, built from its dependencies so tests and the demo can start it on port 0 with a
// real database: (await createServer(connectServerDatabase(url))).listen(0).
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer, type ServerOptions } from 'socket.io';
import { purgeExpiredSessions } from './admin/adminAccounts';
import { registerAdminRoutes } from './admin/adminRoutes';
import { registerLiveOrders, type AdminNamespace } from './admin/liveOrdersNamespace';
import { ADMIN_NAMESPACE } from './admin/liveOrdersSchemas';
import { registerSessionCookies } from './admin/sessionCookies';
import { AuditLog } from './audit/auditLog';
import { PublishSchedule } from './menus/publishSchedule';
import { CloseOfDay } from './reports/closeOfDay';
import type { AdminDatabase, ServerDb } from './db/client';
import type { SqlPool } from './db/sql';
import { CursorReports } from './feed/cursorReports';
import { registerAddressLimits } from './http/addressLimits';
import { registerAdminApp } from './http/adminApp';
import { registerHealthRoute } from './http/health';
import { createHttpApp } from './http/httpApp';
import { registerMetricsRoute } from './http/metricsRoute';
import { Budgets, DEFAULT_LIMITS, type Limits } from './limits/budgets';
import { NO_PROXY, type TrustedProxies } from './limits/clientAddress';
import { silentLogger, type Logger } from './log';
import { ServerMetrics } from './metrics';
import { MenuCatalog } from './menus/menuCatalog';
import { StoreRules } from './stores/storeRules';
import { ReceiptKeys } from './receipts/receiptKeys';
import { registerReceiptRoutes } from './receipts/receiptRoutes';
import { MutationMerger } from './orders/mutationMerger';
import { StoreAuthorities } from './devices/deviceCertificates';
import { MAX_MESSAGE_BYTES, TERMINAL_NAMESPACE, type Change, type ServerToTerminalEvents, type TerminalToServerEvents } from './protocol/events';
import { changesByRoom, helloOnlyRooms } from './terminals/feedReaders';
import { deviceRoom, registerTerminalNamespace, storeRoom, type SocketData, type TerminalNamespace } from './terminals/terminalNamespace';

export interface ServerDeps {
  /** Prisma, for what terminals ask of the server. */
  db: ServerDb;
  /** The same database through node-postgres, for the hot path (see db/sql.ts). */
  sql: SqlPool;
  /** Connections of their own for /health and head office (see db/client.ts). */
  admin: AdminDatabase;
  log?: Logger;
  /** The server's clock; tests move it. */
  now?: () => number;
  /**
   * Socket.IO adapter shared by several server nodes (the PostgreSQL adapter in production), so a
   * change committed through one node reaches terminals connected to another.
   */
  adapter?: ServerOptions['adapter'];
  /** Proxies whose X-Forwarded-For names the client (TILLSYNC_TRUSTED_PROXIES); none by default. */
  trustProxy?: TrustedProxies;
  limits?: Limits;
  /** The bearer token a Prometheus scraper gives for /metrics (TILLSYNC_METRICS_TOKEN); no /metrics without it. */
  metricsToken?: string;
  /** The built admin app served at /admin (dist/admin). */
  adminAppDir?: string;
  /** TILLSYNC_RECEIPT_SECRET; without it the secret is made once and kept in the database. */
  receiptSecret?: string;
  /** TILLSYNC_AUTHORITY_SECRET, which stores' authority keys are sealed with; without it they are kept plain. */
  authoritySecret?: string;
}

export interface SyncServer {
  http: HttpServer;
  io: SocketServer<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>;
  terminals: TerminalNamespace;
  audit: AuditLog;
  /** Sends committed changes to the terminals of their stores. */
  broadcast(changes: Map<string, Change[]>): void;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

/** Expired admin sessions are deleted this often. */
const SESSION_PURGE_MS = 60 * 60_000;

export async function createServer({ db, sql, admin, log = silentLogger, now = Date.now, adapter, trustProxy = NO_PROXY, limits = DEFAULT_LIMITS, metricsToken, adminAppDir, receiptSecret, authoritySecret }: ServerDeps): Promise<SyncServer> {
  const app = await createHttpApp({ log, trustProxy });
  // Socket.IO shares Fastify's server: it answers its own path (and the websocket upgrades) first.
  const http = app.server;
  const io = new SocketServer<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>(http, {
    // Websocket only: no long-polling, so several nodes need no sticky sessions.
    transports: ['websocket'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // A store's line that dies without a word (no reset) is found out by these pings: within 15 s,
    // not Socket.IO's default 45, so a terminal turns to its LAN and comes back to the cloud soon.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    ...(adapter ? { adapter } : {}),
  });
  const terminals: TerminalNamespace = io.of(TERMINAL_NAMESPACE);
  // The server's event types are the terminals'; head office's namespace speaks its own.
  const admins = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;

  const metrics = new ServerMetrics({
    terminals: () => [...terminals.sockets.values()].map(({ data: { device } }) => ({ deviceId: device.id, storeId: device.storeId, role: device.role })),
    pools: { terminals: sql.pool, admin: admin.pool },
  });
  // Alone (no adapter), this node holds every socket: a list for a kind of reader none of them is
  // is not written at all, since every emit serialises its whole list even to an empty room. With
  // other nodes, any kind may be connected to one of them.
  const listening = adapter ? undefined : (room: string) => terminals.adapter.rooms.has(room);
  const broadcast = (changes: Map<string, Change[]>) =>
    metrics.broadcast(changes, () => {
      for (const [storeId, list] of changes) {
        // A new menu, a store change, a payment or a bump is written otherwise for terminals from before it.
        const byRoom = changesByRoom(storeId, list, listening);
        if (byRoom.size === 1) terminals.to(storeRoom(storeId)).emit('feed:changes', { changes: [...byRoom.keys()][0]! });
        else for (const [written, rooms] of byRoom) terminals.to(rooms).emit('feed:changes', { changes: written });
        // Those that cannot apply a store change take the store's settings from a new hello.
        if (list.some((c) => c.kind === 'store.changed')) terminals.in(helloOnlyRooms(storeId)).disconnectSockets(true);
      }
      liveOrders.publish(changes);
    });
  const audit = new AuditLog(admin.db, log, now);
  const budgets = new Budgets(sql.pool, admin.pool, limits, (budget, key) => {
    log.warn('a budget ran out', { budget, key });
    audit.record({ action: 'limit-tripped', actor: { type: 'anonymous' }, detail: { budget, key } });
  });
  const liveOrders = registerLiveOrders(admins, { db: admin.db, budgets, trustProxy, log, now, alone: !adapter });
  const menus = new MenuCatalog(db);
  const merger = new MutationMerger(sql, broadcast, log);
  const cursors = new CursorReports(db, log);
  const receiptKeys = new ReceiptKeys(sql, receiptSecret);
  const authorities = new StoreAuthorities(sql, authoritySecret, log);
  registerTerminalNamespace(terminals, { db, sql, menus, stores: new StoreRules(db, now), merger, cursors, budgets, audit, metrics, receiptKeys, authorities, broadcast, trustProxy, log, now });

  registerHealthRoute(app, { admin: admin.db, terminals: sql.pool }, () => terminals.sockets.size);
  if (metricsToken) registerMetricsRoute(app, metrics, metricsToken);
  await registerAddressLimits(app, budgets);
  await registerSessionCookies(app);
  await registerAdminApp(app, adminAppDir);
  await registerReceiptRoutes(app, { db: admin.db, budgets, keys: receiptKeys, menus });
  await registerAdminRoutes(app, {
    db: admin.db,
    budgets,
    audit,
    broadcast,
    // Through the adapter this reaches the device's sockets on every node.
    disconnectDevice: (deviceId) => terminals.in(deviceRoom(deviceId)).disconnectSockets(true),
    onlineDevices: async (storeId) => new Set((await terminals.in(storeRoom(storeId)).fetchSockets()).map((socket) => socket.data.device.id)),
    endSessions: (ended) => liveOrders.endSessions(ended),
    now,
  });
  const schedule = new PublishSchedule(admin.db, { broadcast, audit, log, now });
  const closeOfDay = new CloseOfDay(admin.db, { log, now });
  await app.ready();
  schedule.start();
  closeOfDay.start();
  const purge = () =>
    purgeExpiredSessions(admin.db, new Date(now())).catch((error: unknown) => log.warn('could not purge expired sessions', { error: String(error) }));
  void purge();
  const purger = setInterval(purge, SESSION_PURGE_MS);
  purger.unref();

  return {
    http,
    io,
    terminals,
    audit,
    broadcast,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host }); // Fastify logs the address
      const { port: bound } = http.address() as AddressInfo;
      return { port: bound, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}` };
    },
    async close() {
      clearInterval(purger);
      await schedule.stop();
      await closeOfDay.stop();
      // Let queued uploads commit first, so their terminals still get their acknowledgements.
      await merger.drained();
      await cursors.close();
      await audit.close();
      // Socket.IO closes its sockets and the HTTP server; Fastify then runs its own onClose hooks.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await app.close();
    },
  };
}
