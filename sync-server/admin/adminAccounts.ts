// Admin accounts and their sessions. Passwords are stored as argon2id hashes; a session is a
// random bearer token of which the server keeps only the SHA-256.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { ServerDb, ServerTx } from '../db/client';
import { AppError } from '../protocol/errors';
import { EmailSchema, PasswordSchema, type AdminChangeSchema, type AdminRole } from './adminApiSchemas';
import { uuidv7 } from '../protocol/ids';

export const SESSION_HOURS = 12;
/** How the server keeps a secret it hands out (a session token, an invitation's): its SHA-256 alone. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');


/** The stores an admin of `role` is given: a manager's own; nobody else is limited to any. */
export const storesOf = (role: AdminRole, storeIds: readonly string[] = []) => (role === 'manager' ? [...new Set(storeIds)] : []);

let dummyHash: Promise<string> | null = null;
/** A hash of a password nobody knows, for the unknown-email path of signIn. */
const unknownUserHash = () => (dummyHash ??= hash(randomBytes(32).toString('hex')));

export interface NewAdmin {
  email: string;
  name: string;
  password: string;
  role: AdminRole;
  /** Stores a manager may manage; owners and menu editors work for the whole chain. */
  storeIds?: string[];
}

export async function createAdmin(db: ServerTx, admin: NewAdmin) {
  const email = EmailSchema.parse(admin.email);
  if (await db.adminUser.count({ where: { email } })) throw new AppError('ADMIN_EXISTS', undefined, 'email');
  const stores = storesOf(admin.role, admin.storeIds);
  if ((await db.store.count({ where: { id: { in: stores } } })) !== stores.length) throw new AppError('STORE_NOT_FOUND', 'A store does not exist.', 'storeIds');
  const passwordHash = await hash(PasswordSchema.parse(admin.password));
  return db.adminUser.create({
    data: {
      id: uuidv7(),
      email,
      name: admin.name,
      passwordHash,
      role: admin.role,
      stores: { create: stores.map((storeId) => ({ storeId })) },
    },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
}

/** The first owner, from configuration, when the database has no admin yet. */
export async function ensureFirstOwner(db: ServerDb, email: string, password: string): Promise<boolean> {
  if ((await db.adminUser.count()) > 0) return false;
  await createAdmin(db, { email, name: 'Owner', password, role: 'owner' });
  return true;
}

/** Who is calling the admin API, and which stores they may touch. */
export interface AdminPrincipal {
  userId: string;
  email: string;
  name: string;
  role: AdminRole;
  /** null: every store. */
  storeIds: ReadonlySet<string> | null;
  /** The session's own token hash, so "sign out everywhere else" can spare it. */
  sessionHash: string;
  /** When the session ends unless it is ended sooner: a live socket is closed then. */
  expiresAt: Date;
}

export function mayManage(principal: AdminPrincipal, storeId: string): boolean {
  return principal.storeIds === null || principal.storeIds.has(storeId);
}

/** Checks a password; verified against a hash even for an unknown email, so timing tells nothing. */
export async function checkPassword(db: ServerDb, email: string, password: string) {
  const user = await db.adminUser.findUnique({ where: { email: email.toLowerCase() } });
  const valid = await verify(user?.passwordHash ?? (await unknownUserHash()), password).catch(() => false);
  return user && valid ? user : null;
}

export async function startSession(db: ServerDb, user: { id: string; email: string; name: string; role: AdminRole }, now: Date) {
  const token = `tsa_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.adminSession.create({ data: { tokenHash: sha256(token), userId: user.id, expiresAt } });
  return { token, expiresAt: expiresAt.toISOString(), user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export async function signOut(db: ServerDb, principal: AdminPrincipal): Promise<void> {
  await db.adminSession.deleteMany({ where: { tokenHash: principal.sessionHash } });
}

/** Ends every session of the user, or every one but the caller's own. */
export async function signOutEverywhere(db: ServerDb, userId: string, except?: string): Promise<number> {
  const { count } = await db.adminSession.deleteMany({ where: { userId, ...(except ? { tokenHash: { not: except } } : {}) } });
  return count;
}

/** Sets a new password after checking the current one, and ends the user's other sessions. */
export async function changePassword(db: ServerDb, principal: AdminPrincipal, currentPassword: string, newPassword: string): Promise<void> {
  const user = await db.adminUser.findUniqueOrThrow({ where: { id: principal.userId } });
  if (!(await verify(user.passwordHash, currentPassword).catch(() => false))) {
    throw new AppError('AUTH_INVALID', 'The current password is wrong.', 'currentPassword');
  }
  const passwordHash = await hash(newPassword);
  await db.$transaction([
    db.adminUser.update({ where: { id: user.id }, data: { passwordHash } }),
    db.adminSession.deleteMany({ where: { userId: user.id, tokenHash: { not: principal.sessionHash } } }),
  ]);
}

/** Deletes sessions past their expiry; they are refused anyway, this keeps the table small. */
export async function purgeExpiredSessions(db: ServerDb, now: Date): Promise<number> {
  return (await db.adminSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
}

/** Resolves `Authorization: Bearer …` to a principal, or refuses. */
export async function authenticate(db: ServerDb, authorization: string | undefined, now = new Date()): Promise<AdminPrincipal> {
  const token = /^Bearer (tsa_[\w-]{20,100})$/.exec(authorization ?? '')?.[1];
  if (!token) throw new AppError('AUTH_REQUIRED', 'Sign in first: send Authorization: Bearer <token> from POST /api/sessions.');
  const sessionHash = sha256(token);
  const session = await db.adminSession.findUnique({ where: { tokenHash: sessionHash }, include: { user: { include: { stores: true } } } });
  if (!session || session.expiresAt <= now) throw new AppError('AUTH_INVALID', 'Your session has ended. Sign in again.');
  const { user } = session;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    // Owners and menu editors work for the whole chain; a manager for the stores they are given.
    storeIds: user.role === 'manager' ? new Set(user.stores.map((s) => s.storeId)) : null,
    sessionHash,
    expiresAt: session.expiresAt,
  };
}


/** Changes an admin's role and stores. An owner cannot make the last owner a manager. */
export async function changeRole(db: ServerDb, userId: string, { role, storeIds }: z.output<typeof AdminChangeSchema>) {
  return db.$transaction(async (tx) => {
    const user = await tx.adminUser.findUnique({ where: { id: userId } });
    if (!user) throw new AppError('ADMIN_NOT_FOUND');
    if (user.role === 'owner' && role !== 'owner' && (await tx.adminUser.count({ where: { role: 'owner' } })) === 1) {
      throw new AppError('LAST_OWNER', 'This is the last owner: make someone else an owner first.', 'role');
    }
    const stores = storesOf(role, storeIds);
    if ((await tx.store.count({ where: { id: { in: stores } } })) !== stores.length) throw new AppError('STORE_NOT_FOUND', 'A store does not exist.', 'storeIds');
    await tx.adminStore.deleteMany({ where: { userId } });
    await tx.adminStore.createMany({ data: stores.map((storeId) => ({ userId, storeId })) });
    // Their sessions carry the old role: they sign in again with the new one.
    await tx.adminSession.deleteMany({ where: { userId } });
    return tx.adminUser.update({ where: { id: userId }, data: { role }, select: { id: true, email: true, name: true, role: true } });
  });
}

export function listAdmins(db: ServerDb) {
  return db.adminUser.findMany({
    select: { id: true, email: true, name: true, role: true, createdAt: true, stores: { select: { storeId: true } } },
    orderBy: { email: 'asc' },
  });
}
