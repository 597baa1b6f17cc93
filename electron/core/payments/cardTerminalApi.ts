// The card terminal's HTTP API, as the kiosk's client and the simulator both speak it: one set of
// schemas, so the two cannot drift apart. Shaped on Adyen's Terminal API and Stripe's and Square's
// terminal checkouts: the kiosk names every payment and refund with an id of its own, and asking
// again under that id replays the first answer instead of charging or refunding again.
import { z } from 'zod';
import { PAYMENT_FAILURES } from './paymentProvider';

/** No kiosk order comes near this; a price with extra zeros typed in is refused, not charged. */
export const MAX_PAYMENT_CENTS = 10_000_000;

const Cents = z.int().positive().max(MAX_PAYMENT_CENTS);

/** POST /v1/payments */
export const PaymentBodySchema = z.strictObject({
  transactionId: z.uuid(),
  amountCents: Cents,
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR'),
  reference: z.string().min(1).max(32),
});
export type PaymentBody = z.output<typeof PaymentBodySchema>;

export const TransactionParamsSchema = z.object({ transactionId: z.uuid() });

/** What the terminal knows of a payment it received. Sizes are those an order can record. */
export const PaymentStateSchema = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('in-progress') }),
  z.strictObject({
    state: z.literal('approved'),
    /** The terminal's (acquirer's) own reference, for a refund or a dispute. */
    reference: z.string().min(1).max(80),
    amountCents: Cents,
    cardBrand: z.string().min(1).max(20),
    last4: z.string().regex(/^\d{4}$/),
  }),
  z.strictObject({ state: z.literal('failed'), reason: z.enum(PAYMENT_FAILURES) }),
]);
export type PaymentState = z.output<typeof PaymentStateSchema>;

/** The 404 body of a payment the terminal never received. */
export const UnknownPaymentSchema = z.strictObject({ state: z.literal('unknown') });

/** The 202 of POST /v1/payments/:transactionId/cancel: asked, not done. */
export const CancelRequestedSchema = z.strictObject({ cancel: z.literal('requested') });

/** POST /v1/refunds */
export const RefundBodySchema = z.strictObject({ refundId: z.uuid(), transactionId: z.uuid(), amountCents: Cents });
export type RefundBody = z.output<typeof RefundBodySchema>;

export const RefundSchema = z.strictObject({
  state: z.literal('refunded'),
  refundId: z.uuid(),
  transactionId: z.uuid(),
  amountCents: Cents,
  reference: z.string().min(1).max(80),
});
export type Refund = z.output<typeof RefundSchema>;

/** Every refusal the terminal answers, with what the caller should do about it. */
export const CARD_TERMINAL_ERRORS = {
  'invalid-request': 'The request does not have the expected shape.',
  'not-found': 'There is nothing at this address.',
  'transaction-id-reused': 'This transaction id was used for another payment. A new payment needs a new id.',
  'terminal-busy': 'The terminal is taking another payment. Wait until it ends, or cancel it.',
  'unknown-transaction': 'The terminal has no payment under this transaction id.',
  'payment-not-approved': 'Only an approved payment can be refunded.',
  'refund-exceeds-payment': 'The refunds would add up to more than the payment.',
  'refund-id-reused': 'This refund id was used for another refund. A new refund needs a new id.',
  'queue-full': 'The simulator already has as many outcomes waiting as it keeps. Start payments to use them up.',
  internal: 'The terminal failed; try again.',
} as const;
export type CardTerminalErrorCode = keyof typeof CARD_TERMINAL_ERRORS;
const ERROR_CODES = Object.keys(CARD_TERMINAL_ERRORS) as [CardTerminalErrorCode, ...CardTerminalErrorCode[]];

export const CardTerminalErrorSchema = z.strictObject({ error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string() }) });
export type CardTerminalError = z.output<typeof CardTerminalErrorSchema>;
