// Invitations: an owner invites someone by a one-time link, and they choose their own password,
// so nobody else ever knows it. The link carries 256 random bits after its `#` (a fragment never
// reaches a server's log or a Referer header); the server keeps only their SHA-256.
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import { createAdmin, sha256, storesOf } from './adminAccounts';
import type { AdminRole, NewInviteSchema } from './adminApiSchemas';

export const INVITE_DAYS = 7;
/** An invitation's id: the start of its token's hash, enough to tell pending ones apart. */
const inviteIdOf = (tokenHash: string) => tokenHash.slice(0, 16);

/** Every wrong link gets the same answer: unknown, used, withdrawn or expired. */
const invalid = () => new AppError('INVITE_INVALID');

const listed = { include: { createdBy: { select: { name: true, role: true } } } } as const;

function asListed(invite: { tokenHash: string; email: string; name: string; role: AdminRole; storeIds: string[]; createdAt: Date; expiresAt: Date; createdBy: { name: string } }) {
  const { tokenHash, createdBy, ...rest } = invite;
  return { id: inviteIdOf(tokenHash), ...rest, invitedBy: createdBy.name };
}

/**
 * Makes an invitation and its one-time token. A new invitation to the same email replaces one still
 * waiting: the latest link sent is the one that works.
 */
export async function createInvite(db: ServerDb, invite: z.output<typeof NewInviteSchema>, createdById: string, now: Date) {
  if (await db.adminUser.count({ where: { email: invite.email } })) throw new AppError('ADMIN_EXISTS', 'Someone with this email can already sign in.', 'email');
  const storeIds = storesOf(invite.role, invite.storeIds);
  if ((await db.store.count({ where: { id: { in: storeIds } } })) !== storeIds.length) throw new AppError('STORE_NOT_FOUND', 'A store does not exist.', 'storeIds');
  const token = `tsi_${randomBytes(32).toString('base64url')}`;
  const [replaced, created] = await db.$transaction([
    db.adminInvite.deleteMany({ where: { email: invite.email, acceptedAt: null } }),
    db.adminInvite.create({
      data: { tokenHash: sha256(token), email: invite.email, name: invite.name, role: invite.role, storeIds, createdById, expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000) },
      ...listed,
    }),
  ]);
  return { token, invite: asListed(created), replaced: replaced.count };
}

/** Invitations waiting to be accepted, newest first. */
export async function listInvites(db: ServerDb, now: Date) {
  const invites = await db.adminInvite.findMany({ where: { acceptedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' }, ...listed });
  return invites.map(asListed);
}

/** Withdraws a waiting invitation: its link stops working. */
export async function withdrawInvite(db: ServerDb, inviteId: string) {
  const invite = await db.adminInvite.findFirst({ where: { tokenHash: { startsWith: inviteId }, acceptedAt: null } });
  if (!invite || (await db.adminInvite.deleteMany({ where: { tokenHash: invite.tokenHash, acceptedAt: null } })).count === 0) throw new AppError('INVITE_NOT_FOUND');
  return { id: inviteId, email: invite.email, role: invite.role };
}

/**
 * The invitation a token opens, if it can still be accepted: not used, not expired, not withdrawn,
 * and made by someone who is still an owner.
 */
async function usableInvite(db: Pick<ServerDb, 'adminInvite'>, token: string, now: Date) {
  if (!/^tsi_[\w-]{43}$/.test(token)) throw invalid();
  const invite = await db.adminInvite.findUnique({ where: { tokenHash: sha256(token) }, ...listed });
  if (!invite || invite.acceptedAt || invite.expiresAt <= now || invite.createdBy.role !== 'owner') throw invalid();
  return invite;
}

/** What an invitation offers, for its holder to see before accepting. */
export async function readInvitation(db: ServerDb, token: string, now: Date) {
  const invite = await usableInvite(db, token, now);
  const stores = await db.store.findMany({ where: { id: { in: invite.storeIds } }, select: { id: true, name: true }, orderBy: { name: 'asc' } });
  return { email: invite.email, name: invite.name, role: invite.role, stores, invitedBy: invite.createdBy.name, expiresAt: invite.expiresAt };
}

/**
 * Accepts an invitation: the admin is created and the invitation marked used in one transaction,
 * so a link works once even when two tabs send it at the same moment.
 */
export async function acceptInvite(db: ServerDb, token: string, { name, password }: { name: string; password: string }, now: Date) {
  return db.$transaction(async (tx) => {
    const invite = await usableInvite(tx, token, now);
    // Conditional, so of two acceptances at once the second finds it used and is refused.
    const { count } = await tx.adminInvite.updateMany({ where: { tokenHash: invite.tokenHash, acceptedAt: null }, data: { acceptedAt: now } });
    if (count === 0) throw invalid();
    const admin = await createAdmin(tx, { email: invite.email, name, password, role: invite.role, storeIds: invite.storeIds }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'ADMIN_EXISTS') {
        throw new AppError('ADMIN_EXISTS', 'Someone with this email can already sign in: sign in with it instead, or ask for an invitation to another email.', 'email');
      }
      throw error;
    });
    return { admin, inviteId: inviteIdOf(invite.tokenHash), invitedById: invite.createdById };
  });
}
