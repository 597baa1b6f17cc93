// A store's own routes: changing its settings (they reach its terminals on the feed), its
// sold-out board (toggles are live changes on the feed, and the board says who made them, when),
// and its recent orders with their payments.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminPrincipal } from '../admin/adminAccounts';
import { requireRole, ROLES_FOR } from '../admin/adminRoles';
import {
  AvailabilitySchema,
  REFUSALS,
  SIGNED_IN,
  SoldOutBoardSchema,
  StoreChangeSchema,
  StoreItemParams,
  StoreOrdersQuerySchema,
  StoreOrdersSchema,
  StoreOutagesQuerySchema,
  StoreOutagesSchema,
  StoreParams,
  StoreSchema,
} from '../admin/adminApiSchemas';
import type { AuditEntry } from '../audit/auditLog';
import type { ServerDb } from '../db/client';
import type { HttpApp } from '../http/httpApp';
import type { Change } from '../protocol/events';
import { readRecentOrders } from './recentOrders';
import { readOutages } from './storeOutages';
import { readSoldOutBoard, setAvailability } from './soldOut';
import { changeStore } from './stores';

/** What the admin routes lend the store routes: their guard, and who the request is from. */
export interface StoreRouteDeps {
  db: ServerDb;
  broadcast(changes: Map<string, Change[]>): void;
  now(): number;
  signedIn(guard?: { storeParam?: 'storeId' }): (request: FastifyRequest) => Promise<void>;
  principalOf(request: FastifyRequest): AdminPrincipal;
  by(request: FastifyRequest): Pick<AuditEntry, 'actor' | 'address'>;
}

export async function registerStoreRoutes(app: HttpApp, deps: StoreRouteDeps): Promise<void> {
  const { db, signedIn, principalOf, by } = deps;
  const now = () => new Date(deps.now());

  app.patch('/api/stores/:storeId', {
    schema: {
      tags: ['stores'],
      summary: "Change a store's name, address, time zone, currency, tax or kiosk settings",
      description:
        "Fields left out stay as they are, and so do kiosk settings left out of `kiosk`. The store's terminals get the new settings on its feed (`store.changed`); orders they priced before are still accepted. A brand colour white text cannot be read on (contrast below 4.5:1) is refused.",
      security: SIGNED_IN,
      params: StoreParams,
      body: StoreChangeSchema,
      response: { 200: StoreSchema, ...REFUSALS },
    },
    config: { notFound: 'STORE_NOT_FOUND' },
    // The store first, so that a manager of another store learns nothing of it; then owners only.
    onRequest: [signedIn({ storeParam: 'storeId' }), async (request) => requireRole(principalOf(request).role, ROLES_FOR.owners)],
    handler: async (request) => {
      const { store, changes } = await db.$transaction((tx) => changeStore(tx, request.params.storeId, request.body, by(request), now()));
      deps.broadcast(changes);
      return store;
    },
  });

  app.get('/api/stores/:storeId/orders', {
    schema: {
      tags: ['stores'],
      summary: "A store's orders, newest first, with how each was served and paid",
      description: 'A page at a time: ask again with `before` set to the answer\'s `nextBefore` for older ones.',
      security: SIGNED_IN,
      params: StoreParams,
      querystring: StoreOrdersQuerySchema,
      response: { 200: StoreOrdersSchema, ...REFUSALS },
    },
    config: { notFound: 'STORE_NOT_FOUND' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request) => readRecentOrders(db, request.params.storeId, request.query),
  });

  app.get('/api/stores/:storeId/outages', {
    schema: {
      tags: ['stores'],
      summary: "A store's internet outages, newest first: when its terminals lost the server, when they came back, and which reported it",
      description: 'Fifty at a time: ask again with `before` set to the answer\'s `nextBefore` for older ones. Recorded from the hellos of terminals coming back (`offlineSince`), so an outage shows once a terminal has returned.',
      security: SIGNED_IN,
      params: StoreParams,
      querystring: StoreOutagesQuerySchema,
      response: { 200: StoreOutagesSchema, ...REFUSALS },
    },
    config: { notFound: 'STORE_NOT_FOUND' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request) => readOutages(db, request.params.storeId, request.query.before),
  });

  app.get('/api/stores/:storeId/availability', {
    schema: {
      tags: ['availability'],
      summary: "A store's sold-out board: every item of its menu, who marked it and when",
      security: SIGNED_IN,
      params: StoreParams,
      response: { 200: SoldOutBoardSchema, ...REFUSALS },
    },
    config: { notFound: 'STORE_NOT_FOUND' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request) => readSoldOutBoard(db, request.params.storeId),
  });

  app.put('/api/stores/:storeId/items/:itemId/availability', {
    schema: {
      tags: ['availability'],
      summary: 'Mark an item sold out, or back',
      security: SIGNED_IN,
      params: StoreItemParams,
      body: AvailabilitySchema,
      response: { 200: z.object({ storeId: z.uuid(), itemId: z.string(), available: z.boolean() }), ...REFUSALS },
    },
    config: { notFound: 'UNKNOWN_ITEM' },
    onRequest: signedIn({ storeParam: 'storeId' }),
    handler: async (request) => {
      const { storeId, itemId } = request.params;
      const { available } = request.body;
      deps.broadcast(await db.$transaction((tx) => setAvailability(tx, storeId, itemId, available, principalOf(request).userId, now())));
      return { storeId, itemId, available };
    },
  });
}
