// What each head-office role may do. An owner: everything. A menu editor: the chain's menus and
// pictures for every store, and reading the stores. A store manager: their own stores' devices,
// pairing and sold-out board, and which menu version those stores run; nothing chain-wide.
import { AppError } from '../protocol/errors';
import type { AdminRole } from './adminApiSchemas';

/** The roles each kind of work is for, as the routes' guards name them. */
export const ROLES_FOR = {
  /** People, invitations, the audit log, new stores. */
  owners: ['owner'],
  /** The chain's menus and pictures. */
  menus: ['owner', 'editor'],
  /** A store's devices, pairing and sold-out board. */
  stores: ['owner', 'manager'],
  /** One's own account, reading stores and menus, and which menu a store runs (publish, roll back). */
  anyone: ['owner', 'editor', 'manager'],
} as const satisfies Record<string, readonly AdminRole[]>;

const WHO: Record<AdminRole, string> = { owner: 'an owner', editor: 'a menu editor', manager: "the store's manager" };

/** Refuses an admin whose role is not among `allowed`, saying who may. */
export function requireRole(role: AdminRole, allowed: readonly AdminRole[]): void {
  if (allowed.includes(role)) return;
  throw new AppError('FORBIDDEN_FOR_ROLE', `Only ${allowed.map((r) => WHO[r]).join(' or ')} may do this.`);
}
