// Taking a card payment for a kiosk order, so that a customer is never charged twice and a paid
// order is never lost:
// - the order is priced and numbered, and the attempt recorded under the transaction id this kiosk
//   chose, in one local transaction BEFORE the card terminal is asked for anything;
// - the order goes to the kitchen (and the outbox) in the same transaction that records the
//   approval, and only then; an approval seen twice changes nothing the second time;
// - the kiosk never decides a payment failed because the terminal went quiet: it keeps asking
//   (`status`) until the terminal says how it ended, also after a crash or a restart;
// - a cancel is only a request: an approval that comes after it still places the order.
import { AppError } from '#protocol/errors';
import { uuidv7 } from '#protocol/ids';
import type { OrderRecord, Payment } from '#protocol/orders';
import type { CardAttemptView, CheckoutView, PlaceOrderInput } from '../api/contract';
import type { CoreContext } from '../context';
import { counterPayment, placedView, priceRequest, sendToKitchen } from '../orders/placeOrder';
import { PaymentRefused, PaymentUnreachable, type PaymentProvider, type PaymentStatus } from './paymentProvider';

export interface CardCheckoutOptions {
  /** How often a live attempt's status is asked. */
  pollMs?: number;
  /** How long a customer may take at the terminal before the kiosk asks it to stop waiting. */
  maxWaitMs?: number;
  /** How long a request the terminal says it never received may still turn up (a slow network). */
  notReceivedGraceMs?: number;
  /** An order was placed: print its receipt. */
  onPlaced?: (order: OrderRecord) => void;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

interface AttemptRow {
  transactionId: string;
  orderId: string;
  amountCents: number;
  state: 'sending' | 'in-progress' | 'approved' | 'failed';
  failure: CardAttemptView['failure'];
  cancelRequested: number;
  unreachableAt: string | null;
  createdAt: string;
}

interface CheckoutRow {
  orderId: string;
  number: string;
  order: string;
  state: CheckoutView['state'];
}

const LIVE = `state IN ('sending', 'in-progress')`;


export class CardCheckout {
  private readonly following = new Set<string>();
  private closed = false;
  private readonly pollMs: number;
  private readonly maxWaitMs: number;
  private readonly graceMs: number;
  private readonly log: NonNullable<CardCheckoutOptions['log']>;

  constructor(
    private readonly ctx: CoreContext,
    private readonly provider: PaymentProvider | null,
    private readonly options: CardCheckoutOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 180_000;
    this.graceMs = options.notReceivedGraceMs ?? 10_000;
    this.log = options.log ?? (() => {});
  }

  get available(): boolean {
    return this.provider !== null;
  }

  /** Numbers the order, records the attempt, then asks the terminal for the total. */
  async begin(input: PlaceOrderInput): Promise<CheckoutView> {
    const provider = this.need();
    const request = await priceRequest(this.ctx, input);
    const now = new Date(this.ctx.clock().now());
    const { write: sql } = this.ctx;
    const { order, transactionId } = sql.transaction(() => {
      const order = request.build(sql, now);
      sql.run(`INSERT INTO Checkout (orderId, number, "order", state, createdAt, updatedAt) VALUES (?, ?, ?, 'paying', ?, ?)`, order.id, order.number, JSON.stringify(order), now.toISOString(), now.toISOString());
      return { order, transactionId: this.record(order.id, order.totalCents, provider.name, now) };
    });
    await this.ask(transactionId, order);
    return this.view(order.id);
  }

  /** Another attempt for the same order, once the last one has failed. */
  async retry(orderId: string): Promise<CheckoutView> {
    const provider = this.need();
    const checkout = this.open(orderId);
    const now = new Date(this.ctx.clock().now());
    const order = JSON.parse(checkout.order) as OrderRecord;
    const transactionId = this.ctx.write.transaction(() => {
      if (this.ctx.write.get(`SELECT 1 FROM PaymentAttempt WHERE orderId = ? AND ${LIVE}`, orderId)) throw new AppError('PAYMENT_IN_PROGRESS');
      return this.record(orderId, order.totalCents, provider.name, now);
    });
    await this.ask(transactionId, order);
    return this.view(orderId);
  }

  /** The customer gives up. With no attempt live nothing was charged: the order is voided now. */
  async cancel(orderId: string): Promise<CheckoutView> {
    const checkout = this.find(orderId);
    if (checkout.state !== 'paying') return this.view(orderId);
    const live = this.ctx.write.transaction(() => {
      const attempt = this.ctx.write.get<AttemptRow>(`SELECT * FROM PaymentAttempt WHERE orderId = ? AND ${LIVE}`, orderId);
      if (attempt) this.ctx.write.run('UPDATE PaymentAttempt SET cancelRequested = 1 WHERE transactionId = ?', attempt.transactionId);
      else this.void(orderId);
      return attempt;
    });
    if (live) {
      // Only a request: the customer may have tapped already. `follow` learns how it ended.
      await this.need()
        .cancel(live.transactionId)
        .catch((error: unknown) => this.log('could not ask the card terminal to stop', { transactionId: live.transactionId, error: String(error) }));
    }
    this.changed(orderId);
    return this.view(orderId);
  }

  /** After a failed attempt, the customer pays at the counter instead: the same order and number, placed unpaid. */
  payAtCounter(orderId: string): CheckoutView {
    const payment = counterPayment(this.ctx);
    const sql = this.ctx.write;
    const placed = sql.transaction(() => {
      const order = JSON.parse(this.open(orderId).order) as OrderRecord;
      if (sql.get(`SELECT 1 FROM PaymentAttempt WHERE orderId = ? AND ${LIVE}`, orderId)) throw new AppError('PAYMENT_IN_PROGRESS');
      return this.place({ ...order, payment });
    });
    this.placed(placed);
    return this.view(orderId);
  }

  view(orderId: string): CheckoutView {
    const checkout = this.find(orderId);
    const order = JSON.parse(checkout.order) as OrderRecord;
    const attempts = this.ctx.write.all<AttemptRow>('SELECT * FROM PaymentAttempt WHERE orderId = ? ORDER BY createdAt, transactionId', orderId);
    const last = attempts.at(-1);
    const placed = checkout.state === 'placed' ? placedView(this.ctx, order) : null;
    return {
      orderId,
      number: checkout.number,
      totalCents: order.totalCents,
      currency: order.currency,
      state: checkout.state,
      card: last
        ? { state: last.state, failure: last.failure, cancelRequested: Boolean(last.cancelRequested), unreachable: last.unreachableAt !== null }
        : null,
      failedAttempts: attempts.filter((a) => a.state === 'failed').length,
      order: placed,
    };
  }

  /**
   * After a start (or a crash): every attempt still live is followed to its end, and payments the
   * customer can no longer be at (no attempt live) are voided.
   */
  resume(): void {
    const sql = this.ctx.write;
    sql.transaction(() => {
      for (const { orderId } of sql.all<{ orderId: string }>(`SELECT orderId FROM Checkout WHERE state = 'paying'`)) {
        if (!sql.get(`SELECT 1 FROM PaymentAttempt WHERE orderId = ? AND ${LIVE}`, orderId)) this.void(orderId);
      }
    });
    for (const attempt of sql.all<AttemptRow>(`SELECT * FROM PaymentAttempt WHERE ${LIVE}`)) {
      if (!this.provider) {
        this.log('a card payment is unfinished but no card terminal is configured', { transactionId: attempt.transactionId });
        continue;
      }
      this.follow(attempt.transactionId);
    }
  }

  close(): void {
    this.closed = true;
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  private need(): PaymentProvider {
    if (!this.provider) throw new AppError('CARD_PAYMENT_UNAVAILABLE', 'This kiosk has no card terminal. Pay at the counter, or ask staff.');
    return this.provider;
  }

  private find(orderId: string): CheckoutRow {
    const row = this.ctx.write.get<CheckoutRow>('SELECT orderId, number, "order", state FROM Checkout WHERE orderId = ?', orderId);
    if (!row) throw new AppError('CHECKOUT_NOT_FOUND');
    return row;
  }

  /** A checkout the customer can still act on. */
  private open(orderId: string): CheckoutRow {
    const row = this.find(orderId);
    if (row.state !== 'paying') throw new AppError('CHECKOUT_CLOSED');
    return row;
  }

  /** Records an attempt before anything is asked of the terminal; returns its transaction id. */
  private record(orderId: string, amountCents: number, provider: string, now: Date): string {
    const transactionId = uuidv7(now.getTime());
    this.ctx.write.run(
      `INSERT INTO PaymentAttempt (transactionId, orderId, provider, amountCents, state, createdAt) VALUES (?, ?, ?, ?, 'sending', ?)`,
      transactionId,
      orderId,
      provider,
      amountCents,
      now.toISOString(),
    );
    return transactionId;
  }

  private async ask(transactionId: string, order: OrderRecord): Promise<void> {
    try {
      const status = await this.need().start({ transactionId, amountCents: order.totalCents, currency: order.currency, reference: order.number });
      this.settle(transactionId, status);
    } catch (error) {
      if (error instanceof PaymentRefused) {
        // Refused outright (busy with another payment): nothing was started, so nothing can be charged.
        this.log('the card terminal refused to start a payment', { transactionId, error: error.message });
        this.settle(transactionId, { state: 'failed', reason: 'refused' });
        return;
      }
      if (!(error instanceof PaymentUnreachable)) throw error;
      // The request may or may not have reached the terminal: only its status can tell.
      this.markUnreachable(transactionId);
    }
    this.follow(transactionId);
  }

  /** Asks the terminal how the attempt stands until it has ended. One loop per attempt. */
  private follow(transactionId: string): void {
    if (this.following.has(transactionId) || this.closed) return;
    this.following.add(transactionId);
    const step = async (): Promise<void> => {
      if (this.closed) return void this.following.delete(transactionId);
      const attempt = this.ctx.write.get<AttemptRow>('SELECT * FROM PaymentAttempt WHERE transactionId = ?', transactionId);
      if (!attempt || (attempt.state !== 'sending' && attempt.state !== 'in-progress')) return void this.following.delete(transactionId);
      try {
        const status = await this.need().status(transactionId);
        this.settle(transactionId, status);
        if (status.state === 'in-progress' && !attempt.cancelRequested && Date.now() - Date.parse(attempt.createdAt) > this.maxWaitMs) {
          // Nobody has come to the terminal for minutes: ask it to stop waiting, as the customer would.
          this.ctx.write.run('UPDATE PaymentAttempt SET cancelRequested = 1 WHERE transactionId = ?', transactionId);
          await this.need().cancel(transactionId).catch(() => {});
        }
      } catch (error) {
        if (!(error instanceof PaymentUnreachable)) this.log('asking the card terminal failed', { transactionId, error: String(error) });
        this.markUnreachable(transactionId);
      }
      setTimeout(() => void step(), this.pollMs).unref?.();
    };
    setTimeout(() => void step(), this.pollMs).unref?.();
  }

  /** Records what the terminal said. Idempotent: an ended attempt is never changed again. */
  private settle(transactionId: string, status: PaymentStatus): void {
    const sql = this.ctx.write;
    const outcome = sql.transaction((): { orderId: string; placed?: OrderRecord } | null => {
      const attempt = sql.get<AttemptRow>(`SELECT * FROM PaymentAttempt WHERE transactionId = ? AND ${LIVE}`, transactionId);
      if (!attempt) return null;
      const now = new Date(this.ctx.clock().now()).toISOString();
      switch (status.state) {
        case 'in-progress':
          if (attempt.state === 'in-progress' && attempt.unreachableAt === null) return null;
          sql.run(`UPDATE PaymentAttempt SET state = 'in-progress', unreachableAt = NULL WHERE transactionId = ?`, transactionId);
          return { orderId: attempt.orderId };
        case 'unknown':
          // Never received: after a grace period (a request still on its way), it cannot charge anyone.
          if (attempt.state === 'in-progress' || Date.now() - Date.parse(attempt.createdAt) < this.graceMs) return null;
          this.fail(attempt, 'not-received', now);
          return { orderId: attempt.orderId };
        case 'failed':
          this.fail(attempt, status.reason, now);
          return { orderId: attempt.orderId };
        case 'approved':
          return { orderId: attempt.orderId, placed: this.approve(attempt, status, now) };
      }
    });
    if (outcome?.placed) this.placed(outcome.placed);
    else if (outcome) this.changed(outcome.orderId);
  }

  private fail(attempt: AttemptRow, failure: NonNullable<CardAttemptView['failure']>, now: string): void {
    const sql = this.ctx.write;
    sql.run(`UPDATE PaymentAttempt SET state = 'failed', failure = ?, unreachableAt = NULL, finishedAt = ? WHERE transactionId = ?`, failure, now, attempt.transactionId);
    // A customer who asked to stop has gone: nothing was charged, so nothing is placed.
    if (attempt.cancelRequested) this.void(attempt.orderId);
  }

  private approve(attempt: AttemptRow, status: Extract<PaymentStatus, { state: 'approved' }>, now: string): OrderRecord {
    const sql = this.ctx.write;
    sql.run(
      `UPDATE PaymentAttempt SET state = 'approved', reference = ?, cardBrand = ?, last4 = ?, unreachableAt = NULL, finishedAt = ? WHERE transactionId = ?`,
      status.reference,
      status.cardBrand ?? null,
      status.last4 ?? null,
      now,
      attempt.transactionId,
    );
    if (status.amountCents !== attempt.amountCents) this.log('the card terminal approved another amount', { transactionId: attempt.transactionId, asked: attempt.amountCents, approved: status.amountCents });
    const checkout = this.find(attempt.orderId);
    // Even a checkout voided meanwhile is placed: the customer paid, and a paid order is never lost.
    const order = JSON.parse(checkout.order) as OrderRecord;
    const failedAttempts = sql.get<{ n: number }>(`SELECT count(*) AS n FROM PaymentAttempt WHERE orderId = ? AND state = 'failed'`, attempt.orderId)!.n;
    const payment: Payment = {
      method: 'card',
      status: 'paid',
      provider: this.need().name,
      transactionId: attempt.transactionId,
      reference: status.reference,
      amountCents: status.amountCents,
      ...(status.cardBrand ? { cardBrand: status.cardBrand } : {}),
      ...(status.last4 ? { last4: status.last4 } : {}),
      paidAt: now,
      failedAttempts,
    };
    return this.place({ ...order, payment });
  }

  /** The order goes to the kitchen and the outbox, in the caller's transaction. */
  private place(order: OrderRecord): OrderRecord {
    sendToKitchen(this.ctx.write, order);
    this.ctx.write.run(`UPDATE Checkout SET state = 'placed', "order" = ?, updatedAt = ? WHERE orderId = ?`, JSON.stringify(order), new Date(this.ctx.clock().now()).toISOString(), order.id);
    return order;
  }

  /** After the transaction that placed it: screens, the outbox and the receipt printer hear of it. */
  private placed(order: OrderRecord): void {
    this.ctx.emit({ type: 'orders' });
    this.ctx.outboxChanged();
    this.changed(order.id);
    this.options.onPlaced?.(order);
  }

  private void(orderId: string): void {
    this.ctx.write.run(`UPDATE Checkout SET state = 'voided', updatedAt = ? WHERE orderId = ? AND state = 'paying'`, new Date(this.ctx.clock().now()).toISOString(), orderId);
  }

  private markUnreachable(transactionId: string): void {
    const { changes } = this.ctx.write.run(`UPDATE PaymentAttempt SET unreachableAt = ? WHERE transactionId = ? AND ${LIVE} AND unreachableAt IS NULL`, new Date().toISOString(), transactionId);
    if (changes > 0) this.changed(this.ctx.write.get<{ orderId: string }>('SELECT orderId FROM PaymentAttempt WHERE transactionId = ?', transactionId)!.orderId);
  }

  private changed(orderId: string): void {
    this.ctx.emit({ type: 'checkout', orderId });
  }
}
