// What a card terminal does with the payments a kiosk asks for, with a simulated customer in front
// of it. Kept in memory (it is a simulator) but bounded, like a real terminal's transaction log.
// The HTTP side is cardTerminal.ts; this module knows nothing of HTTP.
import { randomBytes } from 'node:crypto';
import type { CardTerminalErrorCode, PaymentBody, PaymentState, Refund, RefundBody } from '../core/payments/cardTerminalApi';

/** What the simulated customer does with the next payment. */
export const CUSTOMER_OUTCOMES = ['approve', 'decline', 'timeout', 'cancel-on-terminal', 'card-removed'] as const;
export type CustomerOutcome = (typeof CUSTOMER_OUTCOMES)[number];
export interface CustomerTurn {
  outcome: CustomerOutcome;
  /** Until the customer taps the card (or presses cancel on the terminal). */
  afterMs?: number;
}

export interface CardTerminalTimings {
  /** How long a customer takes to tap when no `afterMs` is given. */
  customerMs: number;
  /** From the tap to the answer (the acquirer authorising): a cancel asked then comes too late. */
  processingMs: number;
  /** How long the terminal waits for a card before it gives up with `timeout`. */
  cardWaitMs: number;
}
export const DEFAULT_TIMINGS: CardTerminalTimings = { customerMs: 1_000, processingMs: 500, cardWaitMs: 60_000 };

/** Transactions (and refunds) remembered; the oldest finished ones are forgotten first. */
export const KEPT_TRANSACTIONS = 1_000;
/** Outcomes that may wait for payments; a test or demo never needs more. */
export const MAX_QUEUED_TURNS = 100;

/** The test card every approval is made with. */
const TEST_CARD = { cardBrand: 'visa', last4: '4242' } as const;

export class TerminalRefusal extends Error {
  constructor(readonly code: CardTerminalErrorCode) {
    super(code);
  }
}

interface Transaction {
  request: PaymentBody;
  /** `waiting` for a card, `processing` once tapped (a cancel no longer stops it), then `done`. */
  stage: 'waiting' | 'processing' | 'done';
  state: PaymentState;
  timers: NodeJS.Timeout[];
  refundedCents: number;
}

export interface Charge {
  transactionId: string;
  amountCents: number;
  currency: string;
  reference: string;
  refundedCents: number;
}

const sameRequest = (a: PaymentBody, b: PaymentBody) => a.amountCents === b.amountCents && a.currency === b.currency && a.reference === b.reference;
const sameRefund = (a: RefundBody, b: RefundBody) => a.transactionId === b.transactionId && a.amountCents === b.amountCents;
/** Shaped like an acquirer's reference (Adyen's pspReference is 16 characters). */
const newReference = (prefix: string) => `${prefix}${randomBytes(6).toString('hex').toUpperCase()}`;

export class TerminalPayments {
  private readonly transactions = new Map<string, Transaction>();
  private readonly refunds = new Map<string, { request: RefundBody; refund: Refund }>();
  private readonly turns: Required<CustomerTurn>[] = [];
  /** The payment in front of the customer: the terminal takes one at a time. */
  private current: Transaction | undefined;

  constructor(private readonly timings: CardTerminalTimings = DEFAULT_TIMINGS) {}

  /** Queues what the customer does with a coming payment; payments without one are approved. */
  queue(turn: CustomerTurn): number {
    if (this.turns.length >= MAX_QUEUED_TURNS) throw new TerminalRefusal('queue-full');
    this.turns.push({ outcome: turn.outcome, afterMs: turn.afterMs ?? this.timings.customerMs });
    return this.turns.length;
  }

  /** Starts a payment, or replays the one already started under this id: never a second charge. */
  start(request: PaymentBody): PaymentState {
    const known = this.transactions.get(request.transactionId);
    if (known) {
      if (!sameRequest(known.request, request)) throw new TerminalRefusal('transaction-id-reused');
      return known.state;
    }
    if (this.current && this.current.stage !== 'done') throw new TerminalRefusal('terminal-busy');
    const { outcome, afterMs } = this.turns.shift() ?? { outcome: 'approve', afterMs: this.timings.customerMs };
    const transaction: Transaction = { request, stage: 'waiting', state: { state: 'in-progress' }, timers: [], refundedCents: 0 };
    this.remember(this.transactions, request.transactionId, transaction);
    this.current = transaction;
    // Nobody may come: the terminal stops waiting on its own, whatever the customer was to do.
    this.after(transaction, this.timings.cardWaitMs, () => this.finish(transaction, { state: 'failed', reason: 'timeout' }));
    if (outcome !== 'timeout') this.after(transaction, afterMs, () => this.customerActs(transaction, outcome));
    return transaction.state;
  }

  status(transactionId: string): PaymentState | undefined {
    return this.transactions.get(transactionId)?.state;
  }

  /**
   * Asks the terminal to stop waiting for the card. Only a request: once the card is tapped the
   * payment goes on and may be approved. False when there is no such payment.
   */
  cancel(transactionId: string): boolean {
    const transaction = this.transactions.get(transactionId);
    if (!transaction) return false;
    if (transaction.stage === 'waiting') this.finish(transaction, { state: 'failed', reason: 'cancelled' });
    return true;
  }

  /** Refunds part or all of an approved payment; a refund asked again under its id is replayed. */
  refund(request: RefundBody): Refund {
    const known = this.refunds.get(request.refundId);
    if (known) {
      if (!sameRefund(known.request, request)) throw new TerminalRefusal('refund-id-reused');
      return known.refund;
    }
    const transaction = this.transactions.get(request.transactionId);
    if (!transaction) throw new TerminalRefusal('unknown-transaction');
    if (transaction.state.state !== 'approved') throw new TerminalRefusal('payment-not-approved');
    if (transaction.refundedCents + request.amountCents > transaction.state.amountCents) throw new TerminalRefusal('refund-exceeds-payment');
    transaction.refundedCents += request.amountCents;
    const refund: Refund = { state: 'refunded', ...request, reference: newReference('SIMR') };
    this.remember(this.refunds, request.refundId, { request, refund });
    return refund;
  }

  /** Every approved payment still remembered: what the acquirer would pay out, less refunds. */
  charges(): Charge[] {
    return [...this.transactions.values()]
      .filter((t) => t.state.state === 'approved')
      .map(({ request: { transactionId, amountCents, currency, reference }, refundedCents }) => ({ transactionId, amountCents, currency, reference, refundedCents }));
  }

  /** Stops every timer: the terminal is switched off for good. */
  close(): void {
    for (const transaction of this.transactions.values()) this.stopTimers(transaction);
  }

  private customerActs(transaction: Transaction, outcome: Exclude<CustomerOutcome, 'timeout'>): void {
    if (transaction.stage !== 'waiting') return;
    if (outcome === 'cancel-on-terminal') return this.finish(transaction, { state: 'failed', reason: 'cancelled' });
    // The card is tapped: from here on the terminal is talking to the acquirer.
    this.stopTimers(transaction);
    transaction.stage = 'processing';
    this.after(transaction, this.timings.processingMs, () =>
      this.finish(
        transaction,
        outcome === 'approve'
          ? { state: 'approved', reference: newReference('SIM'), amountCents: transaction.request.amountCents, ...TEST_CARD }
          : { state: 'failed', reason: outcome === 'decline' ? 'declined' : 'card-removed' },
      ),
    );
  }

  private finish(transaction: Transaction, state: PaymentState): void {
    if (transaction.stage === 'done') return;
    this.stopTimers(transaction);
    transaction.stage = 'done';
    transaction.state = state;
  }

  private after(transaction: Transaction, ms: number, action: () => void): void {
    // unref: a simulator inside a test must not keep the test's process alive.
    transaction.timers.push(setTimeout(action, ms).unref());
  }

  private stopTimers(transaction: Transaction): void {
    for (const timer of transaction.timers) clearTimeout(timer);
    transaction.timers = [];
  }

  /** Adds to a bounded log; Maps keep insertion order, so the first key is the oldest. */
  private remember<T>(log: Map<string, T>, id: string, entry: T): void {
    log.set(id, entry);
    // The one payment in progress is the newest, so it is never the one forgotten.
    while (log.size > KEPT_TRANSACTIONS) log.delete(log.keys().next().value!);
  }
}
