// Invitations over REST: owners invite, list and withdraw; the invited person reads the
// invitation and accepts it with a password of their own, which signs them in. The token travels
// in request bodies only, never in a URL, so no log line carries it.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../audit/auditLog';
import type { ServerDb } from '../db/client';
import { addressLimit } from '../http/addressLimits';
import type { HttpApp } from '../http/httpApp';
import type { Budgets } from '../limits/budgets';
import { startSession, type AdminPrincipal } from './adminAccounts';
import {
  CookieSessionSchema,
  InvitationSchema,
  InviteAcceptSchema,
  InviteParams,
  InviteSchema,
  InviteTokenSchema,
  NewInviteAnswerSchema,
  NewInviteSchema,
  REFUSALS,
  SIGNED_IN,
  SessionSchema,
} from './adminApiSchemas';
import { acceptInvite, createInvite, listInvites, readInvitation, withdrawInvite } from './invites';
import { sendSession } from './sessionCookies';

export interface InviteRouteOptions {
  db: ServerDb;
  budgets: Budgets;
  audit: AuditLog;
  now(): Date;
  /** The guard of owners' routes. */
  ownerOnly: (request: FastifyRequest) => Promise<void>;
  /** The signed-in owner, and the same for the record. */
  principalOf(request: FastifyRequest): AdminPrincipal;
  by(request: FastifyRequest): Pick<AuditEntry, 'actor' | 'address'>;
}

export function registerInviteRoutes(app: HttpApp, { db, budgets, audit, now, ownerOnly, principalOf, by }: InviteRouteOptions): void {
  app.post('/api/invites', {
    schema: { tags: ['admins'], summary: 'Invite someone by a one-time link', security: SIGNED_IN, body: NewInviteSchema, response: { 201: NewInviteAnswerSchema, ...REFUSALS } },
    onRequest: ownerOnly,
    handler: async (request, reply) => {
      const { token, invite, replaced } = await createInvite(db, request.body, principalOf(request).userId, now());
      audit.record({ action: 'invite-created', ...by(request), detail: { inviteId: invite.id, email: invite.email, role: invite.role, storeIds: invite.storeIds, expiresAt: invite.expiresAt, replaced } });
      return reply.code(201).send({ ...invite, link: `/admin/invite#${token}` });
    },
  });

  app.get('/api/invites', {
    schema: { tags: ['admins'], summary: 'List invitations waiting to be accepted', security: SIGNED_IN, response: { 200: z.object({ invites: z.array(InviteSchema) }), ...REFUSALS } },
    onRequest: ownerOnly,
    handler: async () => ({ invites: await listInvites(db, now()) }),
  });

  app.delete('/api/invites/:inviteId', {
    schema: { tags: ['admins'], summary: 'Withdraw an invitation: its link stops working', security: SIGNED_IN, params: InviteParams, response: { 204: z.null(), ...REFUSALS } },
    config: { notFound: 'INVITE_NOT_FOUND' },
    onRequest: ownerOnly,
    handler: async (request, reply) => {
      const withdrawn = await withdrawInvite(db, request.params.inviteId);
      audit.record({ action: 'invite-withdrawn', ...by(request), detail: { inviteId: withdrawn.id, email: withdrawn.email, role: withdrawn.role } });
      return reply.code(204).send(null);
    },
  });

  // Reading and accepting spend the address's sign-in budget: a link is a password of a kind.
  app.post('/api/invites/check', {
    schema: { tags: ['admins'], summary: 'What an invitation link offers (the link holder calls this)', body: InviteTokenSchema, response: { 200: InvitationSchema, ...REFUSALS } },
    config: { rateLimit: addressLimit(budgets, 'sign-ins') },
    handler: async (request) => readInvitation(db, request.body.token, now()),
  });

  app.post('/api/invites/accept', {
    schema: {
      tags: ['admins'],
      summary: 'Accept an invitation with a password of your own: you are signed in',
      body: InviteAcceptSchema,
      response: { 201: z.union([SessionSchema, CookieSessionSchema]), ...REFUSALS },
    },
    config: { rateLimit: addressLimit(budgets, 'sign-ins') },
    handler: async (request, reply) => {
      const { token, name, password, cookie } = request.body;
      const { admin, inviteId, invitedById } = await acceptInvite(db, token, { name, password }, now());
      audit.record({ action: 'invite-accepted', actor: { type: 'admin', id: admin.id, email: admin.email }, address: request.clientAddress, detail: { inviteId, invitedById, role: admin.role } });
      return sendSession(request, reply, await startSession(db, admin, now()), cookie);
    },
  });
}
