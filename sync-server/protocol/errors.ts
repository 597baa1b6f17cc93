// Error codes that cross a boundary (socket acknowledgements, REST bodies, the TerminalApi).
// Only these codes ever reach a client; anything unexpected becomes INTERNAL.

export const ERROR_CODES = {
  // Input
  INVALID_PAYLOAD: 'The request does not have the expected shape.',
  PAYLOAD_TOO_LARGE: 'The request is larger than allowed.',
  UNKNOWN_OPERATION: 'There is no such operation.',
  // Orders
  EMPTY_ORDER: 'An order needs at least one item.',
  TOO_MANY_LINES: 'The order has more lines than allowed.',
  UNKNOWN_ITEM: 'An item is not on this menu.',
  UNKNOWN_OPTION: 'A choice does not belong to the item.',
  MODIFIER_COUNT: 'A choice group has too few or too many selections.',
  INVALID_QUANTITY: 'A quantity is outside the allowed range.',
  PRICE_MISMATCH: 'A price does not match the menu.',
  ITEM_SOLD_OUT: 'An item is sold out.',
  MENU_VERSION_UNKNOWN: 'The order refers to a menu this store never had.',
  MENU_NOT_READY: 'This terminal has not received a menu yet.',
  ORDER_NOT_FOUND: 'There is no such order in this store.',
  ORDER_NOT_YET_HELD: 'The order has not reached the server yet (its kiosk has not uploaded it); the change will be sent again later.',
  INVALID_TRANSITION: 'The ticket cannot move that way from where it is.',
  ORDER_NUMBER_TAKEN: 'Another order of the day already has this number.',
  ORDER_NUMBER_NOT_YOURS: "The order number does not start with this kiosk's prefix.",
  ORDER_IN_FUTURE: "The order is dated ahead of the server's clock.",
  ORDER_TOO_OLD: 'The order is dated too long ago to be accepted.',
  BUSINESS_DAY_INVALID: "The business day is not the store's date when the order was placed.",
  ORDER_ID_CONFLICT: 'Another order already has this id.',
  STATUS_EVENT_CONFLICT: 'A different status change is already recorded under this clock.',
  MUTATION_ID_REUSED: 'This mutation number was used before for another change. Number it anew and send it again.',
  MUTATION_ID_OUT_OF_RANGE: 'This mutation number is too far ahead of the numbers this device has used.',
  CLOCK_DRIFT: "The device's clock is too far ahead of the server's.",
  PAYMENT_MISMATCH: "The amount paid by card is not the order's total.",
  PAYMENT_ALREADY_USED: 'This card payment already paid another order: one charge pays one order.',
  NOT_A_COUNTER_ORDER: 'Only an order to be paid at the counter can be marked paid by staff.',
  LINE_NOT_FOUND: 'The order has no such line.',
  // Devices and admins
  AUTH_REQUIRED: 'Sign in first.',
  AUTH_INVALID: 'The credentials are not valid.',
  PAIRING_CODE_INVALID: 'This pairing code is unknown, used or expired. Ask for a new one.',
  RATE_LIMITED: 'Too many requests. Wait the time given, then try again.',
  ACCOUNT_LOCKED: 'This account is locked for a while after too many wrong passwords.',
  STORE_NOT_FOUND: 'There is no such store, or it is not yours to manage.',
  CURRENCY_MISMATCH: "The store's menu is priced in another currency, and a menu has one currency.",
  ORDER_PREFIXES_EXHAUSTED: "Every order-number prefix of the store belongs to a kiosk. Revoke kiosks that are no longer used.",
  DEVICE_NOT_FOUND: 'There is no such device, or it is not yours to manage.',
  UNKNOWN_STATION: "A station is not on the store's menu. Choose among the menu's stations, or add the station to the menu first.",
  REPORT_RANGE_TOO_LONG: 'A report covers at most 366 days. Choose a shorter date range.',
  ADMIN_NOT_FOUND: 'There is no such admin.',
  PICTURE_INVALID: 'This file is not a picture that can be used. Send a JPEG, PNG, WebP or AVIF photo.',
  PICTURE_NOT_FOUND: 'There is no such picture.',
  DRAFT_NOT_FOUND: 'There is no such menu draft; it may have been published or deleted.',
  DRAFT_CHANGED: 'Someone else saved this draft since you opened it. Reload it to see their changes.',
  MENU_VERSION_IN_USE: 'This menu version was published, or is scheduled to be: it is kept for the orders priced from it.',
  SCHEDULE_NOT_FOUND: 'There is no such scheduled publication, or it has already gone out.',
  CSRF_INVALID: 'This page is out of date or was not sent by the admin app. Reload it and try again.',
  ADMIN_EXISTS: 'An admin with this email already exists.',
  LAST_OWNER: 'The last owner cannot stop being one.',
  INVITE_INVALID: 'This invitation link is unknown, used, withdrawn or expired. Ask whoever invited you for a new one.',
  INVITE_NOT_FOUND: 'There is no such invitation waiting: it was accepted or withdrawn.',
  DEVICE_REVOKED: 'This device was removed from its store.',
  FORBIDDEN_FOR_ROLE: "This device's role may not do that.",
  UNTRUSTED_CALLER: 'Only the terminal\'s own screens may call it.',
  LOCAL_ONLY: "Only the terminal's own screen can do this, not a screen on another device.",
  STAFF_PIN_WRONG: 'That is not the staff PIN.',
  NOT_A_KIOSK_WINDOW: 'There is no locked kiosk window to leave here.',
  NOT_PROVISIONED: 'This terminal has not completed its first connection to the server.',
  ALREADY_PAIRED: 'This terminal is already paired with a store.',
  INSECURE_SERVER_URL: "The server's address must start with https://.",
  COUNTER_PAYMENT_OFF: 'This store does not take payment at the counter: pay by card.',
  CARD_PAYMENT_UNAVAILABLE: 'This kiosk has no card terminal, or cannot reach it.',
  CHECKOUT_NOT_FOUND: 'There is no such payment on this kiosk.',
  PAYMENT_IN_PROGRESS: 'A card payment for this order is still going on: wait until it ends.',
  CHECKOUT_CLOSED: 'This payment has ended: the order was placed, or given up.',
  // Server
  UNAVAILABLE: 'The service is temporarily unavailable; try again.',
  INTERNAL: 'Something went wrong on our side.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Errors a caller may simply retry later with the same request (after `retryAfterMs`, if given).
 * As a mutation's result, the mutation stays queued and goes again later under the same number.
 */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED', 'ORDER_NOT_YET_HELD']);

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Where in the input the problem is, e.g. `lines[1].quantity`. */
  path?: string;
  /** How long to wait before trying again (RATE_LIMITED, ACCOUNT_LOCKED). */
  retryAfterMs?: number;
  /** Over REST: every problem of the input at once, the first of which `message` and `path` name. */
  problems?: Problem[];
}

export interface Problem {
  path: string;
  message: string;
}

/** Every acknowledgement: a result, or an error code. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export class AppError extends Error {
  retryAfterMs?: number;
  problems?: Problem[];

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code],
    readonly path?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** A refusal that says when to come back. */
  static wait(code: 'RATE_LIMITED' | 'ACCOUNT_LOCKED', message: string, retryAfterMs: number): AppError {
    const error = new AppError(code, message);
    error.retryAfterMs = Math.max(1, Math.ceil(retryAfterMs));
    return error;
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.path === undefined ? {} : { path: this.path }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.problems === undefined ? {} : { problems: this.problems }),
    };
  }
}

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

/** Turns anything thrown into an error body that is safe to send: only known codes get out. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  return { code: 'INTERNAL', message: ERROR_CODES.INTERNAL };
}
