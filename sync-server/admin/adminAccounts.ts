// Admin accounts and their sessions. Passwords are stored as argon2id hashes; a session is a
// random bearer token of which the server keeps only the SHA-256.
import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import { uuidv7 } from '../protocol/ids';

const SESSION_HOURS = 12;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const EmailSchema = z.email().transform((e) => e.toLowerCase());
export const PasswordSchema = z.string().min(12, 'at least 12 characters').max(200);

let dummyHash: Promise<string> | null = null;
/** A hash of a password nobody knows, for the unknown-email path of signIn. */
const unknownUserHash = () => (dummyHash ??= hash(randomBytes(32).toString('hex')));

export interface NewAdmin {
  email: string;
  name: string;
  password: string;
  role: 'owner' | 'manager';
  /** Stores a manager may manage; owners manage all. */
  storeIds?: string[];
}

export async function createAdmin(db: ServerDb, admin: NewAdmin) {
  const email = EmailSchema.parse(admin.email);
  const passwordHash = await hash(PasswordSchema.parse(admin.password));
  return db.adminUser.create({
    data: {
      id: uuidv7(),
      email,
      name: admin.name,
      passwordHash,
      role: admin.role,
      stores: { create: (admin.storeIds ?? []).map((storeId) => ({ storeId })) },
    },
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
  role: 'owner' | 'manager';
  /** null: every store. */
  storeIds: ReadonlySet<string> | null;
}

export function mayManage(principal: AdminPrincipal, storeId: string): boolean {
  return principal.storeIds === null || principal.storeIds.has(storeId);
}

export async function signIn(db: ServerDb, email: string, password: string, now = new Date()) {
  const user = await db.adminUser.findUnique({ where: { email: email.toLowerCase() } });
  // Verify against a hash even for an unknown email, so timing does not tell which emails exist.
  const valid = await verify(user?.passwordHash ?? (await unknownUserHash()), password).catch(() => false);
  if (!user || !valid) throw new AppError('AUTH_INVALID', 'The email or the password is wrong.');
  const token = `tsa_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db.adminSession.create({ data: { tokenHash: sha256(token), userId: user.id, expiresAt } });
  return { token, expiresAt: expiresAt.toISOString(), user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

export async function signOut(db: ServerDb, token: string): Promise<void> {
  await db.adminSession.deleteMany({ where: { tokenHash: sha256(token) } });
}

/** Resolves `Authorization: Bearer …` to a principal, or refuses. */
export async function authenticate(db: ServerDb, authorization: string | undefined, now = new Date()): Promise<AdminPrincipal> {
  const token = /^Bearer (tsa_[\w-]{20,100})$/.exec(authorization ?? '')?.[1];
  if (!token) throw new AppError('AUTH_REQUIRED', 'Sign in first: send Authorization: Bearer <token> from POST /api/sessions.');
  const session = await db.adminSession.findUnique({ where: { tokenHash: sha256(token) }, include: { user: { include: { stores: true } } } });
  if (!session || session.expiresAt <= now) throw new AppError('AUTH_INVALID', 'Your session has expired. Sign in again.');
  const { user } = session;
  return { userId: user.id, role: user.role, storeIds: user.role === 'owner' ? null : new Set(user.stores.map((s) => s.storeId)) };
}
