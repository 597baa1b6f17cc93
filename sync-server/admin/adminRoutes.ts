// The admin REST API (/api): sign-in and sessions, admins, stores, devices and pairing, menus,
// availability, the audit log. Every body is parsed by a schema; every change a terminal must know
// about goes out on its store's feed; every security event goes to the audit log.
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../audit/auditLog';
import { AUDIT_ACTIONS, readAuditEvents } from '../audit/auditLog';
import type { ServerDb } from '../db/client';
import { createPairingCode, redeemPairingCode, tagOf } from '../devices/pairing';
import { findDevice, listDevices } from '../devices/devices';
import { revokeDevice } from '../devices/revokeDevice';
import type { Handler, HttpRequest, HttpResponse, Router } from '../http/router';
import type { Budgets } from '../limits/budgets';
import { addressKey } from '../limits/clientAddress';
import { createMenuVersion, listMenuVersions, publishMenuVersion, rollBackMenu, setAvailability } from '../menus/menuCatalog';
import { menuPathLabel } from '../menus/menuProblems';
import { AppError } from '../protocol/errors';
import { parseAll, parseInput } from '../protocol/parse';
import { DeviceRoleSchema, type Change } from '../protocol/events';
import { MenuDocumentSchema, MenuId } from '../protocol/menu';
import { PairingRequestSchema } from '../protocol/protocolSchemas';
import { createStore, listStores, NewStoreSchema, storeExists } from '../stores/stores';
import {
  AdminChangeSchema,
  AdminRoleSchema,
  authenticate,
  changePassword,
  changeRole,
  checkPassword,
  createAdmin,
  EmailSchema,
  listAdmins,
  mayManage,
  PasswordSchema,
  signOut,
  signOutEverywhere,
  startSession,
  type AdminPrincipal,
} from './adminAccounts';

export interface AdminServices {
  /** Head office's own connections (see db/client.ts). */
  db: ServerDb;
  budgets: Budgets;
  audit: AuditLog;
  broadcast(changes: Map<string, Change[]>): void;
  /** Closes a device's connections on every server node. */
  disconnectDevice(deviceId: string): void;
  now(): number;
}

const MAX_MENU_BYTES = 1 << 20;
const SignInSchema = z.strictObject({ email: z.string().max(200), password: z.string().max(200) });
const PasswordChangeSchema = z.strictObject({ currentPassword: z.string().max(200), newPassword: PasswordSchema });
const NewAdminSchema = z.strictObject({
  email: EmailSchema,
  name: z.string().trim().min(1).max(80),
  password: PasswordSchema,
  role: AdminRoleSchema,
  storeIds: z.array(z.uuid()).max(1000).default([]),
});
const NewPairingCodeSchema = z.strictObject({ role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });
const PublishSchema = z.strictObject({ storeIds: z.array(z.uuid()).min(1).max(1000) });
const AvailabilitySchema = z.strictObject({ available: z.boolean() });
const AuditQuerySchema = z.strictObject({
  /** Events before this id (for the next page). */
  before: z.coerce.bigint().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.enum(AUDIT_ACTIONS).optional(),
  storeId: z.uuid().optional(),
});

export function registerAdminRoutes(router: Router, services: AdminServices): void {
  const { db, budgets, audit } = services;
  const now = () => new Date(services.now());
  const by = (principal: AdminPrincipal, request: HttpRequest): Pick<AuditEntry, 'actor' | 'address'> => ({
    actor: { type: 'admin', id: principal.userId, email: principal.email },
    address: request.ip,
  });

  /** Routes that need a signed-in admin; `storeParam` names a store they must be allowed to manage. */
  const admin =
    (handler: (request: HttpRequest, principal: AdminPrincipal) => Promise<HttpResponse>, options: { ownerOnly?: boolean; storeParam?: string } = {}): Handler =>
    async (request) => {
      const principal = await authenticate(db, request.header('authorization'), now());
      if (options.ownerOnly && principal.role !== 'owner') throw new AppError('FORBIDDEN_FOR_ROLE', 'Only an owner may do this.');
      if (options.storeParam) {
        const storeId = request.params[options.storeParam]!;
        if (!z.uuid().safeParse(storeId).success || !mayManage(principal, storeId)) throw new AppError('STORE_NOT_FOUND');
        if (!(await storeExists(db, storeId))) throw new AppError('STORE_NOT_FOUND');
      }
      return handler(request, principal);
    };

  router
    .on('POST', '/api/sessions', async (request) => {
      // Per address, then per account: a guesser with many addresses still meets the account's budget.
      await budgets.takeSignIn(addressKey(request.ip));
      const { email, password } = await request.json(SignInSchema);
      const account = email.trim().toLowerCase();
      await budgets.passwordMayBeTried(account);
      const user = await checkPassword(db, account, password);
      if (!user) {
        await budgets.passwordFailed(account);
        audit.record({ action: 'sign-in-failed', actor: { type: 'anonymous', email: account }, address: request.ip });
        throw new AppError('AUTH_INVALID', 'The email or the password is wrong.');
      }
      await budgets.passwordSucceeded(account);
      audit.record({ action: 'sign-in', actor: { type: 'admin', id: user.id, email: user.email }, address: request.ip });
      return { status: 201, body: await startSession(db, user, now()) };
    })
    .on(
      'DELETE',
      '/api/sessions',
      admin(async (request, principal) => {
        await signOut(db, principal);
        audit.record({ action: 'sign-out', ...by(principal, request) });
        return { status: 204 };
      }),
    )
    .on(
      'DELETE',
      '/api/me/sessions',
      admin(async (request, principal) => {
        const ended = await signOutEverywhere(db, principal.userId);
        audit.record({ action: 'sign-out-everywhere', ...by(principal, request), detail: { sessions: ended } });
        return { status: 200, body: { ended } };
      }),
    )
    .on(
      'POST',
      '/api/me/password',
      admin(async (request, principal) => {
        const { currentPassword, newPassword } = await request.json(PasswordChangeSchema);
        await changePassword(db, principal, currentPassword, newPassword);
        audit.record({ action: 'password-changed', ...by(principal, request) });
        return { status: 204 };
      }),
    )
    .on(
      'GET',
      '/api/admins',
      admin(async () => ({ status: 200, body: { admins: (await listAdmins(db)).map(({ stores, ...a }) => ({ ...a, storeIds: stores.map((s) => s.storeId) })) } }), { ownerOnly: true }),
    )
    .on(
      'POST',
      '/api/admins',
      admin(
        async (request, principal) => {
          const created = await createAdmin(db, await request.json(NewAdminSchema));
          audit.record({ action: 'admin-created', ...by(principal, request), detail: { adminId: created.id, email: created.email, role: created.role } });
          return { status: 201, body: created };
        },
        { ownerOnly: true },
      ),
    )
    .on(
      'PATCH',
      '/api/admins/:adminId',
      admin(
        async (request, principal) => {
          const adminId = z.uuid().safeParse(request.params.adminId).data;
          if (!adminId) throw new AppError('ADMIN_NOT_FOUND');
          const change = await request.json(AdminChangeSchema);
          const changed = await changeRole(db, adminId, change);
          audit.record({ action: 'role-changed', ...by(principal, request), detail: { adminId, email: changed.email, role: change.role, storeIds: change.storeIds } });
          return { status: 200, body: changed };
        },
        { ownerOnly: true },
      ),
    )
    .on(
      'GET',
      '/api/audit',
      admin(
        async (request) => {
          return { status: 200, body: { events: await readAuditEvents(db, parseInput(AuditQuerySchema, request.query)) } };
        },
        { ownerOnly: true },
      ),
    )
    .on(
      'GET',
      '/api/stores',
      admin(async (_request, principal) => ({ status: 200, body: { stores: await listStores(db, principal.storeIds) } })),
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
        async (request) => ({ status: 200, body: { devices: await listDevices(db, request.params.storeId!) } }),
        { storeParam: 'storeId' },
      ),
    )
    .on(
      'POST',
      '/api/stores/:storeId/pairing-codes',
      admin(
        async (request, principal) => {
          const { role, name } = await request.json(NewPairingCodeSchema);
          const storeId = request.params.storeId!;
          const code = await createPairingCode(db, { storeId, role, name }, now());
          audit.record({ action: 'pairing-code-created', ...by(principal, request), storeId, detail: { role, name, expiresAt: code.expiresAt } });
          return { status: 201, body: code };
        },
        { storeParam: 'storeId' },
      ),
    )
    .on('POST', '/api/pairing', async (request) => {
      await budgets.takePairing(addressKey(request.ip));
      const { code } = await request.json(PairingRequestSchema);
      const tag = tagOf(code);
      await budgets.pairingOpen(tag);
      try {
        const { device, token } = await redeemPairingCode(db, code, now());
        audit.record({ action: 'device-paired', actor: { type: 'device', id: device.id }, address: request.ip, storeId: device.storeId, detail: { role: device.role, name: device.name } });
        return { status: 201, body: { deviceToken: token, device: { id: device.id, name: device.name, role: device.role, storeId: device.storeId } } };
      } catch (error) {
        if (error instanceof AppError && error.code === 'PAIRING_CODE_INVALID') {
          await budgets.pairingGuessFailed(tag);
          audit.record({ action: 'pairing-failed', actor: { type: 'anonymous' }, address: request.ip, detail: { storeTag: tag } });
        }
        throw error;
      }
    })
    .on(
      'POST',
      '/api/devices/:deviceId/revoke',
      admin(async (request, principal) => {
        const deviceId = request.params.deviceId!;
        const device = z.uuid().safeParse(deviceId).success ? await findDevice(db, deviceId) : null;
        if (!device || !mayManage(principal, device.storeId)) throw new AppError('DEVICE_NOT_FOUND');
        if (!device.revokedAt) {
          services.broadcast(await revokeDevice(db, deviceId, now()));
          services.disconnectDevice(deviceId);
          audit.record({ action: 'device-revoked', ...by(principal, request), storeId: device.storeId, detail: { deviceId, name: device.name, role: device.role } });
        }
        const { id, name, revokedAt } = (await findDevice(db, deviceId))!;
        return { status: 200, body: { device: { id, name, revokedAt } } };
      }),
    )
    .on(
      'GET',
      '/api/menus',
      admin(async () => ({ status: 200, body: { menus: await listMenuVersions(db) } })),
    )
    .on(
      'POST',
      '/api/menus',
      admin(
        async (request) => {
          // Every problem at once, named as the menu's editors know it ("Big Mac · price").
          const sent = await request.json(z.unknown(), MAX_MENU_BYTES);
          const version = await createMenuVersion(db, parseAll(MenuDocumentSchema, sent, menuPathLabel(sent)));
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
        for (const storeId of storeIds) audit.record({ action: 'menu-published', ...by(principal, request), storeId, detail: { menuVersionId } });
        return { status: 200, body: { menuVersionId, storeIds } };
      }),
    )
    .on(
      'POST',
      '/api/stores/:storeId/menu/rollback',
      admin(
        async (request, principal) => {
          const storeId = request.params.storeId!;
          const { menuVersionId, changes } = await db.$transaction((tx) => rollBackMenu(tx, storeId));
          services.broadcast(changes);
          audit.record({ action: 'menu-rolled-back', ...by(principal, request), storeId, detail: { menuVersionId } });
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
          services.broadcast(await db.$transaction((tx) => setAvailability(tx, storeId, itemId, available, now())));
          return { status: 200, body: { storeId, itemId, available } };
        },
        { storeParam: 'storeId' },
      ),
    );
}
