// The `/admin` Socket.IO namespace: head office's live orders. A socket is the admin app's page,
// signed in by the same session as its REST calls (the cookie, or a bearer token from a script),
// opened from the admin app's own origin; it joins the rooms of the stores its admin may see and
// gets each commit's order changes there (`orders:changes`). It ends with its session: signed out
// here or everywhere, a new password, a new role, or the session's expiry.
import type { Namespace } from 'socket.io';
import type { ServerDb } from '../db/client';
import type { Budgets } from '../limits/budgets';
import { addressKey, clientAddress, type TrustedProxies } from '../limits/clientAddress';
import { connectRefusal, keepNewestSockets } from '../limits/socketHolders';
import type { Logger } from '../log';
import { AppError } from '../protocol/errors';
import type { Change } from '../protocol/events';
import { authenticate, type AdminPrincipal } from './adminAccounts';
import { requireRole, ROLES_FOR } from './adminRoles';
import { liveChangesOf } from './liveOrders';
import type { AdminServerEvents } from './liveOrdersSchemas';
import { checkSameOrigin, handshakeSessionOf } from './sessionCookies';

export interface AdminSocketData {
  principal: AdminPrincipal;
}
export type AdminNamespace = Namespace<Record<string, never>, AdminServerEvents, Record<string, never>, AdminSocketData>;

/** Owners see every store, those made after they connected too. */
const EVERY_STORE = 'stores:all';
const storeRoom = (storeId: string) => `store:${storeId}`;
const sessionRoom = (sessionHash: string) => `session:${sessionHash}`;
const adminRoom = (userId: string) => `admin:${userId}`;
/** Sockets one session may hold (a tab each); the oldest beyond are closed, so a session cannot pile them up. */
const SOCKETS_PER_SESSION = 8;

/** Sessions that have ended: one, or every one of an admin (but the one that ended the others). */
export type EndedSessions = { sessionHash: string } | { userId: string; except?: string };

export interface LiveOrderSockets {
  /** Sends the order changes of a commit to the admins who may see their stores, on every server node. */
  publish(changes: Map<string, Change[]>): void;
  /** Closes the sockets of sessions that have ended, on every server node. */
  endSessions(ended: EndedSessions): void;
}

export interface LiveOrderServices {
  /** Head office's own connections. */
  db: ServerDb;
  budgets: Budgets;
  trustProxy: TrustedProxies;
  log: Logger;
  now(): number;
  /** This node is the only one (no adapter): a room nobody is in here is empty everywhere. */
  alone: boolean;
}

const refusal = (error: AppError) => connectRefusal(error.toBody());

export function registerLiveOrders(nsp: AdminNamespace, { db, budgets, trustProxy, log, now, alone }: LiveOrderServices): LiveOrderSockets {
  // Every emit serialises its changes, even to an empty room: alone, skip a store nobody watches.
  const watched = (storeId: string) => !alone || nsp.adapter.rooms.has(storeRoom(storeId)) || nsp.adapter.rooms.has(EVERY_STORE);

  nsp.use(async (socket, next) => {
    try {
      const { request } = socket;
      await budgets.takeHandshake(addressKey(clientAddress(request, trustProxy)));
      const session = handshakeSessionOf(request, trustProxy);
      // Before the session is looked up: another site's page learns nothing of it.
      if (session.byCookie) checkSameOrigin(request, trustProxy);
      const principal = await authenticate(db, session.authorization, new Date(now()));
      // A menu editor's work is the menus; the stores' orders are for their owners and managers.
      requireRole(principal.role, ROLES_FOR.stores);
      socket.data.principal = principal;
      next();
    } catch (error) {
      if (error instanceof AppError) return next(refusal(error));
      log.error('admin socket authentication failed', { error: String(error) });
      next(refusal(new AppError('UNAVAILABLE')));
    }
  });

  nsp.on('connection', (socket) => {
    const { principal } = socket.data;
    const stores = principal.storeIds === null ? [EVERY_STORE] : [...principal.storeIds].map(storeRoom);
    void socket.join([sessionRoom(principal.sessionHash), adminRoom(principal.userId), ...stores]);
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, principal.expiresAt.getTime() - now()));
    socket.on('disconnect', () => clearTimeout(expiry));
    void keepNewestSockets(nsp, sessionRoom(principal.sessionHash), SOCKETS_PER_SESSION).catch((error: unknown) => log.warn("could not count a session's sockets", { error: String(error) }));
  });

  return {
    publish(changes) {
      for (const [storeId, list] of changes) {
        if (!watched(storeId)) continue;
        const live = liveChangesOf(storeId, list);
        if (live.length > 0) nsp.to([storeRoom(storeId), EVERY_STORE]).emit('orders:changes', { storeId, changes: live });
      }
    },
    endSessions(ended) {
      if ('sessionHash' in ended) return void nsp.in(sessionRoom(ended.sessionHash)).disconnectSockets(true);
      const sockets = nsp.in(adminRoom(ended.userId));
      (ended.except ? sockets.except(sessionRoom(ended.except)) : sockets).disconnectSockets(true);
    },
  };
}
