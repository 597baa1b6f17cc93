// The admin API's contract: what each route takes and answers. Fastify validates requests with
// these schemas, serialises answers through them (so a field not listed here never leaves the
// server), and the OpenAPI document at /api/openapi.json is generated from them.
import { z } from 'zod';
import { contrastWithWhite, MIN_TEXT_CONTRAST, ratioText } from '../protocol/brandColour';
import { isTimeZone } from '../protocol/businessDay';
import { DeviceRoleSchema, ErrorBodySchema, KITCHEN_KEY_ACTIONS, KioskSettingsSchema, KitchenSettingsSchema } from '../protocol/events';
import { MenuId } from '../protocol/menu';
import { BusinessDaySchema, OrderIdSchema, OrderNumberSchema, OrderStatusSchema, PaymentSchema, ServiceModeSchema, ServiceSchema } from '../protocol/orders';

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
  'invite-created',
  'invite-accepted',
  'invite-withdrawn',
  'pairing-code-created',
  'device-paired',
  'pairing-failed',
  'device-revoked',
  'device-stations-changed',
  'menu-published',
  'menu-scheduled',
  'menu-schedule-cancelled',
  'menu-deleted',
  'menu-rolled-back',
  'store-changed',
  'limit-tripped',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

// ── Requests ──────────────────────────────────────────────────────────────────────────────────
const TAX_RATE = 'a tax rate from 0 to 100 %, in basis points (900 = 9 %)';
/** A store's settings, one rule each, for creating a store and for changing one. */
const StoreFields = {
  name: z.string().trim().min(1, 'a name is needed').max(80, 'at most 80 characters'),
  /** Street, postcode and town, as a receipt prints it. */
  address: z.string().trim().max(200, 'at most 200 characters'),
  timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Amsterdam'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  taxRateBp: z.int(TAX_RATE).min(0, TAX_RATE).max(10_000, TAX_RATE),
  pricesIncludeTax: z.boolean(),
};
export const NewStoreSchema = z.strictObject({ ...StoreFields, address: StoreFields.address.default('') });
export type NewStore = z.output<typeof NewStoreSchema>;
const IDLE_SECONDS = 'a whole number of seconds from 30 to 600';
/**
 * How the store's kiosks serve customers, as head office changes it: any of the settings, those
 * left out stay as they are. The kiosk writes white text on the brand colour, so a colour white
 * text cannot be read on is refused.
 */
export const KioskChangeSchema = z
  .strictObject({
    serviceModes: z
      .array(ServiceModeSchema)
      .min(1, 'offer eat in, takeaway or both')
      .max(2, 'offer eat in, takeaway or both')
      .refine((modes) => new Set(modes).size === modes.length, 'name each way of serving once'),
    tableNumbers: z.boolean(),
    counterPayment: z.enum(['off', 'to-kitchen', 'hold'], 'off, to-kitchen (sent to the kitchen unpaid) or hold (waits until staff take the money)'),
    idleSeconds: z.int(IDLE_SECONDS).min(30, IDLE_SECONDS).max(600, IDLE_SECONDS),
    brandColour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour written #rrggbb, such as #1f6f50')
      .transform((colour) => colour.toLowerCase())
      .superRefine((colour, ctx) => {
        const ratio = contrastWithWhite(colour);
        if (ratio < MIN_TEXT_CONTRAST) {
          ctx.addIssue({
            code: 'custom',
            message: `white text on ${colour} has a contrast of only ${ratioText(ratio)}, and kiosks write white text on the brand colour: choose a darker colour (at least ${MIN_TEXT_CONTRAST}:1)`,
          });
        }
      }),
  })
  .partial();
export type KioskChange = z.output<typeof KioskChangeSchema>;
const minutes = (most: number) => {
  const words = `a whole number of minutes from 1 to ${most}`;
  return z.int(words).min(1, words).max(most, words);
};
/**
 * How the store's kitchen displays and order-ready board work, as head office changes it: any of
 * the settings, and any of the bump-bar keys; those left out stay as they are. The rules of the
 * whole (KitchenRulesSchema) are checked once the change is merged with what is kept.
 */
export const KitchenChangeSchema = z
  .strictObject({
    readyWhen: z.enum(['expo', 'all-stations'], 'expo (an order is ready when expo sends it out) or all-stations (as soon as every station has made its part)'),
    warnMinutes: minutes(120),
    lateMinutes: minutes(240),
    newTicketSound: z.boolean(),
    lateSound: z.boolean(),
    boardChime: z.boolean(),
    boardClearMinutes: minutes(240),
    keyMap: KitchenSettingsSchema.shape.keyMap.partial(),
  })
  .partial();
export type KitchenChange = z.output<typeof KitchenChangeSchema>;
/** A key as a person reads it: the space bar's name is a space. */
export const keyLabel = (key: string) => (key === ' ' ? 'Space' : key);
/** A store's kitchen settings as a whole: a ticket turns late after it turns amber, and each bump-bar key does one thing. */
export const KitchenRulesSchema = z.strictObject(KitchenSettingsSchema.shape).superRefine((kitchen, ctx) => {
  if (kitchen.lateMinutes <= kitchen.warnMinutes) {
    ctx.addIssue({
      code: 'custom',
      path: ['lateMinutes'],
      message: `a ticket turns amber at ${kitchen.warnMinutes} minutes, so it can turn late only after that: make the late time longer, or the amber time shorter`,
    });
  }
  // Said at each action sharing a key, so a form shows it beside the one just pressed too.
  for (const action of KITCHEN_KEY_ACTIONS) {
    const key = kitchen.keyMap[action];
    const others = KITCHEN_KEY_ACTIONS.filter((other) => other !== action && kitchen.keyMap[other] === key);
    if (others.length > 0) ctx.addIssue({ code: 'custom', path: ['keyMap', action], message: `${keyLabel(key)} is also the key for ${others.join(' and ')}: give each action a key of its own` });
  }
});
/** The settings to change; those left out stay as they are (and so do kiosk and kitchen settings left out of `kiosk` and `kitchen`). */
export const StoreChangeSchema = z.strictObject({ ...StoreFields, kiosk: KioskChangeSchema, kitchen: KitchenChangeSchema }).partial();
export type StoreChange = z.output<typeof StoreChangeSchema>;
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
export const NewInviteSchema = z
  .strictObject({
    email: EmailSchema,
    name: z.string().trim().min(1).max(80),
    role: AdminRoleSchema,
    /** The stores a manager will manage; owners and menu editors work for the whole chain. */
    storeIds: z.array(z.uuid()).max(1000).default([]),
  })
  .refine((invite) => invite.role !== 'manager' || invite.storeIds.length > 0, { path: ['storeIds'], message: 'choose at least one store for a store manager' });
/** What the invitation link carries after `#`: anything else is answered as an unknown invitation. */
export const InviteTokenSchema = z.strictObject({ token: z.string().max(200) });
export const InviteAcceptSchema = InviteTokenSchema.extend({
  /** The name as the invited person confirms it. */
  name: z.string().trim().min(1).max(80),
  password: PasswordSchema,
  /** Keep the session in an HttpOnly cookie (the admin app) instead of answering its token. */
  cookie: z.boolean().default(false),
});
export const NewPairingCodeSchema = z.strictObject({ role: DeviceRoleSchema, name: z.string().trim().min(1).max(80) });
export const PublishSchema = z.strictObject({
  storeIds: z.array(z.uuid()).min(1).max(1000),
  /** Publish at this time instead of now (each store gets it then, on its own). */
  at: z.iso.datetime({ offset: true, error: 'a date and time such as 2027-03-01T06:00:00+01:00' }).transform((at) => new Date(at)).optional(),
});
export const NewDraftSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80),
    /** Start from a copy of this version; without it, from an empty menu in `currency`. */
    fromVersionId: z.uuid().optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR').optional(),
  })
  .refine((draft) => draft.fromVersionId || draft.currency, { path: ['currency'], message: 'an empty menu needs its currency, such as EUR' });
export const DraftSaveSchema = z.strictObject({
  /** The revision the editor started from: a save over someone else's is refused (DRAFT_CHANGED). */
  revision: z.int().min(1),
  /** The menu as typed, problems and all: a draft keeps half-done work; publishing checks it. */
  document: z.record(z.string(), z.unknown()).meta({ description: 'A menu document (format 2), possibly not yet valid.' }),
});
export const DraftPublishSchema = PublishSchema.extend({ revision: z.int().min(1) });
export const CsvImportQuerySchema = z.strictObject({
  /** Save the result into the draft (only when the file has no problem); without it, a preview. */
  apply: z.enum(['true', 'false']).default('false').transform((apply) => apply === 'true'),
  /** With apply: the revision the import was previewed against. */
  revision: z.coerce.number().int().min(1).optional(),
});
export const AvailabilitySchema = z.strictObject({ available: z.boolean() });
export const StoreOrdersQuerySchema = z.strictObject({
  /** Orders placed before this one: the last of the page before. */
  before: OrderIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const StoreOutagesQuerySchema = z.strictObject({
  /** Outages that started before this time: the `nextBefore` of the page before. */
  before: z.iso.datetime().optional(),
});
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
/** An invitation's id: the first 16 hex digits of its token's SHA-256, which tell nothing of the token. */
export const InviteParams = z.strictObject({ inviteId: z.string().regex(/^[0-9a-f]{16}$/) });
export const MenuVersionParams = z.strictObject({ menuVersionId: z.uuid() });
export const StoreItemParams = z.strictObject({ storeId: z.uuid(), itemId: MenuId });
export const DraftParams = z.strictObject({ draftId: z.uuid() });
export const ScheduledParams = z.strictObject({ scheduledId: z.uuid() });

// ── Answers ───────────────────────────────────────────────────────────────────────────────────
const Timestamp = z.date().meta({ description: 'An ISO 8601 timestamp.' });
const ProblemSchema = z.object({
  path: z.string().meta({ description: 'Where in the input, as `items[3].priceCents`.' }),
  message: z.string().meta({ description: 'The problem in words, the part named as its editor knows it ("Big Mac · price: must not be negative").' }),
});
export const ErrorResponseSchema = z
  .object({
    error: ErrorBodySchema.extend({
      problems: z.array(ProblemSchema).optional().meta({ description: 'Every problem of the input at once (at most 200).' }),
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
export const InviteSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: AdminRoleSchema,
  storeIds: z.array(z.uuid()),
  invitedBy: z.string().meta({ description: 'The name of the owner who invited them.' }),
  createdAt: Timestamp,
  expiresAt: Timestamp,
});
export const NewInviteAnswerSchema = InviteSchema.extend({
  link: z.string().meta({ description: 'The one-time link, on this server: /admin/invite#<token>. It is answered only now: send it to the person invited.' }),
});
/** What an invitation link offers, as its holder sees it before accepting. */
export const InvitationSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: AdminRoleSchema,
  stores: z.array(z.object({ id: z.uuid(), name: z.string() })),
  invitedBy: z.string(),
  expiresAt: Timestamp,
});
export const StoreSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  taxRateBp: z.int(),
  pricesIncludeTax: z.boolean(),
  /** How its kiosks serve customers (the defaults until head office changes them). */
  kiosk: KioskSettingsSchema,
  /** How its kitchen displays and order-ready board work (the defaults until head office changes them). */
  kitchen: KitchenSettingsSchema,
  menuVersionId: z.uuid().nullable(),
  createdAt: Timestamp,
});
/** An order as head office lists it: what was bought, how it is served, how it was paid. */
export const StoreOrderSchema = z.object({
  id: z.string(),
  number: OrderNumberSchema,
  businessDay: BusinessDaySchema,
  placedAt: Timestamp,
  /** The kiosk that took it, by its name (null: since removed). */
  kiosk: z.string().nullable(),
  status: OrderStatusSchema,
  currency: z.string(),
  subtotalCents: z.int(),
  taxCents: z.int(),
  totalCents: z.int(),
  /** How many things were bought (the lines' quantities added up). */
  items: z.int(),
  /** Null for orders from kiosks before service, payments and languages. */
  service: ServiceSchema.nullable(),
  payment: PaymentSchema.nullable(),
  locale: z.string().nullable(),
});
export const StoreOrdersSchema = z.object({
  orders: z.array(StoreOrderSchema),
  /** Ask again with `before` this id for older orders; null: there are none. */
  nextBefore: z.string().nullable(),
});
/** A time the store's terminals could not reach the server (sync-server/stores/storeOutages.ts). */
export const StoreOutageSchema = z.object({
  id: z.uuid(),
  startedAt: z.iso.datetime(),
  /** When the last terminal that reported it came back. */
  endedAt: z.iso.datetime(),
  /** The devices that reported it. */
  devices: z.array(z.uuid()),
});
export const StoreOutagesSchema = z.object({
  outages: z.array(StoreOutageSchema),
  /** Ask again with `before` this for older outages; null: there are none. */
  nextBefore: z.iso.datetime().nullable(),
});
/** Who did something, as head office knows them. */
const AdminRefSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
export const SoldOutBoardSchema = z.object({
  /** The menu the store runs; null (and nothing listed) before one is published to it. */
  menuVersionId: z.uuid().nullable(),
  menuName: z.string().nullable(),
  /** In menu order, named in the menu's default language; a subcategory names its `parentId`. */
  categories: z.array(z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() })),
  /** Every item of the menu, in menu order. */
  items: z.array(
    z.object({
      itemId: z.string(),
      name: z.string(),
      categoryId: z.string(),
      available: z.boolean(),
      /** When it was last marked sold out or back; null if never. */
      updatedAt: Timestamp.nullable(),
      /** Who did; null if never, or if that admin has been removed. */
      updatedBy: AdminRefSchema.nullable(),
    }),
  ),
});
export const DeviceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: DeviceRoleSchema,
  orderPrefix: z.string().nullable(),
  cursor: z.int(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp.nullable(),
  /** The terminal app's version when it last connected; null before it ever did. */
  appVersion: z.string().nullable(),
  revokedAt: Timestamp.nullable(),
  /** A kitchen display's stations (menu station ids; none: every line), and whether it is expo. */
  stations: z.array(z.string()),
  expo: z.boolean(),
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
export const ListedMenuVersionSchema = MenuVersionSummarySchema.extend({ publications: z.int().meta({ description: 'How often it was published to a store; 0: it may be deleted.' }) });
export const MenuVersionSchema = MenuVersionSummarySchema.extend({ document: z.unknown().meta({ description: 'The menu document (format 2).' }) });
export const DraftSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  baseVersionId: z.uuid().nullable(),
  revision: z.int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  updatedByName: z.string().nullable(),
});
export const DraftSchema = DraftSummarySchema.extend({
  document: z.unknown(),
  problems: z.array(ProblemSchema).meta({ description: 'Every problem that stops it being published; empty when it can be.' }),
});
export const DraftSavedSchema = z.object({ revision: z.int(), problems: z.array(ProblemSchema) });
const ItemRefSchema = z.object({ id: z.string(), name: z.string() });
export const DraftDiffSchema = z.object({
  stores: z.array(
    z.object({
      storeId: z.uuid(),
      storeName: z.string(),
      menuVersionId: z.uuid().nullable(),
      added: z.array(ItemRefSchema),
      removed: z.array(ItemRefSchema),
      priceChanges: z.array(ItemRefSchema.extend({ fromCents: z.int(), toCents: z.int() })),
      changed: z.array(ItemRefSchema),
    }),
  ),
});
export const CsvImportSchema = z.object({
  counts: z.object({ added: z.int(), changed: z.int(), unchanged: z.int() }),
  problems: z.array(
    z.object({
      row: z.int().optional().meta({ description: 'The row as a spreadsheet numbers it (the header is row 1); absent for the whole file.' }),
      column: z.string().optional(),
      item: z.string().optional(),
      message: z.string(),
    }),
  ),
  /** The draft's new revision, when the import was applied. */
  revision: z.int().optional(),
});
export const ScheduledSchema = z.object({ id: z.uuid(), storeId: z.uuid(), menuVersionId: z.uuid(), menuName: z.string(), publishAt: Timestamp });
export const PublishedSchema = z.object({
  menuVersionId: z.uuid(),
  /** The stores that run it now. */
  storeIds: z.array(z.uuid()),
  scheduled: z.array(z.object({ id: z.uuid(), storeId: z.uuid(), publishAt: Timestamp })),
});
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

// Live orders (GET /api/live-orders and the `/admin` namespace) have a module of their own.
export * from './liveOrdersSchemas';
// So do the reports (GET /api/reports/…).
export * from '../reports/reportSchemas';
