// The `/terminal` Socket.IO namespace: how kiosks, kitchen displays and boards talk to the server.
// Each handler reads as validate → persist → acknowledge; broadcasts follow commits (see server.ts).
// Every device works within its budgets (limits/budgets.ts), so none can hurt the others.
import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import type { AuditLog } from '../audit/auditLog';
import type { ServerDb } from '../db/client';
import type { SqlPool } from '../db/sql';
import { certifyDevice, type StoreAuthorities } from '../devices/deviceCertificates';
import { hashDeviceToken } from '../devices/deviceTokens';
import { lanMoved, storePeersChange } from '../devices/storePeers';
import { appendChanges } from '../feed/changeFeed';
import type { CursorReports } from '../feed/cursorReports';
import { headSeq, readChanges } from '../feed/changeFeed';
import { lockFeedReads, oneFeedReadAtATime } from '../feed/feedReads';
import { snapshotOrders, takeSnapshot } from '../feed/snapshot';
import type { Budgets } from '../limits/budgets';
import { addressKey, clientAddress, type TrustedProxies } from '../limits/clientAddress';
import { connectRefusal, keepNewestSockets } from '../limits/socketHolders';
import type { Logger } from '../log';
import type { ServerMetrics } from '../metrics';
import type { MenuCatalog } from '../menus/menuCatalog';
import type { StoreRules } from '../stores/storeRules';
import { plausibleOutage, recordOutage } from '../stores/storeOutages';
import type { DeviceContext, MutationMerger } from '../orders/mutationMerger';
import { prepareMutation } from '../orders/prepareMutation';
import { AppError, ERROR_CODES, ok, toErrorBody, type ErrorCode, type Result } from '../protocol/errors';
import {
  AppliedReportSchema,
  CertifyRequestSchema,
  HandshakeAuthSchema,
  HeldOrdersRequestSchema,
  HelloRequestSchema,
  PullRequestSchema,
  PushRequestSchema,
  SnapshotOrdersRequestSchema,
  SnapshotRequestSchema,
  type Change,
  type ServerToTerminalEvents,
  type TerminalToServerEvents,
} from '../protocol/events';
import { parseInput } from '../protocol/parse';
import type { ReceiptKeys } from '../receipts/receiptKeys';
import { kioskSettingsOf, kitchenSettingsOf } from '../protocol/settingsDefaults';
import { DevicePushes } from './devicePushes';
import { changesFor, readerOf, readerRoom, resultsFor, snapshotFor, snapshotOrdersFor, type FeedReader } from './feedReaders';

export interface SocketData {
  device: DeviceContext;
  /** What the terminal reads of the feed (terminals/feedReaders.ts). */
  reader: FeedReader;
  /** The client's address, as the trusted proxies tell it. */
  address: string;
  /** The terminal app's version, when it says. */
  appVersion: string | undefined;
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
  budgets: Budgets;
  audit: AuditLog;
  metrics: ServerMetrics;
  receiptKeys: ReceiptKeys;
  authorities: StoreAuthorities;
  /** Sends committed changes to the store's terminals (server.ts). */
  broadcast(changes: Map<string, Change[]>): void;
  trustProxy: TrustedProxies;
  log: Logger;
  now: () => number;
}

const DEFAULT_PULL_LIMIT = 500;
/** Pushes a socket may send while told to wait, before it is disconnected. */
const MAX_IGNORED_WAITS = 20;

const refused = (code: ErrorCode) => connectRefusal({ code, message: ERROR_CODES[code] });

export function registerTerminalNamespace(nsp: TerminalNamespace, services: TerminalServices): void {
  const { db, log, budgets, audit } = services;
  const pushes = new DevicePushes(budgets.limits.pushesWaiting);
  /** The hello's `storeAuthority`. A key this node cannot open is logged where it is read; the hello goes on without it. */
  const authorityOf = async (storeId: string) => {
    try {
      return { storeAuthority: await services.authorities.fingerprintOf(storeId, new Date(services.now())) };
    } catch {
      return {};
    }
  };

  nsp.use(async (socket, next) => {
    try {
      const address = clientAddress(socket.request, services.trustProxy);
      // Before anything is looked up: a flood of handshakes costs one budget check each.
      await budgets.takeHandshake(addressKey(address));
      const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!auth.success) return next(refused('AUTH_REQUIRED'));
      const device = await db.device.findUnique({
        where: { tokenHash: hashDeviceToken(auth.data.token) },
        select: { id: true, storeId: true, role: true, orderPrefix: true, revokedAt: true },
      });
      if (!device) return next(refused('AUTH_INVALID'));
      if (device.revokedAt) return next(refused('DEVICE_REVOKED'));
      socket.data.device = { id: device.id, storeId: device.storeId, role: device.role, orderPrefix: device.orderPrefix };
      socket.data.address = address;
      socket.data.reader = readerOf(auth.data);
      socket.data.appVersion = auth.data.appVersion;
      next();
    } catch (error) {
      if (error instanceof AppError) return next(connectRefusal(error.toBody()));
      log.error('terminal authentication failed', { error: String(error) });
      next(refused('UNAVAILABLE'));
    }
  });

  nsp.on('connection', (socket) => {
    const { device, reader } = socket.data;
    void socket.join([storeRoom(device.storeId), deviceRoom(device.id), readerRoom(device.storeId, reader)]);
    void keepNewestSockets(nsp, deviceRoom(device.id), budgets.limits.socketsPerDevice).catch((error: unknown) => log.warn('could not count a device\'s sockets', { error: String(error) }));

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
      handle(HelloRequestSchema, async ({ cursor, lan, offlineSince }) => {
        // Every hello is a sighting: head office sees the device as seen now, and which version it runs.
        const seenAt = new Date(services.now());
        const row = await db.device.update({
          where: { id: device.id },
          data: { lastSeenAt: seenAt, ...(socket.data.appVersion ? { appVersion: socket.data.appVersion } : {}) },
          include: { store: true },
        });
        // An outage a terminal cannot have had (a wrong clock) is left out, not refused: it still works.
        const outage = offlineSince ? { storeId: device.storeId, deviceId: device.id, offlineSince: new Date(offlineSince), backAt: seenAt } : null;
        if (outage && plausibleOutage(outage)) await recordOutage(db, outage);
        if (lan && lanMoved(row, lan)) {
          // The store's other terminals dial it where it listens now.
          services.broadcast(
            await db.$transaction(async (tx) => {
              await tx.device.update({ where: { id: device.id }, data: { lanHosts: lan.hosts, lanPort: lan.port } });
              return appendChanges(tx, [{ storeId: device.storeId, body: await storePeersChange(tx, device.storeId) }]);
            }),
          );
        }
        const { store } = row;
        const [{ highest }] = await services.sql.$queryRawUnsafe<[{ highest: number }]>(
          `SELECT COALESCE(max("mutationId"), 0)::float8 AS highest FROM "DeviceMutation" WHERE "deviceId" = $1::uuid`,
          device.id,
        );
        return {
          device: {
            id: row.id,
            name: row.name,
            role: row.role,
            orderPrefix: row.orderPrefix,
            ...(reader.stations && row.role === 'kitchen' ? { kitchen: { stations: row.stations, expo: row.expo } } : {}),
          },
          store: {
            id: store.id,
            name: store.name,
            timeZone: store.timeZone,
            currency: store.currency,
            taxRateBp: store.taxRateBp,
            pricesIncludeTax: store.pricesIncludeTax,
            ...(reader.payments ? { address: store.address, kiosk: kioskSettingsOf(store.kiosk) } : {}),
            ...(reader.stations ? { kitchen: kitchenSettingsOf(store.kitchen) } : {}),
          },
          serverTime: services.now(),
          headSeq: store.changeSeq,
          // A cursor ahead of the feed means the server's data was restored from an older backup.
          snapshotRequired: cursor === 0 || cursor > store.changeSeq,
          lastMutationId: highest,
          // Kiosks print receipts; only those that read payments know what to do with the key.
          ...(reader.payments && row.role === 'kiosk' ? { receiptKey: await services.receiptKeys.keyOf(row.id) } : {}),
          ...(reader.peers ? await authorityOf(device.storeId) : {}),
        };
      }),
    );

    socket.on(
      'feed:snapshot',
      // Repeatable read: every query of the snapshot sees the instant its `seq` names.
      handle(SnapshotRequestSchema, async () => {
        const snapshot = await oneFeedReadAtATime(db, device.id, (tx) => takeSnapshot(tx, device.storeId, services.menus, new Date(services.now())), { isolationLevel: 'RepeatableRead' });
        return snapshotFor(reader, device.storeId, snapshot);
      }),
    );
    socket.on(
      'feed:snapshotOrders',
      handle(SnapshotOrdersRequestSchema, async ({ after }) =>
        snapshotOrdersFor(reader, await oneFeedReadAtATime(db, device.id, (tx) => snapshotOrders(tx, device.storeId, after, new Date(services.now())))),
      ),
    );

    socket.on(
      'feed:pull',
      handle(PullRequestSchema, ({ after, limit }) =>
        services.sql.transaction(async (tx) => {
          await lockFeedReads(tx, device.id);
          // Read the head first: every change up to it is committed, so the page has no holes.
          const head = await headSeq(tx, device.storeId);
          const changes = await readChanges(tx, device.storeId, after, Math.min(limit ?? DEFAULT_PULL_LIMIT, Math.max(head - after, 0)));
          return { changes: changesFor(reader, device.storeId, changes), headSeq: head, serverTime: services.now() };
        }),
      ),
    );

    const push = handle(PushRequestSchema, ({ mutations }) => {
      const arrived = performance.now();
      return pushes.oneAtATime(device.id, async () => {
        await budgets.takeMutations(device.id, mutations.length);
        const prepared = await Promise.all(mutations.map((m) => prepareMutation(services, device, m)));
        const results = await services.merger.submit(device, prepared);
        const orders = new Set(mutations.filter((m) => m.kind === 'order.place').map((m) => m.id));
        services.metrics.pushAnswered((performance.now() - arrived) / 1000, orders, results);
        return { results: resultsFor(reader, results), serverTime: services.now() };
      });
    });
    let ignoredWaits = 0;
    socket.on('mutations:push', (request: unknown, ack: unknown) => {
      const wait = budgets.mutationsStillWaiting(device.id);
      if (!wait) return void push(request, ack);
      if (typeof ack === 'function') ack({ ok: false, error: wait.toBody() });
      // A terminal obeys the wait it is given; one that keeps sending is cut off.
      if (++ignoredWaits > MAX_IGNORED_WAITS) {
        log.warn('disconnecting a device that ignores the wait it was given', { deviceId: device.id });
        audit.record({ action: 'limit-tripped', actor: { type: 'device', id: device.id }, address: socket.data.address, storeId: device.storeId, detail: { budget: 'ignored-waits' } });
        socket.disconnect(true);
      }
    });

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

    socket.on(
      'device:certify',
      handle(CertifyRequestSchema, async ({ publicKey }) => {
        await budgets.takeCertificate(device.id);
        // Read again: a device revoked since this socket signed in gets nothing more.
        const row = await db.device.findUniqueOrThrow({ where: { id: device.id }, select: { role: true, revokedAt: true } });
        if (row.revokedAt) throw new AppError('DEVICE_REVOKED');
        return certifyDevice(services.authorities, { deviceId: device.id, storeId: device.storeId, role: row.role }, publicKey, new Date(services.now()));
      }),
    );

    socket.on('feed:applied', (report: unknown) => {
      const parsed = AppliedReportSchema.safeParse(report);
      if (!parsed.success) return;
      services.cursors.report(device.id, parsed.data.seq);
      services.metrics.reportApplied(device.id, parsed.data.seq);
    });
    socket.on('disconnect', () => services.metrics.disconnected(device.id));
  });
}
