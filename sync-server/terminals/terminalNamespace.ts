// The `/terminal` Socket.IO namespace: how kiosks, kitchen displays and boards talk to the server.
// Each handler reads as validate → persist → acknowledge; broadcasts follow commits (see server.ts).
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import type { ServerDb } from '../db/client';
import type { SqlPool } from '../db/sql';
import { hashDeviceToken } from '../devices/deviceTokens';
import type { CursorReports } from '../feed/cursorReports';
import { headSeq, readChanges } from '../feed/changeFeed';
import { snapshotOrders, takeSnapshot } from '../feed/snapshot';
import type { Logger } from '../log';
import type { MenuCatalog } from '../menus/menuCatalog';
import type { StoreRules } from '../stores/storeRules';
import type { DeviceContext, MutationMerger } from '../orders/mutationMerger';
import { prepareMutation } from '../orders/prepareMutation';
import { AppError, ERROR_CODES, ok, toErrorBody, type ErrorCode, type Result } from '../protocol/errors';
import {
  AppliedReportSchema,
  HandshakeAuthSchema,
  HeldOrdersRequestSchema,
  HelloRequestSchema,
  PullRequestSchema,
  PushRequestSchema,
  SnapshotOrdersRequestSchema,
  SnapshotRequestSchema,
  type ServerToTerminalEvents,
  type TerminalToServerEvents,
} from '../protocol/events';
import { parseInput } from '../protocol/parse';

export interface SocketData {
  device: DeviceContext;
}

export type TerminalSocket = Socket<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>;
export type TerminalNamespace = Namespace<TerminalToServerEvents, ServerToTerminalEvents, Record<string, never>, SocketData>;

export const storeRoom = (storeId: string) => `store:${storeId}`;
export const deviceRoom = (deviceId: string) => `device:${deviceId}`;

export interface TerminalServices {
  db: ServerDb;
  sql: SqlPool;
  menus: MenuCatalog;
  stores: StoreRules;
  merger: MutationMerger;
  cursors: CursorReports;
  log: Logger;
  now: () => number;
}

const DEFAULT_PULL_LIMIT = 500;

function connectError(code: ErrorCode): Error {
  // Socket.IO hands `data` to the client's connect_error listener.
  return Object.assign(new Error(ERROR_CODES[code]), { data: { code, message: ERROR_CODES[code] } });
}

export function registerTerminalNamespace(nsp: TerminalNamespace, services: TerminalServices): void {
  const { db, log } = services;

  nsp.use(async (socket, next) => {
    try {
      const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return next(connectError('AUTH_REQUIRED'));
      const device = await db.device.findUnique({
        where: { tokenHash: hashDeviceToken(auth.data.token) },
        select: { id: true, storeId: true, role: true, orderPrefix: true, revokedAt: true },
      });
      if (!device) return next(connectError('AUTH_INVALID'));
      if (device.revokedAt) return next(connectError('DEVICE_REVOKED'));
      socket.data.device = { id: device.id, storeId: device.storeId, role: device.role, orderPrefix: device.orderPrefix };
      next();
    } catch (error) {
      log.error('terminal authentication failed', { error: String(error) });
      next(connectError('UNAVAILABLE'));
    }
  });

  nsp.on('connection', (socket) => {
    const { device } = socket.data;
    void socket.join([storeRoom(device.storeId), deviceRoom(device.id)]);

    /** Validate → run → acknowledge. Only known error codes reach the terminal. */
    const handle = <S extends z.ZodType, T>(schema: S, run: (request: z.output<S>) => Promise<T>) =>
      async (request: unknown, ack: unknown) => {
        if (typeof ack !== 'function') return; // Every request event needs an acknowledgement.
        let result: Result<T>;
        try {
          result = ok(await run(parseInput(schema, request)));
        } catch (error) {
          if (!(error instanceof AppError)) log.error('terminal request failed', { deviceId: device.id, error: String(error) });
          result = { ok: false, error: toErrorBody(error) };
        }
        ack(result);
      };

    socket.on(
      'session:hello',
      handle(HelloRequestSchema, async ({ cursor }) => {
        const row = await db.device.findUniqueOrThrow({ where: { id: device.id }, include: { store: true } });
        const { store } = row;
        const [{ highest }] = await services.sql.$queryRawUnsafe<[{ highest: number }]>(
          `SELECT COALESCE(max("mutationId"), 0)::float8 AS highest FROM "DeviceMutation" WHERE "deviceId" = $1::uuid`,
          device.id,
        );
        return {
          device: { id: row.id, name: row.name, role: row.role, orderPrefix: row.orderPrefix },
          store: {
            id: store.id,
            name: store.name,
            timeZone: store.timeZone,
            currency: store.currency,
            taxRateBp: store.taxRateBp,
            pricesIncludeTax: store.pricesIncludeTax,
          },
          serverTime: services.now(),
          headSeq: store.changeSeq,
          // A cursor ahead of the feed means the server's data was restored from an older backup.
          snapshotRequired: cursor === 0 || cursor > store.changeSeq,
          lastMutationId: highest,
        };
      }),
    );

    socket.on('feed:snapshot', handle(SnapshotRequestSchema, () => takeSnapshot(db, device.storeId, new Date(services.now()))));
    socket.on('feed:snapshotOrders', handle(SnapshotOrdersRequestSchema, ({ after }) => snapshotOrders(db, device.storeId, after, new Date(services.now()))));

    socket.on(
      'feed:pull',
      handle(PullRequestSchema, async ({ after, limit }) => {
        // Read the head first: every change up to it is committed, so the page has no holes.
        const head = await headSeq(services.sql, device.storeId);
        const changes = await readChanges(services.sql, device.storeId, after, Math.min(limit ?? DEFAULT_PULL_LIMIT, Math.max(head - after, 0)));
        return { changes, headSeq: head, serverTime: services.now() };
      }),
    );

    socket.on(
      'mutations:push',
      handle(PushRequestSchema, async ({ mutations }) => {
        const prepared = await Promise.all(mutations.map((m) => prepareMutation(services, device, m)));
        return { results: await services.merger.submit(device, prepared), serverTime: services.now() };
      }),
    );

    socket.on(
      'orders:held',
      handle(HeldOrdersRequestSchema, async ({ orderIds }) => {
        const held = await services.sql.$queryRawUnsafe<Array<{ id: string }>>(
          `SELECT id FROM "Order" WHERE id = ANY($1::uuid[]) AND "deviceId" = $2::uuid`,
          orderIds,
          device.id,
        );
        return { held: held.map((o) => o.id) };
      }),
    );

    socket.on('feed:applied', (report: unknown) => {
      const parsed = AppliedReportSchema.safeParse(report);
      if (parsed.success) services.cursors.report(device.id, parsed.data.seq);
    });
  });
}
