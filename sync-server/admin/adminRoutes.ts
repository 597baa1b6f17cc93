// The admin REST API (/api): sign-in and sessions, admins, stores, devices and pairing, menus,
// availability, the audit log. Every body, query and path is parsed by the schemas of
// adminApiSchemas.ts; every change a terminal must know about goes out on its store's feed; every
// security event goes to the audit log.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../audit/auditLog';
import { readAuditEvents } from '../audit/auditLog';
import type { ServerDb } from '../db/client';
import { createPairingCode, redeemPairingCode, tagOf } from '../devices/pairing';
import { findDevice, listDevices } from '../devices/devices';
import { menuStations, setKitchenStations } from '../devices/kitchenStations';
import { revokeDevice } from '../devices/revokeDevice';
import { addressLimit } from '../http/addressLimits';
import { checkCsrf, clearSessionCookie, csrfTokenOf, sendSession, sessionOf } from './sessionCookies';
import type { HttpApp } from '../http/httpApp';
import type { Budgets } from '../limits/budgets';
import { registerMenuRoutes } from '../menus/menuRoutes';
import { registerPictureRoutes } from '../media/pictureRoutes';
import { AppError } from '../protocol/errors';
import { KitchenStationsSchema, type Change } from '../protocol/events';
import { PairingRequestSchema, PairingResponseSchema } from '../protocol/protocolSchemas';
import { registerReportRoutes } from '../reports/reportRoutes';
import { registerStoreRoutes } from '../stores/storeRoutes';
import { createStore, listStores, storeAnswer, storeExists } from '../stores/stores';
import {
  authenticate,
  changePassword,
  changeRole,
  checkPassword,
  createAdmin,
  listAdmins,
  mayManage,
  signOut,
  signOutEverywhere,
  startSession,
  type AdminPrincipal,
} from './adminAccounts';
import { requireRole, ROLES_FOR } from './adminRoles';
import { registerInviteRoutes } from './inviteRoutes';
import type { EndedSessions } from './liveOrdersNamespace';
import { registerLiveOrderRoutes } from './liveOrdersRoutes';
import {
  AdminChangeSchema,
  AdminParams,
  AdminSchema,
  AuditEventSchema,
  AuditQuerySchema,
  CookieSessionSchema,
  DeviceParams,
  DeviceSchema,
  ListedAdminSchema,
  MeSchema,
  NewAdminSchema,
  NewStoreSchema,
  NewPairingCodeSchema,
  PairingCodeSchema,
  PasswordChangeSchema,
  REFUSALS,
  SIGNED_IN,
  SessionSchema,
  SignInSchema,
  StoreParams,
  StoreSchema,
  type AdminRole,
} from './adminApiSchemas';

export interface AdminServices {
  /** Head office's own connections (see db/client.ts). */
  db: ServerDb;
  budgets: Budgets;
  audit: AuditLog;
  broadcast(changes: Map<string, Change[]>): void;
  /** Closes a device's connections on every server node. */
  disconnectDevice(deviceId: string): void;
  /** The store's devices connected to any server node now. */
  onlineDevices(storeId: string): Promise<Set<string>>;
  /** Closes the live sockets of sessions that have ended, on every server node. */
  endSessions(ended: EndedSessions): void;
  now(): number;
}

/** Who may call a route (adminRoles.ts says what each role is for): every signed-in admin unless it says otherwise. */
interface Guard {
  /** The roles that may (ROLES_FOR names them by the work). */
  roles?: readonly AdminRole[];
  /**
   * The store in the path, which the admin must manage. Unless the guard names other roles, this is
   * a store's own work (its devices, pairing, sold-out board): owners and its managers, not menu editors.
   */
  storeParam?: 'storeId';
}

const rolesOf = ({ roles, storeParam }: Guard) => roles ?? (storeParam ? ROLES_FOR.stores : ROLES_FOR.anyone);

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin, on routes that need one. */
    principal: AdminPrincipal | null;
  }
}

/** The admin a guarded route's handler runs for. */
const principalOf = (request: FastifyRequest): AdminPrincipal => {
  if (!request.principal) throw new AppError('AUTH_REQUIRED');
  return request.principal;
};

export async function registerAdminRoutes(app: HttpApp, services: AdminServices): Promise<void> {
  const { db, budgets, audit } = services;
  const now = () => new Date(services.now());
  const by = (request: FastifyRequest): Pick<AuditEntry, 'actor' | 'address'> => {
    const { userId, email } = principalOf(request);
    return { actor: { type: 'admin', id: userId, email }, address: request.clientAddress };
  };

  app.decorateRequest('principal', null);
  /**
   * Checks the session before the body is read, so a stranger's megabyte costs nothing. A store
   * the admin may not manage is answered as one that does not exist.
   */
  const signedIn =
    (guard: Guard = {}) =>
    async (request: FastifyRequest) => {
      const session = sessionOf(request);
      const principal = await authenticate(db, session.authorization, now());
      if (session.byCookie) checkCsrf(request, session.token!);
      requireRole(principal.role, rolesOf(guard));
      const { storeParam } = guard;
      if (storeParam) {
        const storeId = (request.params as Record<string, string>)[storeParam]!;
        if (!z.uuid().safeParse(storeId).success || !mayManage(principal, storeId)) throw new AppError('STORE_NOT_FOUND');
        if (!(await storeExists(db, storeId))) throw new AppError('STORE_NOT_FOUND');
      }
      request.principal = principal;
    };

  app.post('/api/sessions', {
    schema: { tags: ['sessions'], summary: 'Sign in', body: SignInSchema, response: { 201: z.union([SessionSchema, CookieSessionSchema]), ...REFUSALS } },
    config: { rateLimit: addressLimit(budgets, 'sign-ins') },
    handler: async (request, reply) => {
      // Per address (the rate limit), then per account: a guesser with many addresses still meets the account's budget.
      const account = request.body.email.trim().toLowerCase();
      await budgets.passwordMayBeTried(account);
      const user = await checkPassword(db, account, request.body.password);
      if (!user) {
        await budgets.passwordFailed(account);
        audit.record({ action: 'sign-in-failed', actor: { type: 'anonymous', email: account }, address: request.clientAddress });
        throw new AppError('AUTH_INVALID', 'The email or the password is wrong.');
      }
      await budgets.passwordSucceeded(account);
      audit.record({ action: 'sign-in', actor: { type: 'admin', id: user.id, email: user.email }, address: request.clientAddress });
      return sendSession(request, reply, await startSession(db, user, now()), request.body.cookie);
    },
  });

  app.get('/api/me', {
    schema: { tags: ['sessions'], summary: 'Who you are signed in as', security: SIGNED_IN, response: { 200: MeSchema, ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request) => {
      const { userId, email, name, role, storeIds } = principalOf(request);
      const { token } = sessionOf(request);
      return { user: { id: userId, email, name, role, storeIds: storeIds && [...storeIds] }, ...(token ? { csrfToken: csrfTokenOf(token) } : {}) };
    },
  });

  app.delete('/api/sessions', {
    schema: { tags: ['sessions'], summary: 'Sign out', security: SIGNED_IN, response: { 204: z.null(), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request, reply) => {
      await signOut(db, principalOf(request));
      services.endSessions({ sessionHash: principalOf(request).sessionHash });
      clearSessionCookie(request, reply);
      audit.record({ action: 'sign-out', ...by(request) });
      return reply.code(204).send(null);
    },
  });

  app.delete('/api/me/sessions', {
    schema: { tags: ['sessions'], summary: 'Sign out everywhere', security: SIGNED_IN, response: { 200: z.object({ ended: z.int() }), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request, reply) => {
      const ended = await signOutEverywhere(db, principalOf(request).userId);
      services.endSessions({ userId: principalOf(request).userId });
      clearSessionCookie(request, reply);
      audit.record({ action: 'sign-out-everywhere', ...by(request), detail: { sessions: ended } });
      return { ended };
    },
  });

  app.post('/api/me/password', {
    schema: { tags: ['sessions'], summary: 'Change your password', security: SIGNED_IN, body: PasswordChangeSchema, response: { 204: z.null(), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request, reply) => {
      // A wrong current password counts against the account as at sign-in: a stolen session cannot guess it for ever.
      const { email } = principalOf(request);
      await budgets.passwordMayBeTried(email);
      await changePassword(db, principalOf(request), request.body.currentPassword, request.body.newPassword).catch(async (error: unknown) => {
        if (error instanceof AppError && error.code === 'AUTH_INVALID') await budgets.passwordFailed(email);
        throw error;
      });
      await budgets.passwordSucceeded(email);
      services.endSessions({ userId: principalOf(request).userId, except: principalOf(request).sessionHash });
      audit.record({ action: 'password-changed', ...by(request) });
      return reply.code(204).send(null);
    },
  });

  app.get('/api/admins', {
    schema: { tags: ['admins'], summary: 'List admins', security: SIGNED_IN, response: { 200: z.object({ admins: z.array(ListedAdminSchema) }), ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.owners }),
    handler: async () => ({ admins: (await listAdmins(db)).map(({ stores, ...a }) => ({ ...a, storeIds: stores.map((s) => s.storeId) })) }),
  });

  app.post('/api/admins', {
    schema: { tags: ['admins'], summary: 'Create an admin', security: SIGNED_IN, body: NewAdminSchema, response: { 201: AdminSchema.extend({ createdAt: z.date() }), ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.owners }),
    handler: async (request, reply) => {
      const created = await createAdmin(db, request.body);
      audit.record({ action: 'admin-created', ...by(request), detail: { adminId: created.id, email: created.email, role: created.role } });
      return reply.code(201).send(created);
    },
  });

  app.patch('/api/admins/:adminId', {
    schema: { tags: ['admins'], summary: "Change an admin's role and stores", security: SIGNED_IN, params: AdminParams, body: AdminChangeSchema, response: { 200: AdminSchema, ...REFUSALS } },
    config: { notFound: 'ADMIN_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.owners }),
    handler: async (request) => {
      const { adminId } = request.params;
      const changed = await changeRole(db, adminId, request.body);
      services.endSessions({ userId: adminId });
      audit.record({ action: 'role-changed', ...by(request), detail: { adminId, email: changed.email, role: request.body.role, storeIds: request.body.storeIds } });
      return changed;
    },
  });

  registerInviteRoutes(app, { db, budgets, audit, now, ownerOnly: signedIn({ roles: ROLES_FOR.owners }), principalOf, by });

  app.get('/api/audit', {
    schema: { tags: ['admins'], summary: 'Read the audit log, newest first', security: SIGNED_IN, querystring: AuditQuerySchema, response: { 200: z.object({ events: z.array(AuditEventSchema) }), ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.owners }),
    handler: async (request) => ({ events: await readAuditEvents(db, request.query) }),
  });

  app.get('/api/stores', {
    schema: { tags: ['stores'], summary: 'List the stores you manage', security: SIGNED_IN, response: { 200: z.object({ stores: z.array(StoreSchema) }), ...REFUSALS } },
    onRequest: signedIn(),
    handler: async (request) => ({ stores: await listStores(db, principalOf(request).storeIds) }),
  });

  app.post('/api/stores', {
    schema: { tags: ['stores'], summary: 'Create a store', security: SIGNED_IN, body: NewStoreSchema, response: { 201: StoreSchema, ...REFUSALS } },
    onRequest: signedIn({ roles: ROLES_FOR.owners }),
    handler: async (request, reply) => reply.code(201).send(storeAnswer(await createStore(db, request.body))),
  });

  app.get('/api/stores/:storeId/devices', {
    schema: {
      tags: ['devices'],
      summary: "List a store's devices",
      description: "With the stations of the store's menu, which its kitchen displays can be set to.",
      security: SIGNED_IN,
      params: StoreParams,
      response: { 200: z.object({ devices: z.array(DeviceSchema), stations: z.array(z.object({ id: z.string(), name: z.string() })) }), ...REFUSALS },
    },
    config: { notFound: 'STORE_NOT_FOUND' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request) => {
      const { storeId } = request.params;
      const [devices, online, stations] = await Promise.all([listDevices(db, storeId), services.onlineDevices(storeId), menuStations(db, storeId)]);
      return { devices: devices.map((device) => ({ ...device, online: online.has(device.id) })), stations };
    },
  });

  app.post('/api/stores/:storeId/pairing-codes', {
    schema: { tags: ['devices'], summary: 'Create a pairing code for a new terminal', security: SIGNED_IN, params: StoreParams, body: NewPairingCodeSchema, response: { 201: PairingCodeSchema, ...REFUSALS } },
    config: { notFound: 'STORE_NOT_FOUND' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request, reply) => {
      const { role, name } = request.body;
      const { storeId } = request.params;
      const code = await createPairingCode(db, { storeId, role, name }, now());
      audit.record({ action: 'pairing-code-created', ...by(request), storeId, detail: { role, name, expiresAt: code.expiresAt } });
      return reply.code(201).send(code);
    },
  });

  app.post('/api/pairing', {
    schema: { tags: ['devices'], summary: 'Pair a terminal with a code (the terminal calls this)', body: PairingRequestSchema, response: { 201: PairingResponseSchema, ...REFUSALS } },
    config: { rateLimit: addressLimit(budgets, 'pairings') },
    handler: async (request, reply) => {
      const { code } = request.body;
      const tag = tagOf(code);
      await budgets.pairingOpen(tag);
      try {
        const { device, token, changes } = await redeemPairingCode(db, code, now());
        services.broadcast(changes);
        audit.record({ action: 'device-paired', actor: { type: 'device', id: device.id }, address: request.clientAddress, storeId: device.storeId, detail: { role: device.role, name: device.name } });
        return reply.code(201).send({ deviceToken: token, device: { id: device.id, name: device.name, role: device.role, storeId: device.storeId } });
      } catch (error) {
        if (error instanceof AppError && error.code === 'PAIRING_CODE_INVALID') {
          await budgets.pairingGuessFailed(tag);
          audit.record({ action: 'pairing-failed', actor: { type: 'anonymous' }, address: request.clientAddress, detail: { storeTag: tag } });
        }
        throw error;
      }
    },
  });

  app.post('/api/devices/:deviceId/revoke', {
    schema: {
      tags: ['devices'],
      summary: 'Revoke a device: its token stops working at once',
      security: SIGNED_IN,
      params: DeviceParams,
      response: { 200: z.object({ device: z.object({ id: z.uuid(), name: z.string(), revokedAt: z.date().nullable() }) }), ...REFUSALS },
    },
    config: { notFound: 'DEVICE_NOT_FOUND' },
    onRequest: signedIn({ roles: ROLES_FOR.stores }),
    handler: async (request) => {
      const { deviceId } = request.params;
      const device = await findDevice(db, deviceId);
      if (!device || !mayManage(principalOf(request), device.storeId)) throw new AppError('DEVICE_NOT_FOUND');
      if (!device.revokedAt) {
        services.broadcast(await revokeDevice(db, deviceId, now()));
        services.disconnectDevice(deviceId);
        audit.record({ action: 'device-revoked', ...by(request), storeId: device.storeId, detail: { deviceId, name: device.name, role: device.role } });
      }
      const { id, name, revokedAt } = (await findDevice(db, deviceId))!;
      return { device: { id, name, revokedAt } };
    },
  });

  app.patch('/api/devices/:deviceId', {
    schema: {
      tags: ['devices'],
      summary: 'Set the stations a kitchen display makes, or make it expo',
      description:
        "Stations of the store's menu, each once (none: every line, as in a one-station kitchen); expo names none. The display hears it on its store's feed (`device.stations`) and shows its new tickets at once.",
      security: SIGNED_IN,
      params: DeviceParams,
      body: KitchenStationsSchema,
      response: { 200: z.object({ device: z.object({ id: z.uuid(), name: z.string(), stations: z.array(z.string()), expo: z.boolean() }) }), ...REFUSALS },
    },
    config: { notFound: 'DEVICE_NOT_FOUND' },
    // The device before the body is read: a manager of another store learns nothing of it.
    onRequest: [
      signedIn({ roles: ROLES_FOR.stores }),
      async (request) => {
        const { deviceId } = request.params as { deviceId: string };
        const device = z.uuid().safeParse(deviceId).success ? await findDevice(db, deviceId) : null;
        if (!device || !mayManage(principalOf(request), device.storeId)) throw new AppError('DEVICE_NOT_FOUND');
      },
    ],
    handler: async (request) => {
      const { deviceId } = request.params;
      services.broadcast(await db.$transaction((tx) => setKitchenStations(tx, deviceId, request.body, by(request), now())));
      const { id, name, stations, expo } = (await findDevice(db, deviceId))!;
      return { device: { id, name, stations, expo } };
    },
  });

  await registerPictureRoutes(app, { db, menuWork: signedIn({ roles: ROLES_FOR.menus }), uploader: (request) => principalOf(request).userId, refusals: REFUSALS });

  await registerMenuRoutes(app, { db, audit, broadcast: services.broadcast, now: services.now, signedIn, principalOf, by });

  await registerStoreRoutes(app, { db, broadcast: services.broadcast, now: services.now, signedIn, principalOf, by });

  registerLiveOrderRoutes(app, { db, now: services.now, signedIn, principalOf });

  registerReportRoutes(app, { db, signedIn, principalOf });
}
