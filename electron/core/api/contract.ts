// The TerminalApi: everything a screen may ask of its terminal. The renderer reaches it through the
// preload bridge (Electron) or a WebSocket (web host); both ends validate with these schemas.
import { z } from 'zod';
import type { Result } from '#protocol/errors';
import type { DeviceRole, KioskSettings, KitchenSettings } from '#protocol/events';
import { Locale, MenuId, type Allergen, type MenuDocument, type MenuItem } from '#protocol/menu';
import { MAX_WIRE_LINES, OrderIdSchema, ServiceSchema, type OrderStatus, type Payment, type Service } from '#protocol/orders';
import type { PricedLine, TaxPolicy } from '#protocol/pricing';
import type { PaymentFailure } from '../payments/paymentProvider';
import type { OperationName } from './operations';

export const PlaceOrderInputSchema = z.strictObject({
  /** The menu the customer ordered from: a kiosk switches menus only between customers. */
  menuVersionId: z.uuid(),
  lines: z.array(z.strictObject({ itemId: MenuId, quantity: z.int(), optionIds: z.array(MenuId).max(40) })).max(200),
  /** The total the customer saw and agreed to; the order is refused if the price is not that. */
  expectedTotalCents: z.int().min(0),
  /** Eat in or take away (and the table), when the kiosk asked. */
  service: ServiceSchema.optional(),
  /** The customer's language, for their receipt. */
  locale: Locale.optional(),
});
export type PlaceOrderInput = z.output<typeof PlaceOrderInputSchema>;

/** A card payment on this kiosk, named by the order it pays for. */
export const CheckoutActionSchema = z.strictObject({ orderId: OrderIdSchema });
export type CheckoutAction = z.output<typeof CheckoutActionSchema>;

export const PairInputSchema = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }),
  /** The one-time code from the admin, e.g. 7KQ4-M2ZP. */
  code: z.string().trim().min(8).max(16),
});
export type PairInput = z.output<typeof PairInputSchema>;

export const TicketActionSchema = z.strictObject({ orderId: OrderIdSchema });
/** One line of a ticket, as a station bumps it item by item. */
export const LineActionSchema = z.strictObject({ orderId: OrderIdSchema, lineNo: z.int().min(1).max(MAX_WIRE_LINES) });
export type LineAction = z.output<typeof LineActionSchema>;

export const StaffPinSchema = z.strictObject({ pin: z.string().regex(/^\d{4,8}$/, '4 to 8 digits') });
export type StaffPin = z.output<typeof StaffPinSchema>;

/** The screen languages the kiosk can speak in (espeak-ng's voices: electron/core/speech/espeak.ts). */
export const SpeechLocaleSchema = z.enum(['en', 'ar', 'fr']);
export type SpeechLocale = z.output<typeof SpeechLocaleSchema>;
/** Something to say to a blind customer through the headphone jack, in their language. */
export const SpeakInputSchema = z.strictObject({
  text: z
    .string()
    .max(1000)
    // Line breaks and other control characters are pauses at most: said as spaces.
    .transform((text) => text.replace(/\p{Cc}+/gu, ' ').trim())
    .pipe(z.string().min(1, 'must not be empty')),
  locale: SpeechLocaleSchema,
});
export type SpeakInput = z.output<typeof SpeakInputSchema>;
export type TicketAction = z.output<typeof TicketActionSchema>;

const NoInput = z.union([z.undefined(), z.strictObject({})]);

/**
 * Every operation, its input schema, the role that may call it (null: any role), and whether only
 * the terminal's own screen may (`local`): not a screen on another device of the shop's network.
 */
export const OPERATIONS = {
  getStatus: { input: NoInput, role: null, local: false },
  pair: { input: PairInputSchema, role: null, local: true },
  getMenu: { input: NoInput, role: 'kiosk', local: false },
  placeOrder: { input: PlaceOrderInputSchema, role: 'kiosk', local: false },
  payByCard: { input: PlaceOrderInputSchema, role: 'kiosk', local: false },
  getCheckout: { input: CheckoutActionSchema, role: 'kiosk', local: false },
  retryCard: { input: CheckoutActionSchema, role: 'kiosk', local: false },
  cancelCheckout: { input: CheckoutActionSchema, role: 'kiosk', local: false },
  payAtCounterInstead: { input: CheckoutActionSchema, role: 'kiosk', local: false },
  getReceipt: { input: CheckoutActionSchema, role: 'kiosk', local: false },
  listTickets: { input: NoInput, role: 'kitchen', local: false },
  bumpTicket: { input: TicketActionSchema, role: 'kitchen', local: false },
  bumpItem: { input: LineActionSchema, role: 'kitchen', local: false },
  markPaid: { input: TicketActionSchema, role: 'kitchen', local: false },
  recallTicket: { input: TicketActionSchema, role: 'kitchen', local: false },
  getBoard: { input: NoInput, role: 'board', local: false },
  getScreenAccess: { input: NoInput, role: null, local: true },
  renewScreenPin: { input: NoInput, role: null, local: true },
  leaveKiosk: { input: StaffPinSchema, role: null, local: true },
  // The kiosk's own screen only: a screen on another device of the network must not make it talk.
  speak: { input: SpeakInputSchema, role: 'kiosk', local: true },
} as const satisfies Record<OperationName, { input: z.ZodType; role: DeviceRole | null; local: boolean }>;

/** Who is calling the terminal: its own screen, or a screen on another device of the network. */
export interface Caller {
  local: boolean;
}

export type Connection = 'unpaired' | 'connecting' | 'online' | 'offline' | 'revoked' | 'unauthorized';

/** Reaching the sync server; only the store's other terminals over the LAN; or nobody. */
export type LinkState = 'cloud' | 'lan' | 'alone';

export interface StoreLinkView {
  state: LinkState;
  /** When it became so (ISO). */
  since: string;
  /** The store's terminals this one has a live peer link with. */
  peers: number;
}

export interface TerminalStatus {
  /** False until staff pair the terminal with a store (enter a pairing code). */
  paired: boolean;
  /** The server this terminal talks to (or was configured with, before pairing). */
  serverUrl: string | null;
  /** False until the first successful connection has told the terminal who it is. */
  provisioned: boolean;
  device: { id: string; name: string; role: DeviceRole; orderPrefix: string | null } | null;
  store: { id: string; name: string; timeZone: string; currency: string } | null;
  connection: Connection;
  /** Cloud, LAN only or alone, and since when: what staff need to know in an outage. */
  link: StoreLinkView;
  /** Changes made here that the server has not acknowledged yet. */
  pendingUploads: number;
  /** Orders the server refused; staff must look at them. */
  rejectedOrders: RejectedOrder[];
  /** Last problem worth showing staff, e.g. a bump refused because the clock is wrong. */
  problem: { code: string; message: string; at: string } | null;
  /** Staff can leave this locked kiosk window with their PIN (Electron with TILLSYNC_STAFF_PIN). */
  staffCanLeave: boolean;
  /** How this kiosk serves customers (the store's settings), and whether it has a card terminal; null on other roles. */
  kiosk: (KioskSettings & { cardPayments: boolean }) | null;
}

export interface RejectedOrder {
  id: string;
  number: string;
  placedAt: string;
  totalCents: number;
  code: string;
  message: string;
}

/** An item as the kiosk shows it: priced for its store (no other store's prices), sold out or not. */
export interface MenuItemView extends Omit<MenuItem, 'storePrices'> {
  available: boolean;
}

/** A menu version as a kiosk shows it: every text in every locale, dayparts to judge in `timeZone`. */
export interface MenuView extends Omit<MenuDocument, 'format' | 'items'> {
  versionId: string;
  tax: TaxPolicy;
  /** The store's time zone, in which dayparts begin and end. */
  timeZone: string;
  items: MenuItemView[];
}

export interface PlacedOrder {
  id: string;
  number: string;
  currency: string;
  lines: PricedLine[];
  subtotalCents: number;
  taxCents: number;
  totalCents: number;
  payment: Payment | null;
  /** The signed link to the order's receipt page (the receipt's QR code); null until the server has given this kiosk its key. */
  receiptUrl: string | null;
}

/** How a card attempt stands, as the customer is told. */
export interface CardAttemptView {
  /** sending: asking the terminal; in-progress: waiting for the card; approved; failed. */
  state: 'sending' | 'in-progress' | 'approved' | 'failed';
  failure: PaymentFailure | 'not-received' | null;
  /** The customer asked to stop; the terminal may still approve. */
  cancelRequested: boolean;
  /** The terminal does not answer right now: the kiosk keeps asking and never guesses. */
  unreachable: boolean;
}

/** A card payment for an order: priced and numbered, placed once the card terminal approves. */
export interface CheckoutView {
  orderId: string;
  number: string;
  totalCents: number;
  currency: string;
  /** paying: not placed yet; placed: paid by card or to be paid at the counter (see `order`); voided: nothing charged, nothing placed. */
  state: 'paying' | 'placed' | 'voided';
  /** The latest attempt. */
  card: CardAttemptView | null;
  /** Attempts that failed before this one. */
  failedAttempts: number;
  order: PlacedOrder | null;
}

/** Whether the customer's paper receipt came out. */
export interface ReceiptView {
  state: 'no-printer' | 'printing' | 'printed' | 'offline' | 'no-paper' | 'cover-open' | 'error';
}

export interface TicketLine {
  lineNo: number;
  name: string;
  quantity: number;
  modifiers: string[];
  /** The station that makes it; null when the menu names none (every station's screen shows it). */
  stationId: string | null;
  /** Its station has made it. */
  done: boolean;
  /**
   * When its station should start it so that the order's items finish together (fire by prep
   * time): the order's start plus the longest prep time of its lines minus this line's.
   */
  fireAt: string;
  /** What the dish and its chosen options contain, for a cook asked about allergies. */
  allergens: Allergen[];
}

/** One station's part of an order, as expo follows it. */
export interface TicketStation {
  id: string;
  name: string;
  /** Every line of this station is made. */
  done: boolean;
}

export interface Ticket {
  id: string;
  number: string;
  placedAt: string;
  /** When the kitchen could start it: when it was placed, or paid for a held counter order. Timers count from here. */
  startedAt: string;
  status: OrderStatus;
  /** When the current status was set (the bump), or null while it is the one it was placed with. */
  statusAt: string | null;
  /** When this screen's part was finished (its lines made, or the order bumped on): the recall drawer's time. */
  finishedAt: string | null;
  /** Eat in (at which table) or take away; null for orders placed without the question. */
  service: Service | null;
  /** To be paid at the counter, not paid yet. */
  unpaid: boolean;
  /** Held until staff take the money: not to be started yet. */
  awaitingPayment: boolean;
  /** The lines this screen makes: its stations' (and those of no station), every line on expo or a screen of every station. */
  lines: TicketLine[];
  /** Each station's part of the order, in the menu's order of stations; empty when the menu names no stations. */
  stations: TicketStation[];
}

/** What a kitchen display is set to show, and how its store's kitchen works. */
export interface KitchenScreen {
  /** The stations it makes, with the menu's names; empty: every line (a one-station kitchen). */
  stations: Array<{ id: string; name: string }>;
  /** Expo: every order, with each station's progress; bumping marks the order ready. */
  expo: boolean;
  settings: KitchenSettings;
  /** The store's time zone, for the clock and the times on tickets. */
  timeZone: string;
}

export interface TicketList {
  screen: KitchenScreen;
  /** Tickets with something still to make (or, on expo, to send out), oldest first. */
  active: Ticket[];
  /** Finished here today, newest first, with when: what "recall" can bring back. */
  recent: Ticket[];
  /** Items still to make on this screen across its active tickets, most first ("all day"). */
  allDay: Array<{ name: string; quantity: number }>;
}

export interface BoardView {
  /** Numbers being made, oldest first. */
  preparing: string[];
  /** Numbers to collect, newest first, with when they became ready (a new one is highlighted). */
  ready: Array<{ number: string; readyAt: string }>;
  /** Chime for a newly ready number (store setting, off by default). */
  chime: boolean;
  /** The languages the board greets in: the store's menu's, as far as the screens speak them. */
  locales: string[];
}

/** How other devices of the shop's network can open this terminal's screen: for staff only. */
export interface ScreenAccessView {
  /** Addresses the screen is served at on the network; empty when it is served to this machine only. */
  urls: string[];
  /** The PIN another device must give once. */
  pin: string;
  /** Browsers let in with the current PIN. */
  screens: number;
}

export interface TerminalApi {
  getStatus(): Promise<TerminalStatus>;
  /** Pairs an unpaired terminal with a store, using a one-time code from the admin. */
  pair(input: PairInput): Promise<TerminalStatus>;
  getMenu(): Promise<MenuView | null>;
  /** Places an order paid at the counter (to the kitchen unpaid, or held for staff, per the store). */
  placeOrder(input: PlaceOrderInput): Promise<PlacedOrder>;
  /** Numbers the order and asks the card terminal for its total; the order is placed once approved. */
  payByCard(input: PlaceOrderInput): Promise<CheckoutView>;
  getCheckout(input: CheckoutAction): Promise<CheckoutView>;
  /** Another card attempt for the same order, after one failed. */
  retryCard(input: CheckoutAction): Promise<CheckoutView>;
  /** The customer gives up: voids at once if no attempt is live, else asks the terminal to stop (it may still approve). */
  cancelCheckout(input: CheckoutAction): Promise<CheckoutView>;
  /** After a failed card attempt: place the same order to be paid at the counter. */
  payAtCounterInstead(input: CheckoutAction): Promise<CheckoutView>;
  getReceipt(input: CheckoutAction): Promise<ReceiptView>;
  /** Staff took the money for a counter order; a held one goes to the kitchen. */
  markPaid(input: TicketAction): Promise<Ticket>;
  listTickets(): Promise<TicketList>;
  /** On a station: its lines made. On expo (or a screen of every station): the order ready; a ready one collected. */
  bumpTicket(input: TicketAction): Promise<Ticket>;
  /** One line made, or taken back if it was. */
  bumpItem(input: LineAction): Promise<Ticket>;
  /** Back one step: a station's lines to make again, a ready order to preparing, a collected one to ready. */
  recallTicket(input: TicketAction): Promise<Ticket>;
  getBoard(): Promise<BoardView>;
  /** The PIN and addresses for screens on other devices (the terminal's own screen only). */
  getScreenAccess(): Promise<ScreenAccessView>;
  /** A new PIN, which every other screen must give again (the terminal's own screen only). */
  renewScreenPin(): Promise<ScreenAccessView>;
  /** Closes the locked kiosk window, for staff who give their PIN (the terminal's own screen only). */
  leaveKiosk(input: StaffPin): Promise<{ leaving: true }>;
  /** Says `text` through the kiosk's speech engine (espeak-ng), cutting off what it was saying (the kiosk's own screen only). */
  speak(input: SpeakInput): Promise<{ speaking: true }>;
}

/** What changed in the terminal; screens re-read what they show. */
export type TerminalEvent = { type: 'status' } | { type: 'menu' } | { type: 'orders' } | { type: 'checkout'; orderId: string } | { type: 'receipt'; orderId: string };

/** The same operations as results instead of exceptions: what crosses IPC or the WebSocket. */
export type TerminalBridgeCalls = {
  [K in OperationName]: (...args: Parameters<TerminalApi[K]>) => Promise<Result<Awaited<ReturnType<TerminalApi[K]>>>>;
};

/** What the preload script puts on `window.tillsync`. */
export interface TerminalBridge extends TerminalBridgeCalls {
  onEvent(listener: (event: TerminalEvent) => void): () => void;
}
