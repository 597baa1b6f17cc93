// The admin API's contract: what each route takes and answers. Fastify validates requests with
// these schemas, serialises answers through them (so a field not listed here never leaves the
// server), and the OpenAPI document at /api/openapi.json is generated from them.
import { z } from 'zod';
import { isTimeZone } from '../protocol/businessDay';
import { DeviceRoleSchema, ErrorBodySchema } from '../protocol/events';
import { MenuId } from '../protocol/menu';

// ── Shared parts ────────────────────────────────────────────────────────────────────────────────
export const EmailSchema = z.email().transform((e) => e.toLowerCase());
export const PasswordSchema = z.string().min(12, 'at least 12 characters').max(200);
/** owner: everything; editor: menus and pictures for every store; manager: the stores they are given. */
export const AdminRoleSchema = z.enum(['owner', 'editor', 'manager']);
export type AdminRole = z.output<typeof AdminRoleSchema>;
/** What the audit log records (audit/auditLog.ts). */
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'sign-out-everywhere',
  'password-changed',
  'admin-created',
  'role-changed',
  'pairing-code-created',
  'device-paired',
  'pairing-failed',
  'device-revoked',
  'menu-published',
  'menu-rolled-back',
  'limit-tripped',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

// ── Requests ──────────────────────────────────────────────────────────────────────────────────
export const NewStoreSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Amsterdam'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  taxRateBp: z.int().min(0).max(10_000),
  pricesIncludeTax: z.boolean(),
});
export type NewStore = z.output<typeof NewStoreSchema>;
export const AdminChangeSchema = z.strictObject({
  role: AdminRoleSchema,
  /** The stores a manager manages; ignored for owners, who manage all. */
  storeIds: z.array(z.uuid()).max(1000).default([]),
});
export const SignInSchema = z.strictObject({
  email: z.string().max(200),
  password: z.string().max(200),
  /** Keep the session in an HttpOnly cookie (the admin app) instead of answering its token. */
  cookie: z.boolean().default(false),
});
export const PasswordChangeSchema = z.strictObject({ currentPassword: z.string().max(200), newPassword: PasswordSchema });
export const NewAdminSchema = z.strictObject({
  email: EmailSchema,
  name: z.string().trim().min(1).max(80),
  password: PasswordSchema,
  role: AdminRoleSchema,
  storeIds: z.array(z.uuid()).max(1000).default([]),
});
export const NewPairingCodeSchema = z.strictObject({ role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });
export const PublishSchema = z.strictObject({ storeIds: z.array(z.uuid()).min(1).max(1000) });
export const AvailabilitySchema = z.strictObject({ available: z.boolean() });
export const AuditQuerySchema = z.strictObject({
  /** Events before this id (for the next page). */
  before: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, 'an event id')
    .transform((id) => BigInt(id))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.enum(AUDIT_ACTIONS).optional(),
  storeId: z.uuid().optional(),
});

// ── Path parameters ─────────────────────────────────────────────────────────────────────────────
export const StoreParams = z.strictObject({ storeId: z.uuid() });
export const DeviceParams = z.strictObject({ deviceId: z.uuid() });
export const AdminParams = z.strictObject({ adminId: z.uuid() });
export const MenuVersionParams = z.strictObject({ menuVersionId: z.uuid() });
export const StoreItemParams = z.strictObject({ storeId: z.uuid(), itemId: MenuId });

// ── Answers ───────────────────────────────────────────────────────────────────────────────────
const Timestamp = z.date().meta({ description: 'An ISO 8601 timestamp.' });
export const ErrorResponseSchema = z
  .object({
    error: ErrorBodySchema.extend({
      problems: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'Every problem of the input at once (at most 200).' }),
    }),
  })
  .meta({ description: 'Refused: `error.code` says why (PROTOCOL.md §8), `error.message` what to do. RATE_LIMITED and ACCOUNT_LOCKED say when to try again (also as Retry-After).' });
const SessionUserSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: AdminRoleSchema });
export const SessionSchema = z.object({
  token: z.string().meta({ description: 'Send as Authorization: Bearer <token>.' }),
  expiresAt: z.string(),
  user: SessionUserSchema,
});
export const CookieSessionSchema = z.object({
  expiresAt: z.string(),
  user: SessionUserSchema,
  csrfToken: z.string().meta({ description: 'Send as X-CSRF-Token with every change this session asks for.' }),
});
export const MeSchema = z.object({
  user: SessionUserSchema.extend({ storeIds: z.array(z.uuid()).nullable().meta({ description: 'The stores you manage; null: every store.' }) }),
  csrfToken: z.string().optional().meta({ description: 'For a cookie session: send as X-CSRF-Token with every change.' }),
});
export const AdminSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string(), role: AdminRoleSchema });
export const ListedAdminSchema = AdminSchema.extend({ createdAt: Timestamp, storeIds: z.array(z.uuid()) });
export const StoreSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  taxRateBp: z.int(),
  pricesIncludeTax: z.boolean(),
  menuVersionId: z.uuid().nullable(),
  createdAt: Timestamp,
});
export const DeviceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: DeviceRoleSchema,
  orderPrefix: z.string().nullable(),
  cursor: z.int(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** Connected to a server node right now. */
  online: z.boolean(),
});
export const PairingCodeSchema = z.object({ code: z.string(), expiresAt: z.string(), role: DeviceRoleSchema, name: z.string() });
export const PictureSchema = z.object({
  id: z.string().meta({ description: 'The SHA-256 of the file as uploaded: use it as an item\'s `image`; the picture is at /media/<id>-card.webp and -full.webp.' }),
  fileName: z.string(),
  width: z.int(),
  height: z.int(),
  createdAt: Timestamp,
});
export const MenuVersionSummarySchema = z.object({ id: z.uuid(), name: z.string(), createdAt: Timestamp });
export const AuditEventSchema = z.object({
  id: z.string(),
  at: Timestamp,
  action: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  address: z.string().nullable(),
  storeId: z.string().nullable(),
  detail: z.unknown(),
});

/** OpenAPI's note on a route that needs a signed-in admin (a bearer token or the admin app's cookie). */
export const SIGNED_IN = [{ session: [] }];

/** The refusals every route may answer with, in one shape. */
export const REFUSALS = { '4xx': ErrorResponseSchema, '5xx': ErrorResponseSchema } as const;
