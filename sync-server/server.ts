// The sync server, built from its dependencies so tests and the demo can start it on port 0 with a
// real database: createServer({ db, sql }).listen(0).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer, type ServerOptions } from 'socket.io';
import { registerAdminRoutes } from './admin/adminRoutes';
import type { ServerDb } from './db/client';
import type { SqlPool } from './db/sql';
import { CursorReports } from './feed/cursorReports';
import { health } from './http/health';
import { Router } from './http/router';
import { silentLogger, type Logger } from './log';
import { MenuCatalog } from './menus/menuCatalog';
import { StoreRules } from './stores/storeRules';
import { MutationMerger } from './orders/mutationMerger';
import { MAX_MESSAGE_BYTES, TERMINAL_NAMESPACE, type Change, type ServerToTerminalEvents, type TerminalToServerEvents } from './protocol/events';
import { deviceRoom, registerTerminalNamespace, storeRoom, type SocketData, type TerminalNamespace } from './terminals/terminalNamespace';

export interface ServerDeps {
  db: ServerDb;
  /** The same database through node-postgres, for the hot path (see db/sql.ts). */
  sql: SqlPool;
  log?: Logger;
  /** The server's clock; tests move it. */
  now?: () => number;
  /**
   * Socket.IO adapter shared by several server nodes (the PostgreSQL adapter in production), so a
   * change committed through one node reaches terminals connected to another.
   */
  adapter?: ServerOptions['adapter'];
}

export interface SyncServer {
  http: HttpServer;
  io: SocketServer<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>;
  terminals: TerminalNamespace;
  /** Sends committed changes to the terminals of their stores. */
  broadcast(changes: Map<string, Change[]>): void;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

export function createServer({ db, sql, log = silentLogger, now = Date.now, adapter }: ServerDeps): SyncServer {
  const startedAt = Date.now();
  const http = createHttpServer();
  const io = new SocketServer<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>(http, {
    // Websocket only: no long-polling, so several nodes need no sticky sessions.
    transports: ['websocket'],
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    ...(adapter ? { adapter } : {}),
  });
  const terminals: TerminalNamespace = io.of(TERMINAL_NAMESPACE);

  const broadcast = (changes: Map<string, Change[]>) => {
    for (const [storeId, list] of changes) terminals.to(storeRoom(storeId)).emit('feed:changes', { changes: list });
  };
  const menus = new MenuCatalog(db);
  const merger = new MutationMerger(sql, broadcast, log);
  const cursors = new CursorReports(db, log);
  registerTerminalNamespace(terminals, { db, sql, menus, stores: new StoreRules(db, now), merger, cursors, log, now });

  const router = new Router(log).on('GET', '/health', () => health(db, startedAt, () => terminals.sockets.size));
  registerAdminRoutes(router, {
    db,
    broadcast,
    // Through the adapter this reaches the device's sockets on every node.
    disconnectDevice: (deviceId) => terminals.in(deviceRoom(deviceId)).disconnectSockets(true),
    now,
  });
  http.on('request', (req, res) => {
    // Socket.IO answers its own path; everything else is ours or a 404.
    if (req.url?.startsWith('/socket.io/')) return;
    void router.dispatch(req, res).then((handled) => {
      if (handled) return;
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'UNKNOWN_OPERATION', message: 'There is nothing at this address.' } }));
    });
  });

  return {
    http,
    io,
    terminals,
    broadcast,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const { port: bound } = http.address() as AddressInfo;
          log.info('sync server listening', { port: bound, host });
          resolve({ port: bound, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}` });
        });
      });
    },
    async close() {
      // Let queued uploads commit first, so their terminals still get their acknowledgements.
      await merger.drained();
      await cursors.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
