// The terminal ⇄ server wire protocol over Socket.IO: every event, its payload schema and its
// acknowledgement. PROTOCOL.md describes the same thing in prose; keep them in step.
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, type Result } from './errors';
import { MenuId } from './menu';
import { AnyMenuDocumentSchema } from './menuV1';
import { HlcSchema, MAX_WIRE_LINES, OrderIdSchema, OrderRecordSchema, OrderStatusSchema, OrderUploadSchema, ServiceModeSchema } from './orders';

export const PROTOCOL_VERSION = 1;
export const TERMINAL_NAMESPACE = '/terminal';
/** Largest page of changes one pull returns (some megabytes: a page is applied in one transaction). */
export const MAX_PULL_LIMIT = 5000;
/** Most mutations one push may carry. */
export const MAX_PUSH_BATCH = 100;
/** Largest Socket.IO message the server accepts, in bytes. */
export const MAX_MESSAGE_BYTES = 1 << 20;
/**
 * A status change or an order stamped further ahead of the server's clock than this is refused
 * (CLOCK_DRIFT, ORDER_IN_FUTURE). A terminal on the server's time is off by at most half a round
 * trip; a bump from a clock further ahead would win over later ones for that long.
 */
export const MAX_CLOCK_AHEAD_MS = 2_000;
/**
 * How far past the highest number the server applied for a device a mutation number may be
 * (MUTATION_ID_OUT_OF_RANGE): far more than any outbox holds, and small enough that a device's
 * numbers can never be pushed to the end of their range.
 */
export const MAX_MUTATION_LEAP = 1_000_000;
/** Most order ids one `orders:held` request may ask about. */
export const MAX_HELD_QUERY = 1000;

export const DEVICE_ROLES = ['kiosk', 'kitchen', 'board'] as const;
export const DeviceRoleSchema = z.enum(DEVICE_ROLES);
export type DeviceRole = z.output<typeof DeviceRoleSchema>;

const Seq = z.int().min(0).max(2_147_483_647);
/** The server's clock (ms since epoch) when it answered: terminals keep their clocks right with it. */
const ServerTime = z.int();

/** What every refusal carries: a known code, a message for people, and where in the input. */
export const ErrorBodySchema = z.strictObject({
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  path: z.string().optional(),
  /** How long to wait before trying again, for RATE_LIMITED and ACCOUNT_LOCKED. */
  retryAfterMs: z.int().min(1).optional(),
});

// ── Handshake ────────────────────────────────────────────────────────────────────────────────────
/** Socket.IO `auth` payload of the connection. */
export const HandshakeAuthSchema = z.strictObject({
  token: z.string().min(16).max(200),
  /** The menu formats the terminal reads; without it, format 1 only (see §5). */
  menuFormats: z.array(z.int().min(1).max(99)).max(10).optional(),
  /**
   * The change kinds added since protocol 1 that the terminal applies (`store.changed`). A kind
   * this server does not know is ignored, so a newer terminal may name kinds of its own time.
   */
  changeKinds: z.array(z.string().max(40)).max(20).optional(),
  /** The terminal app's version, shown to head office beside the device. */
  appVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$/, 'a version such as 1.4.2').optional(),
});
export type HandshakeAuth = z.output<typeof HandshakeAuthSchema>;

/** An address on the store's LAN: an IP literal, never a name (no lookup can send a peer elsewhere). */
export const LanHostSchema = z.union([z.ipv4(), z.ipv6()]);
/** Most addresses a terminal reports: a till has one or two network interfaces. */
export const MAX_LAN_HOSTS = 8;
/** Where a terminal's peer link listens on the store's LAN. */
export const LanAddressSchema = z.strictObject({
  port: z.int().min(1).max(65_535),
  hosts: z.array(LanHostSchema).max(MAX_LAN_HOSTS),
});
export type LanAddress = z.output<typeof LanAddressSchema>;

export const HelloRequestSchema = z.strictObject({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  /** Last seq the terminal applied; 0 for a new terminal. */
  cursor: Seq,
  /** Where this terminal's peer link listens; the store's other terminals learn it from `store.peers`. */
  lan: LanAddressSchema.optional(),
  /**
   * When this terminal lost the server, if it was out of reach for more than a few seconds since its
   * last session: head office sees the store's outage (PROTOCOL.md §3).
   */
  offlineSince: z.iso.datetime().optional(),
});
export type HelloRequest = z.output<typeof HelloRequestSchema>;

/**
 * What a kitchen display shows: the lines of its stations (none: every line, as in a one-station
 * kitchen), and as expo every order with each station's progress. Head office sets it per device.
 */
export const KitchenStationsSchema = z.strictObject({
  stations: z.array(MenuId).max(30).refine((ids) => new Set(ids).size === ids.length, 'each station once'),
  expo: z.boolean(),
});
export type KitchenStations = z.output<typeof KitchenStationsSchema>;
export const ALL_STATIONS: KitchenStations = { stations: [], expo: false };

export const DeviceProfileSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  role: DeviceRoleSchema,
  orderPrefix: z.string().nullable(),
  /** A kitchen display's stations, for terminals that name `order.lines`. */
  kitchen: KitchenStationsSchema.optional(),
});
/** How the store's kiosks serve customers; head office sets it per store. */
export const KioskSettingsSchema = z.strictObject({
  /** What the kiosk asks first; with one mode it does not ask. */
  serviceModes: z.array(ServiceModeSchema).min(1).max(2),
  /** Eat-in customers give the number of the table tent they took, so food is brought to them. */
  tableNumbers: z.boolean(),
  /** Paying at the counter: not offered, the order goes to the kitchen unpaid, or it waits until staff take the money. */
  counterPayment: z.enum(['off', 'to-kitchen', 'hold']),
  /** Seconds without a touch before the kiosk asks "Need more time?". */
  idleSeconds: z.int().min(30).max(600),
  /** The brand's colour for the kiosk's buttons and welcome screen, `#rrggbb`. */
  brandColour: z.string().regex(/^#[0-9a-f]{6}$/, 'a colour such as #1f6f50'),
});
export type KioskSettings = z.output<typeof KioskSettingsSchema>;
export const DEFAULT_KIOSK_SETTINGS: KioskSettings = {
  serviceModes: ['eat-in', 'takeaway'],
  tableNumbers: false,
  counterPayment: 'to-kitchen',
  idleSeconds: 90,
  brandColour: '#1f6f50',
};
/** What a bump-bar key does on a kitchen display. */
export const KITCHEN_KEY_ACTIONS = ['previous', 'next', 'bump', 'bumpItem', 'recall', 'pageBack', 'pageForward'] as const;
/** A key as the browser names it (KeyboardEvent.key): `ArrowRight`, `Enter`, `5`, `b`, `" "` for the space bar. */
const KeyName = z.string().max(20).regex(/^(?: |[\x21-\x7e]+)$/, 'a key name such as ArrowRight, 5 or " " (the space bar)');
/** How a store's kitchen displays and order-ready boards work; head office sets it per store. */
export const KitchenSettingsSchema = z
  .strictObject({
    /** An order is ready when expo bumps it, or as soon as every station has made its part. */
    readyWhen: z.enum(['expo', 'all-stations']),
    /** Minutes after an order starts when its timer turns amber, then red: running late. */
    warnMinutes: z.int().min(1).max(120),
    lateMinutes: z.int().min(1).max(240),
    /** Kitchen displays sound for a new ticket and for one that turns late. */
    newTicketSound: z.boolean(),
    lateSound: z.boolean(),
    /** The order-ready board chimes when a number is newly ready (off by default: it is in the dining room). */
    boardChime: z.boolean(),
    /** Minutes a ready number stays on the board when nobody marks it collected. */
    boardClearMinutes: z.int().min(1).max(240),
    /** Bump-bar keys, one per action. */
    keyMap: z.strictObject(Object.fromEntries(KITCHEN_KEY_ACTIONS.map((action) => [action, KeyName])) as Record<(typeof KITCHEN_KEY_ACTIONS)[number], typeof KeyName>),
  })
  .refine((k) => k.warnMinutes < k.lateMinutes, { message: 'must be later than the amber time', path: ['lateMinutes'] })
  .refine((k) => new Set(Object.values(k.keyMap)).size === KITCHEN_KEY_ACTIONS.length, { message: 'each key may do one thing', path: ['keyMap'] });
export type KitchenSettings = z.output<typeof KitchenSettingsSchema>;
export type KitchenKeyAction = (typeof KITCHEN_KEY_ACTIONS)[number];
/** A bump bar's usual keys: arrows move, Enter bumps the ticket, Space one item, Backspace recalls, PageUp/PageDown page. */
export const DEFAULT_KITCHEN_SETTINGS: KitchenSettings = {
  readyWhen: 'expo',
  warnMinutes: 5,
  lateMinutes: 10,
  newTicketSound: true,
  lateSound: true,
  boardChime: false,
  boardClearMinutes: 10,
  keyMap: { previous: 'ArrowLeft', next: 'ArrowRight', bump: 'Enter', bumpItem: ' ', recall: 'Backspace', pageBack: 'PageUp', pageForward: 'PageDown' },
};

/** What a terminal keeps of its store, from the feed (`store.changed`) and from snapshots. */
export const StoreSettingsSchema = z.strictObject({
  name: z.string(),
  /** As a receipt prints it; may be empty. */
  address: z.string(),
  timeZone: z.string(),
  currency: z.string().length(3),
  taxRateBp: z.int().min(0).max(10_000),
  pricesIncludeTax: z.boolean(),
  /** For terminals that name `order.paid` in their handshake. */
  kiosk: KioskSettingsSchema.optional(),
  /** For terminals that name `order.lines` in their handshake. */
  kitchen: KitchenSettingsSchema.optional(),
});
export type StoreSettings = z.output<typeof StoreSettingsSchema>;
/** The store as a hello names it. */
export const StoreProfileSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string().length(3),
  taxRateBp: z.int().min(0).max(10_000),
  pricesIncludeTax: z.boolean(),
  /**
   * For terminals that name `order.paid`: what a receipt prints, and how the kiosks serve, so a
   * terminal updated in place has them at its first hello rather than at the store's next change.
   */
  address: z.string().optional(),
  kiosk: KioskSettingsSchema.optional(),
  /** For terminals that name `order.lines`. */
  kitchen: KitchenSettingsSchema.optional(),
});
export const HelloResponseSchema = z.strictObject({
  device: DeviceProfileSchema,
  store: StoreProfileSchema,
  /** Server's clock (ms since epoch) when it answered: terminals correct their own clock with it. */
  serverTime: ServerTime,
  /** Newest seq of the store's feed. */
  headSeq: Seq,
  /** The terminal must load a snapshot before pulling (new terminal, or a cursor the feed cannot continue). */
  snapshotRequired: z.boolean(),
  /**
   * Highest mutation number the server holds a change under for this device (0: none). A
   * terminal restored from a backup numbers its outbox on from here instead of reusing numbers.
   */
  lastMutationId: z.int().min(0),
  /**
   * For terminals that name `order.paid`: the key a kiosk signs its receipts' links with
   * (base64url, 32 bytes), so the server's receipt page opens only for the order it was printed for.
   */
  receiptKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/).optional(),
  /**
   * For terminals that name `store.peers`: the SHA-256 of the store's authority certificate (DER,
   * lowercase hex). A terminal whose certificate another authority signed asks for a new one at
   * once (PROTOCOL.md §11): the store's authority was made again.
   */
  storeAuthority: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type HelloResponse = z.output<typeof HelloResponseSchema>;

// ── Feed: changes the server accepted, numbered per store ──────────────────────────────────────
/**
 * One of a store's devices as the others know it: who it is, where its peer link listens (no
 * address before its first hello that names one: `hosts` empty, `port` null), and whether head
 * office revoked it (its certificate is then refused by its peers).
 */
export const StorePeerSchema = z.strictObject({
  id: z.uuid(),
  role: DeviceRoleSchema,
  name: z.string(),
  hosts: z.array(LanHostSchema).max(MAX_LAN_HOSTS),
  port: z.int().min(1).max(65_535).nullable(),
  revoked: z.boolean(),
});
export type StorePeer = z.output<typeof StorePeerSchema>;

/** A menu version on the wire: format 2 to terminals that read it, format 1 to the others. */
export const MenuVersionWireSchema = z.strictObject({ id: z.uuid(), name: z.string(), document: AnyMenuDocumentSchema });
export type MenuVersionWire = z.output<typeof MenuVersionWireSchema>;

const ChangeBase = { seq: Seq.min(1), at: z.iso.datetime() };
/** The lines of one order a bump names, each once. */
const LineNos = z
  .array(z.int().min(1).max(MAX_WIRE_LINES))
  .min(1)
  .max(MAX_WIRE_LINES)
  .refine((lineNos) => new Set(lineNos).size === lineNos.length, 'each line once');
export const ChangeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...ChangeBase, kind: z.literal('order.placed'), order: OrderRecordSchema }),
  z.strictObject({
    ...ChangeBase,
    kind: z.literal('order.status'),
    orderId: OrderIdSchema,
    status: OrderStatusSchema,
    hlc: HlcSchema,
    deviceId: z.uuid(),
  }),
  z.strictObject({ ...ChangeBase, kind: z.literal('menu.published'), menuVersion: MenuVersionWireSchema }),
  z.strictObject({ ...ChangeBase, kind: z.literal('item.availability'), itemId: MenuId, available: z.boolean() }),
  z.strictObject({ ...ChangeBase, kind: z.literal('device.revoked'), deviceId: z.uuid() }),
  z.strictObject({ ...ChangeBase, kind: z.literal('store.changed'), store: StoreSettingsSchema }),
  /** Staff took the payment of a counter order; a held one now goes to the kitchen. */
  z.strictObject({ ...ChangeBase, kind: z.literal('order.paid'), orderId: OrderIdSchema, paidAt: z.iso.datetime(), deviceId: z.uuid() }),
  /** A station bumped (or recalled) lines of an order; each line's state is last-writer-wins by clock. */
  z.strictObject({ ...ChangeBase, kind: z.literal('order.lines'), orderId: OrderIdSchema, lineNos: LineNos, done: z.boolean(), hlc: HlcSchema, deviceId: z.uuid() }),
  /** Head office set which stations a kitchen display shows. */
  z.strictObject({ ...ChangeBase, kind: z.literal('device.stations'), deviceId: z.uuid(), kitchen: KitchenStationsSchema }),
  /** The store's whole device list, after a device was paired, revoked or renamed, or its LAN address changed. */
  z.strictObject({ ...ChangeBase, kind: z.literal('store.peers'), devices: z.array(StorePeerSchema) }),
]);
export type Change = z.output<typeof ChangeSchema>;
export type ChangeKind = Change['kind'];
/** A change before the server numbered it. */
export type ChangeBody = Change extends infer C ? (C extends Change ? Omit<C, 'seq' | 'at'> : never) : never;

export const PullRequestSchema = z.strictObject({ after: Seq, limit: z.int().min(1).max(MAX_PULL_LIMIT).optional() });
export type PullRequest = z.output<typeof PullRequestSchema>;
export const PullResponseSchema = z.strictObject({ changes: z.array(ChangeSchema), headSeq: Seq, serverTime: ServerTime });
export type PullResponse = z.output<typeof PullResponseSchema>;

export const SnapshotRequestSchema = z.strictObject({});
export const SnapshotResponseSchema = z.strictObject({
  /** The snapshot is the state after this seq; pull from here once every page of orders is in. */
  seq: Seq,
  menuVersion: MenuVersionWireSchema.nullable(),
  availability: z.array(z.strictObject({ itemId: MenuId, available: z.boolean() })),
  /** The first page of the orders still open and those of the current business day, oldest first. */
  orders: z.array(OrderRecordSchema),
  /** More orders follow: ask `feed:snapshotOrders` after the last one. */
  moreOrders: z.boolean(),
  /** The store's settings as of `seq`, for terminals that apply `store.changed` (§3). */
  store: StoreSettingsSchema.optional(),
  /** The store's devices as of `seq`, for terminals that apply `store.peers`. */
  peers: z.array(StorePeerSchema).optional(),
});
export type SnapshotResponse = z.output<typeof SnapshotResponseSchema>;

export const SnapshotOrdersRequestSchema = z.strictObject({ after: OrderIdSchema });
export const SnapshotOrdersResponseSchema = z.strictObject({ orders: z.array(OrderRecordSchema), more: z.boolean() });
export type SnapshotOrdersResponse = z.output<typeof SnapshotOrdersResponseSchema>;

export const LiveChangesSchema = z.strictObject({ changes: z.array(ChangeSchema).min(1) });
export type LiveChanges = z.output<typeof LiveChangesSchema>;

export const AppliedReportSchema = z.strictObject({ seq: Seq });

/** Which of a terminal's own orders the server holds: how a terminal and a restored server reconcile. */
export const HeldOrdersRequestSchema = z.strictObject({ orderIds: z.array(OrderIdSchema).min(1).max(MAX_HELD_QUERY) });
export type HeldOrdersRequest = z.output<typeof HeldOrdersRequestSchema>;
export const HeldOrdersResponseSchema = z.strictObject({ held: z.array(OrderIdSchema) });
export type HeldOrdersResponse = z.output<typeof HeldOrdersResponseSchema>;

// ── Mutations: what a terminal asks the server to change ───────────────────────────────────────
/**
 * A device's own label for a change, counting up from 1. What was applied is decided by content
 * (the order's id, the status event's clock); the number only tells retries from new changes.
 */
const MutationId = z.int().min(1).max(Number.MAX_SAFE_INTEGER);
export const MutationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ id: MutationId, kind: z.literal('order.place'), order: OrderUploadSchema }),
  z.strictObject({ id: MutationId, kind: z.literal('order.status'), orderId: OrderIdSchema, status: OrderStatusSchema, hlc: HlcSchema }),
  /** Staff took the payment of a counter order (terminals that name `order.paid`). */
  z.strictObject({ id: MutationId, kind: z.literal('order.paid'), orderId: OrderIdSchema, paidAt: z.iso.datetime() }),
  /** A station made (done) or takes back (not done) lines of an order (terminals that name `order.lines`). */
  z.strictObject({ id: MutationId, kind: z.literal('order.lines'), orderId: OrderIdSchema, lineNos: LineNos, done: z.boolean(), hlc: HlcSchema }),
]);
export type Mutation = z.output<typeof MutationSchema>;
/** A mutation as the outbox stores it, before it has been numbered by the outbox. */
export type MutationBody = Mutation extends infer M ? (M extends Mutation ? Omit<M, 'id'> : never) : never;

export const PushRequestSchema = z.strictObject({ mutations: z.array(MutationSchema).min(1).max(MAX_PUSH_BATCH) });
export type PushRequest = z.output<typeof PushRequestSchema>;

export const MutationOutcomeSchema = z.enum(['applied', 'duplicate', 'rejected']);
export const MutationResultSchema = z.strictObject({
  id: MutationId,
  outcome: MutationOutcomeSchema,
  error: ErrorBodySchema.optional(),
});
export type MutationResult = z.output<typeof MutationResultSchema>;
export const PushResponseSchema = z.strictObject({ results: z.array(MutationResultSchema), serverTime: ServerTime });
export type PushResponse = z.output<typeof PushResponseSchema>;

// ── The store's LAN: device certificates ───────────────────────────────────────────────────────
/** How long a device certificate is valid; a terminal asks for a new one well before it ends. */
export const DEVICE_CERTIFICATE_DAYS = 30;
/** An ECDSA P-256 public key as SubjectPublicKeyInfo, DER, in base64 (91 bytes: 124 characters). */
export const CertifyRequestSchema = z.strictObject({ publicKey: z.base64().max(256) });
export type CertifyRequest = z.output<typeof CertifyRequestSchema>;
const Pem = (label: string) => z.string().max(8192).startsWith(`-----BEGIN ${label}-----`);
export const CertifyResponseSchema = z.strictObject({
  /** This device's certificate for the key: subject `CN=<device id>, O=<store id>, OU=<role>`. */
  certificate: Pem('CERTIFICATE'),
  /** The store's authority, which signed it: the only issuer the store's terminals trust. */
  storeAuthority: Pem('CERTIFICATE'),
  /** When the certificate ends. */
  expiresAt: z.iso.datetime(),
});
export type CertifyResponse = z.output<typeof CertifyResponseSchema>;

// ── Socket.IO event maps ───────────────────────────────────────────────────────────────────────
type Ack<T> = (result: Result<T>) => void;

export interface TerminalToServerEvents {
  'session:hello': (request: HelloRequest, ack: Ack<HelloResponse>) => void;
  'feed:snapshot': (request: Record<string, never>, ack: Ack<SnapshotResponse>) => void;
  'feed:snapshotOrders': (request: { after: string }, ack: Ack<SnapshotOrdersResponse>) => void;
  'feed:pull': (request: PullRequest, ack: Ack<PullResponse>) => void;
  'mutations:push': (request: PushRequest, ack: Ack<PushResponse>) => void;
  'orders:held': (request: HeldOrdersRequest, ack: Ack<HeldOrdersResponse>) => void;
  'device:certify': (request: CertifyRequest, ack: Ack<CertifyResponse>) => void;
  /** Fire-and-forget: the terminal has applied everything up to `seq`. */
  'feed:applied': (report: { seq: number }) => void;
}

export interface ServerToTerminalEvents {
  'feed:changes': (batch: LiveChanges) => void;
}

// ── The catalogue PROTOCOL.md is generated from ────────────────────────────────────────────────
/** Every event of the protocol with its payload and acknowledgement schemas. */
export const PROTOCOL_EVENTS = {
  'session:hello': { from: 'terminal', request: HelloRequestSchema, ack: HelloResponseSchema },
  'feed:snapshot': { from: 'terminal', request: SnapshotRequestSchema, ack: SnapshotResponseSchema },
  'feed:snapshotOrders': { from: 'terminal', request: SnapshotOrdersRequestSchema, ack: SnapshotOrdersResponseSchema },
  'feed:pull': { from: 'terminal', request: PullRequestSchema, ack: PullResponseSchema },
  'mutations:push': { from: 'terminal', request: PushRequestSchema, ack: PushResponseSchema },
  'orders:held': { from: 'terminal', request: HeldOrdersRequestSchema, ack: HeldOrdersResponseSchema },
  'device:certify': { from: 'terminal', request: CertifyRequestSchema, ack: CertifyResponseSchema },
  'feed:applied': { from: 'terminal', request: AppliedReportSchema, ack: null },
  'feed:changes': { from: 'server', request: LiveChangesSchema, ack: null },
} as const satisfies Record<keyof TerminalToServerEvents | keyof ServerToTerminalEvents, { from: 'terminal' | 'server'; request: z.ZodType; ack: z.ZodType | null }>;
