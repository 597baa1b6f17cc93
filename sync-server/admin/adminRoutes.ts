// The admin REST API (/api): sign-in, stores, devices and pairing, menus, availability. Every body
// is parsed by a schema; every change a terminal must know about goes out on its store's feed.
import { z } from 'zod';
import type { ServerDb } from '../db/client';
import { createPairingCode, redeemPairingCode } from '../devices/pairing';
import { revokeDevice } from '../devices/revokeDevice';
import type { Handler, HttpRequest, HttpResponse, Router } from '../http/router';
import { RateLimiter } from '../http/rateLimiter';
import { createMenuVersion, publishMenuVersion, rollBackMenu, setAvailability } from '../menus/menuCatalog';
import { AppError } from '../protocol/errors';
import { DeviceRoleSchema, type Change } from '../protocol/events';
import { MenuDocumentSchema, MenuId } from '../protocol/menu';
import { PairingRequestSchema } from '../protocol/protocolSchemas';
import { createStore, NewStoreSchema } from '../stores/stores';
import { authenticate, mayManage, signIn, signOut, type AdminPrincipal } from './adminAccounts';

export interface AdminServices {
  db: ServerDb;
  broadcast(changes: Map<string, Change[]>): void;
  /** Closes a device's connections on every server node. */
  disconnectDevice(deviceId: string): void;
  now(): number;
}

const MAX_MENU_BYTES = 1 << 20;
const SignInSchema = z.strictObject({ email: z.string().max(200), password: z.string().max(200) });
const NewPairingCodeSchema = z.strictObject({ role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });
const PublishSchema = z.strictObject({ storeIds: z.array(z.uuid()).min(1).max(1000) });
const AvailabilitySchema = z.strictObject({ available: z.boolean() });

export function registerAdminRoutes(router: Router, services: AdminServices): void {
  const { db } = services;
  // Guessing a pairing code or a password gets ten tries a minute per address.
  const attempts = new RateLimiter(10, 60_000, services.now);

  /** Routes that need a signed-in admin; `storeParam` names a store they must be allowed to manage. */
  const admin =
    (handler: (request: HttpRequest, principal: AdminPrincipal) => Promise<HttpResponse>, options: { ownerOnly?: boolean; storeParam?: string } = {}): Handler =>
    async (request) => {
      const principal = await authenticate(db, request.header('authorization'), new Date(services.now()));
      if (options.ownerOnly && principal.role !== 'owner') throw new AppError('FORBIDDEN_FOR_ROLE', 'Only an owner may do this.');
      if (options.storeParam) {
        const storeId = request.params[options.storeParam]!;
        if (!z.uuid().safeParse(storeId).success || !mayManage(principal, storeId)) throw new AppError('STORE_NOT_FOUND');
        if (!(await db.store.count({ where: { id: storeId } }))) throw new AppError('STORE_NOT_FOUND');
      }
      return handler(request, principal);
    };

  router
    .on('POST', '/api/sessions', async (request) => {
      attempts.take(`sign-in ${request.ip}`);
      const { email, password } = await request.json(SignInSchema);
      return { status: 201, body: await signIn(db, email, password, new Date(services.now())) };
    })
    .on(
      'DELETE',
      '/api/sessions',
      admin(async (request) => {
        await signOut(db, request.header('authorization')!.slice('Bearer '.length));
        return { status: 204 };
      }),
    )
    .on(
      'GET',
      '/api/stores',
      admin(async (_request, principal) => {
        const stores = await db.store.findMany({
          where: principal.storeIds === null ? {} : { id: { in: [...principal.storeIds] } },
          orderBy: { name: 'asc' },
        });
        return { status: 200, body: { stores } };
      }),
    )
    .on(
      'POST',
      '/api/stores',
      admin(async (request) => ({ status: 201, body: await createStore(db, await request.json(NewStoreSchema)) }), { ownerOnly: true }),
    )
    .on(
      'GET',
      '/api/stores/:storeId/devices',
      admin(
        async (request) => {
          const devices = await db.device.findMany({
            where: { storeId: request.params.storeId! },
            select: { id: true, name: true, role: true, orderPrefix: true, cursor: true, createdAt: true, lastSeenAt: true, revokedAt: true },
            orderBy: { createdAt: 'asc' },
          });
          return { status: 200, body: { devices } };
        },
        { storeParam: 'storeId' },
      ),
    )
    .on(
      'POST',
      '/api/stores/:storeId/pairing-codes',
      admin(
        async (request) => {
          const { role, name } = await request.json(NewPairingCodeSchema);
          return { status: 201, body: await createPairingCode(db, { storeId: request.params.storeId!, role, name }, new Date(services.now())) };
        },
        { storeParam: 'storeId' },
      ),
    )
    .on('POST', '/api/pairing', async (request) => {
      attempts.take(`pairing ${request.ip}`);
      const { code } = await request.json(PairingRequestSchema);
      const { device, token } = await redeemPairingCode(db, code, new Date(services.now()));
      return { status: 201, body: { deviceToken: token, device: { id: device.id, name: device.name, role: device.role, storeId: device.storeId } } };
    })
    .on(
      'POST',
      '/api/devices/:deviceId/revoke',
      admin(async (request, principal) => {
        const deviceId = request.params.deviceId!;
        const device = z.uuid().safeParse(deviceId).success ? await db.device.findUnique({ where: { id: deviceId } }) : null;
        if (!device || !mayManage(principal, device.storeId)) throw new AppError('DEVICE_NOT_FOUND');
        if (!device.revokedAt) {
          services.broadcast(await revokeDevice(db, deviceId, new Date(services.now())));
          services.disconnectDevice(deviceId);
        }
        return { status: 200, body: { device: await db.device.findUniqueOrThrow({ where: { id: deviceId }, select: { id: true, name: true, revokedAt: true } }) } };
      }),
    )
    .on(
      'GET',
      '/api/menus',
      admin(async () => ({
        status: 200,
        body: { menus: await db.menuVersion.findMany({ select: { id: true, name: true, createdAt: true }, orderBy: { createdAt: 'desc' } }) },
      })),
    )
    .on(
      'POST',
      '/api/menus',
      admin(
        async (request) => {
          const version = await createMenuVersion(db, await request.json(MenuDocumentSchema, MAX_MENU_BYTES));
          return { status: 201, body: { id: version.id, name: version.name, createdAt: version.createdAt } };
        },
        { ownerOnly: true },
      ),
    )
    .on(
      'POST',
      '/api/menus/:menuVersionId/publish',
      admin(async (request, principal) => {
        const menuVersionId = z.uuid().safeParse(request.params.menuVersionId).data;
        if (!menuVersionId) throw new AppError('MENU_VERSION_UNKNOWN', 'There is no such menu version.');
        const { storeIds } = await request.json(PublishSchema);
        if (!storeIds.every((id) => mayManage(principal, id))) throw new AppError('STORE_NOT_FOUND');
        services.broadcast(await db.$transaction((tx) => publishMenuVersion(tx, menuVersionId, storeIds)));
        return { status: 200, body: { menuVersionId, storeIds } };
      }),
    )
    .on(
      'POST',
      '/api/stores/:storeId/menu/rollback',
      admin(
        async (request) => {
          const { menuVersionId, changes } = await db.$transaction((tx) => rollBackMenu(tx, request.params.storeId!));
          services.broadcast(changes);
          return { status: 200, body: { menuVersionId } };
        },
        { storeParam: 'storeId' },
      ),
    )
    .on(
      'PUT',
      '/api/stores/:storeId/items/:itemId/availability',
      admin(
        async (request) => {
          const itemId = MenuId.safeParse(request.params.itemId).data;
          if (!itemId) throw new AppError('UNKNOWN_ITEM', 'There is no such item.', 'itemId');
          const { available } = await request.json(AvailabilitySchema);
          const storeId = request.params.storeId!;
          services.broadcast(await db.$transaction((tx) => setAvailability(tx, storeId, itemId, available, new Date(services.now()))));
          return { status: 200, body: { storeId, itemId, available } };
        },
        { storeParam: 'storeId' },
      ),
    );
}
