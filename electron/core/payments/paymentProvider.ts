// How a kiosk takes a payment, whatever takes it: a card terminal on the shop's network today, a
// cloud terminal API tomorrow. Shaped on Adyen's Terminal API and Stripe's and Square's terminal
// APIs, whose rules keep a customer from being charged twice:
// - the kiosk chooses the transaction id and records it before it asks for the charge; asking again
//   with the same id replays the first answer instead of charging again;
// - `status` answers for any id: done (approved or failed), still in progress, or unknown (the
//   terminal never received it), so a kiosk that crashed mid-payment can find out what happened;
// - `cancel` is only a request: the customer may already have tapped, and the payment may still be
//   approved; only `status` says how it ended;
// - a result may be seen twice; acting on it must be idempotent.

export interface PaymentRequest {
  /** Chosen by the kiosk (UUID) and recorded before the charge is asked for. */
  transactionId: string;
  amountCents: number;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  /** Shown on the card terminal and in the acquirer's reports: the order number, e.g. A042. */
  reference: string;
}

/** Why a payment did not go through; each is final for that transaction id. */
export const PAYMENT_FAILURES = ['declined', 'timeout', 'cancelled', 'card-removed', 'refused'] as const;
export type PaymentFailure = (typeof PAYMENT_FAILURES)[number];

export type PaymentStatus =
  | { state: 'in-progress' }
  | { state: 'approved'; reference: string; amountCents: number; cardBrand?: string; last4?: string }
  | { state: 'failed'; reason: PaymentFailure }
  /** The terminal has no transaction under this id: it never received the request. */
  | { state: 'unknown' };

export interface RefundRequest {
  /** Chosen by the kiosk, like a transaction id: a repeated refund replays the first. */
  refundId: string;
  transactionId: string;
  amountCents: number;
}

export type RefundStatus = { state: 'refunded'; reference: string } | { state: 'failed'; reason: string };

export interface PaymentProvider {
  /** Names the provider in orders (`payment.provider`). */
  readonly name: string;
  /** Asks for the charge. Resolves once the terminal has the request (not when the customer pays). */
  start(request: PaymentRequest): Promise<PaymentStatus>;
  status(transactionId: string): Promise<PaymentStatus>;
  /** Asks the terminal to stop waiting for the card; the answer comes from `status`. */
  cancel(transactionId: string): Promise<void>;
  refund(request: RefundRequest): Promise<RefundStatus>;
}

/** The provider could not be reached or answered nonsense: nothing is known about the payment. */
export class PaymentUnreachable extends Error {
  override readonly name = 'PaymentUnreachable';
}

/** The provider refused the request outright (busy, an id reused): nothing was started or refunded. */
export class PaymentRefused extends Error {
  override readonly name: string = 'PaymentRefused';
}
