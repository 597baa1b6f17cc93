// GET /api/live-orders: the orders head office's live page starts from, and reads again whenever
// its socket (`/admin`, liveOrdersNamespace.ts) reconnects, so nothing missed meanwhile stays missed.
import type { FastifyRequest } from 'fastify';
import type { ServerDb } from '../db/client';
import type { HttpApp } from '../http/httpApp';
import { AppError } from '../protocol/errors';
import { mayManage, type AdminPrincipal } from './adminAccounts';
import { REFUSALS, SIGNED_IN, type AdminRole } from './adminApiSchemas';
import { ROLES_FOR } from './adminRoles';
import { readLiveOrders } from './liveOrders';
import { LiveOrdersQuerySchema, LiveOrdersSchema } from './liveOrdersSchemas';

export interface LiveOrderRouteDeps {
  db: ServerDb;
  now(): number;
  signedIn(guard: { roles: readonly AdminRole[] }): (request: FastifyRequest) => Promise<void>;
  principalOf(request: FastifyRequest): AdminPrincipal;
}

export function registerLiveOrderRoutes(app: HttpApp, { db, now, signedIn, principalOf }: LiveOrderRouteDeps): void {
  app.get('/api/live-orders', {
    schema: {
      tags: ['stores'],
      summary: "Today's open and just-served orders of your stores, for the live orders page",
      description:
        "Each store's orders of its own business day that are not served yet, and those served in the last 30 minutes, oldest first (at most 1,000: `more` says when there were more), with each store's kitchen thresholds. `storeIds` (comma-separated) narrows it to those stores; left out, every store you may see. The `/admin` Socket.IO namespace then pushes every change (PROTOCOL.md §8).",
      security: SIGNED_IN,
      querystring: LiveOrdersQuerySchema,
      response: { 200: LiveOrdersSchema, ...REFUSALS },
    },
    onRequest: signedIn({ roles: ROLES_FOR.stores }),
    handler: async (request) => {
      const principal = principalOf(request);
      const { storeIds } = request.query;
      // A store you may not see is answered as one that does not exist.
      if (storeIds?.some((storeId) => !mayManage(principal, storeId))) throw new AppError('STORE_NOT_FOUND', undefined, 'storeIds');
      const chosen = storeIds ?? (principal.storeIds && [...principal.storeIds]);
      const answer = await readLiveOrders(db, chosen, new Date(now()));
      if (storeIds && answer.stores.length !== storeIds.length) throw new AppError('STORE_NOT_FOUND', undefined, 'storeIds');
      return answer;
    },
  });
}
