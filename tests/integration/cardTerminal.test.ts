// The kiosk's card terminal for real over HTTP on port 0 (the simulator, in this process and as a
// process of its own): a payment is charged at most once whatever the kiosk repeats, a cancel is
// only a request, refunds stay within the payment, bad requests change nothing, and a terminal out
// of reach or talking nonsense is PaymentUnreachable, never a guess.
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CardTerminalClient, CardTerminalRefused } from '../../electron/core/payments/cardTerminalClient';
import { PaymentUnreachable, type PaymentRequest, type PaymentStatus } from '../../electron/core/payments/paymentProvider';
import { type CardTerminalOptions, type RunningCardTerminal, startCardTerminal } from '../../electron/simulators/cardTerminal';
import { KEPT_TRANSACTIONS, TerminalPayments } from '../../electron/simulators/cardTerminalPayments';
import { CardTerminalControl } from '../support/cardTerminalControl';
import { runTs } from '../support/childProcess';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A customer taps 50 ms after the payment starts, the acquirer answers 50 ms later, and the
// terminal waits 2 s for a card: a test of every outcome takes a fraction of a second.
const FAST = { customerMs: 50, processingMs: 50, cardWaitMs: 2_000 };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

interface Till {
  terminal: RunningCardTerminal;
  control: CardTerminalControl;
  client: CardTerminalClient;
}

async function openTerminal(timings: CardTerminalOptions['timings'] = {}, requestTimeoutMs = 1_000): Promise<Till> {
  const terminal = await startCardTerminal({ timings: { ...FAST, ...timings } });
  closers.push(() => terminal.close());
  return { terminal, control: new CardTerminalControl(terminal.url), client: new CardTerminalClient({ url: terminal.url, requestTimeoutMs }) };
}

const aPayment = (amountCents = 1250): PaymentRequest => ({ transactionId: randomUUID(), amountCents, currency: 'EUR', reference: 'A042' });

/** Polls the terminal as a kiosk does, until the payment has ended. */
async function settled(client: CardTerminalClient, transactionId: string, withinMs = 5_000): Promise<PaymentStatus> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const status = await client.status(transactionId);
    if (status.state !== 'in-progress') return status;
    if (Date.now() > deadline) throw new Error(`${transactionId} was still in progress after ${withinMs} ms`);
    await sleep(20);
  }
}

const chargeOf = ({ transactionId, amountCents }: PaymentRequest, refundedCents = 0) => ({ transactionId, amountCents, currency: 'EUR', reference: 'A042', refundedCents });

describe('a payment asked for again under its id', () => {
  it('replays the first answer, during the payment and after it, and is charged once', async () => {
    const { client, control } = await openTerminal();
    await control.next({ outcome: 'approve', afterMs: 1_000 });
    const payment = aPayment();
    expect(await client.start(payment)).toEqual({ state: 'in-progress' });
    // A kiosk that lost the answers and retries, several times at once, before the customer taps.
    expect(await Promise.all(Array.from({ length: 5 }, () => client.start(payment)))).toEqual(Array(5).fill({ state: 'in-progress' }));
    const approved = await settled(client, payment.transactionId);
    expect(approved).toEqual({ state: 'approved', reference: expect.stringMatching(/^SIM[0-9A-F]{12}$/), amountCents: 1250, cardBrand: 'visa', last4: '4242' });
    expect(await client.start(payment)).toEqual(approved);
    expect(await control.charges()).toEqual([chargeOf(payment)]);
  });

  it('is refused with another amount or reference (409), and the first payment goes on unchanged', async () => {
    const { client, control } = await openTerminal();
    const payment = aPayment();
    await client.start(payment);
    for (const changed of [{ ...payment, amountCents: 99 }, { ...payment, reference: 'A043' }, { ...payment, currency: 'GBP' }]) {
      const refused = client.start(changed);
      await expect(refused).rejects.toBeInstanceOf(CardTerminalRefused);
      await expect(refused).rejects.toMatchObject({ code: 'transaction-id-reused' });
    }
    expect(await settled(client, payment.transactionId)).toMatchObject({ state: 'approved', amountCents: 1250 });
    expect(await control.charges()).toEqual([chargeOf(payment)]);
  });
});

describe('one payment at a time', () => {
  it('refuses another id while a payment is in progress (409 busy), starting nothing, and takes it after', async () => {
    const { client, control } = await openTerminal();
    await control.next({ outcome: 'approve', afterMs: 1_000 });
    const first = aPayment();
    const second = aPayment(800);
    await client.start(first);
    await expect(client.start(second)).rejects.toMatchObject({ name: 'CardTerminalRefused', code: 'terminal-busy' });
    expect(await client.status(second.transactionId)).toEqual({ state: 'unknown' });

    expect(await settled(client, first.transactionId)).toMatchObject({ state: 'approved' });
    expect(await client.start(second)).toEqual({ state: 'in-progress' });
    expect(await settled(client, second.transactionId)).toMatchObject({ state: 'approved', amountCents: 800 });
    expect(await control.charges()).toEqual([chargeOf(first), chargeOf(second)]);
  });

  it('answers unknown for an id it never received, and a cancel of it does nothing', async () => {
    const { client, control } = await openTerminal();
    const never = randomUUID();
    expect(await client.status(never)).toEqual({ state: 'unknown' });
    await expect(client.cancel(never)).resolves.toBeUndefined();
    expect(await client.status(never)).toEqual({ state: 'unknown' });
    expect(await control.charges()).toEqual([]);
  });
});

describe('a cancel is only a request', () => {
  it('stops a payment still waiting for the card', async () => {
    const { client, control } = await openTerminal();
    await control.next({ outcome: 'approve', afterMs: 5_000 });
    const payment = aPayment();
    await client.start(payment);
    await client.cancel(payment.transactionId);
    expect(await client.status(payment.transactionId)).toEqual({ state: 'failed', reason: 'cancelled' });
    // Asking again under the same id replays the cancellation; it never starts a new charge.
    expect(await client.start(payment)).toEqual({ state: 'failed', reason: 'cancelled' });
    expect(await control.charges()).toEqual([]);
  });

  it('does not stop a card already tapped: the payment is approved, and charged once', async () => {
    // The card is tapped at 20 ms; the acquirer answers at 1,520 ms; the kiosk cancels at about 200 ms.
    const { client, control } = await openTerminal({ processingMs: 1_500 });
    await control.next({ outcome: 'approve', afterMs: 20 });
    const payment = aPayment();
    await client.start(payment);
    await sleep(200);
    await client.cancel(payment.transactionId);
    expect(await client.status(payment.transactionId)).toEqual({ state: 'in-progress' });
    expect(await settled(client, payment.transactionId)).toMatchObject({ state: 'approved', amountCents: 1250 });
    await client.cancel(payment.transactionId);
    expect(await client.status(payment.transactionId)).toMatchObject({ state: 'approved' });
    expect(await control.charges()).toEqual([chargeOf(payment)]);
  });
});

describe('a customer who does not pay', () => {
  it.each([
    ['decline', 'declined'],
    ['card-removed', 'card-removed'],
    ['cancel-on-terminal', 'cancelled'],
    ['timeout', 'timeout'],
  ] as const)('%s ends failed with %s, charged nothing', async (outcome, reason) => {
    const { client, control } = await openTerminal({ cardWaitMs: 300 });
    await control.next({ outcome });
    const payment = aPayment();
    const startedAt = Date.now();
    expect(await client.start(payment)).toEqual({ state: 'in-progress' });
    expect(await settled(client, payment.transactionId)).toEqual({ state: 'failed', reason });
    // Nobody came: the terminal waited all the time it waits for a card.
    if (outcome === 'timeout') expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(await client.start(payment)).toEqual({ state: 'failed', reason });
    expect(await control.charges()).toEqual([]);
  });

  it('times out a customer slower than the terminal waits, and their late tap charges nothing', async () => {
    const { client, control } = await openTerminal({ cardWaitMs: 200 });
    await control.next({ outcome: 'approve', afterMs: 600 });
    const payment = aPayment();
    await client.start(payment);
    expect(await settled(client, payment.transactionId)).toEqual({ state: 'failed', reason: 'timeout' });
    await sleep(700);
    expect(await client.status(payment.transactionId)).toEqual({ state: 'failed', reason: 'timeout' });
    expect(await control.charges()).toEqual([]);
  });
});

describe('refunds', () => {
  it('are replayed under their id, add up to the payment at most, and are refused with another body', async () => {
    const { client, control } = await openTerminal();
    const payment = aPayment();
    await client.start(payment);
    await settled(client, payment.transactionId);
    const { transactionId } = payment;

    const part = { refundId: randomUUID(), transactionId, amountCents: 500 };
    const refunded = await client.refund(part);
    expect(refunded).toEqual({ state: 'refunded', reference: expect.stringMatching(/^SIMR[0-9A-F]{12}$/) });
    expect(await client.refund(part)).toEqual(refunded);
    expect(await control.charges()).toEqual([chargeOf(payment, 500)]);
    await expect(client.refund({ ...part, amountCents: 600 })).rejects.toMatchObject({ name: 'CardTerminalRefused', code: 'refund-id-reused' });

    expect(await client.refund({ refundId: randomUUID(), transactionId, amountCents: 751 })).toEqual({ state: 'failed', reason: 'refund-exceeds-payment' });
    expect(await control.charges()).toEqual([chargeOf(payment, 500)]);
    expect(await client.refund({ refundId: randomUUID(), transactionId, amountCents: 750 })).toMatchObject({ state: 'refunded' });
    expect(await client.refund({ refundId: randomUUID(), transactionId, amountCents: 1 })).toEqual({ state: 'failed', reason: 'refund-exceeds-payment' });
    expect(await control.charges()).toEqual([chargeOf(payment, 1250)]);
  });

  it('refund only an approved payment', async () => {
    const { client, control } = await openTerminal();
    await control.next({ outcome: 'decline' });
    await control.next({ outcome: 'approve', afterMs: 5_000 });
    const declined = aPayment();
    await client.start(declined);
    await settled(client, declined.transactionId);
    const waiting = aPayment();
    await client.start(waiting);

    const refundOf = (transactionId: string) => client.refund({ refundId: randomUUID(), transactionId, amountCents: 100 });
    expect(await refundOf(declined.transactionId)).toEqual({ state: 'failed', reason: 'payment-not-approved' });
    expect(await refundOf(waiting.transactionId)).toEqual({ state: 'failed', reason: 'payment-not-approved' });
    expect(await refundOf(randomUUID())).toEqual({ state: 'failed', reason: 'unknown-transaction' });
    expect(await control.charges()).toEqual([]);
  });
});

describe('bad requests', () => {
  const send = (url: string, method: string, path: string, body?: string, contentType = 'application/json') =>
    fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': contentType }, body }) });

  it('are answered 400 with a code, and change nothing: no payment, no refund, no outcome used up', async () => {
    const { terminal, client, control } = await openTerminal();
    await control.next({ outcome: 'decline' });
    const transactionId = randomUUID();
    const good = { transactionId, amountCents: 1250, currency: 'EUR', reference: 'A042' };
    const refused: Array<[string, string, string | undefined, string?]> = [
      ['POST', '/v1/payments', '{"transactionId":'],
      ['POST', '/v1/payments', JSON.stringify(good), 'text/plain'],
      ['POST', '/v1/payments', ''],
      ['POST', '/v1/payments', '[]'],
      ['POST', '/v1/payments', JSON.stringify({ ...good, amountCents: -5 })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, amountCents: 12.5 })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, amountCents: 1e12 })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, currency: 'euro' })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, reference: '' })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, transactionId: 'A042' })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, tip: 100 })],
      ['POST', '/v1/payments', JSON.stringify({ ...good, reference: 'x'.repeat(8_000) })],
      ['GET', '/v1/payments/A042', undefined],
      ['POST', '/v1/payments/A042/cancel', undefined],
      ['POST', '/v1/refunds', JSON.stringify({ refundId: 'r1', transactionId, amountCents: 100 })],
      ['POST', '/v1/refunds', JSON.stringify({ refundId: randomUUID(), transactionId, amountCents: 0 })],
      ['POST', '/sim/next', JSON.stringify({ outcome: 'explode' })],
      ['POST', '/sim/next', JSON.stringify({ outcome: 'approve', afterMs: -1 })],
      ['POST', '/sim/offline', JSON.stringify({ offline: 'yes' })],
    ];
    for (const [method, path, body, contentType] of refused) {
      const response = await send(terminal.url, method, path, body, contentType);
      expect({ method, path, body: body?.slice(0, 60), status: response.status }).toMatchObject({ status: 400 });
      expect(await response.json()).toEqual({ error: { code: 'invalid-request', message: expect.any(String) } });
    }
    // The client sends what the kiosk gives it: a mistake is a refusal, not a payment.
    await expect(client.start({ ...good, amountCents: 0 })).rejects.toMatchObject({ name: 'CardTerminalRefused', code: 'invalid-request' });

    expect(await client.status(transactionId)).toEqual({ state: 'unknown' });
    expect(await control.charges()).toEqual([]);
    // The queued decline is still the next customer's, and the terminal is still online.
    expect(await client.start(good)).toEqual({ state: 'in-progress' });
    expect(await settled(client, transactionId)).toEqual({ state: 'failed', reason: 'declined' });
  });

  it('answers an address it does not have with 404 not-found', async () => {
    const { terminal } = await openTerminal();
    const response = await send(terminal.url, 'GET', '/v1/payment');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not-found', message: expect.any(String) } });
  });
});

describe('a terminal out of reach', () => {
  it('offline: every call is PaymentUnreachable in its time; a payment under way goes on and is found approved after', async () => {
    const { client, control } = await openTerminal({}, 300);
    await control.next({ outcome: 'approve', afterMs: 400 });
    const payment = aPayment();
    await client.start(payment);
    await control.offline(true);

    // Asked while the terminal still waits for the card: had it arrived, the payment would end cancelled.
    const asked = Date.now();
    await expect(client.cancel(payment.transactionId)).rejects.toThrow(PaymentUnreachable);
    expect(Date.now() - asked).toBeLessThan(2_000);
    await expect(client.status(payment.transactionId)).rejects.toThrow(/no answer in time/);
    const unsent = aPayment();
    await expect(client.start(unsent)).rejects.toThrow(PaymentUnreachable);
    await expect(client.refund({ refundId: randomUUID(), transactionId: payment.transactionId, amountCents: 1 })).rejects.toThrow(PaymentUnreachable);

    await control.offline(false);
    // Nothing sent while offline reached the terminal; the customer's tap at 400 ms was approved.
    expect(await settled(client, payment.transactionId)).toMatchObject({ state: 'approved' });
    expect(await client.status(unsent.transactionId)).toEqual({ state: 'unknown' });
    expect(await control.charges()).toEqual([chargeOf(payment)]);
  });

  it('as a process of its own: prints its URL, takes a payment, and once killed is PaymentUnreachable', async () => {
    const main = 'electron/simulators/cardTerminalMain.ts';
    const wrong = runTs(main, {}, [], ['--port', 'eighty']);
    expect(await wrong.exited).toBe(2);

    const device = runTs(main, {}, [], ['--port', '0', '--host', '127.0.0.1', '--customer-ms', '50', '--processing-ms', '50']);
    closers.push(() => device.kill('SIGKILL'));
    const { url } = JSON.parse(await device.waitFor(/^\{"url":/)) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new CardTerminalClient({ url, requestTimeoutMs: 2_000 });
    const payment = aPayment();
    await client.start(payment);
    expect(await settled(client, payment.transactionId)).toMatchObject({ state: 'approved' });
    expect(await new CardTerminalControl(url).charges()).toEqual([chargeOf(payment)]);

    await device.kill('SIGKILL');
    await expect(client.status(payment.transactionId)).rejects.toThrow(PaymentUnreachable);
    await expect(client.status(payment.transactionId)).rejects.toThrow(/ECONNREFUSED/);
  });

  describe('something other than the terminal at its address', () => {
    const answers: Array<[string, (response: ServerResponse) => void]> = [
      ['an HTML page', (r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Router login</body></html>')],
      ['an approval missing its reference and amount', (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"approved"}')],
      ['a state the API does not have', (r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"paid"}')],
      ['a last4 that is not four digits', (r) => r.writeHead(200).end('{"state":"approved","reference":"R","amountCents":5,"cardBrand":"visa","last4":"42"}')],
      ['a 503', (r) => r.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"busy"}}')],
      // Another web server's own 404, at a mistyped address: it says nothing about the payment.
      ['a 404 that is not the terminal saying "unknown"', (r) => r.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Route GET:/v1/payments not found","error":"Not Found","statusCode":404}')],
      ['a 409 with a body not the API\'s', (r) => r.writeHead(409).end('{"message":"conflict"}')],
      ['a redirect elsewhere', (r) => r.writeHead(302, { location: 'http://127.0.0.1:9/v1/payments' }).end()],
      ['a connection cut mid-answer', (r) => (r.writeHead(200, { 'content-length': '100' }), r.write('{"state":'), r.socket!.destroy())],
    ];

    it.each(answers)('%s is PaymentUnreachable, not an answer', async (_name, answer) => {
      const server = createServer((_request, response) => answer(response));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise((resolve) => server.close(() => resolve())));
      const client = new CardTerminalClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestTimeoutMs: 1_000 });
      await expect(client.status(randomUUID())).rejects.toThrow(PaymentUnreachable);
      await expect(client.start(aPayment())).rejects.toThrow(PaymentUnreachable);
      await expect(client.cancel(randomUUID())).rejects.toThrow(PaymentUnreachable);
      await expect(client.refund({ refundId: randomUUID(), transactionId: randomUUID(), amountCents: 1 })).rejects.toThrow(PaymentUnreachable);
    });
  });
});

describe('its memory', () => {
  it(`keeps the last ${KEPT_TRANSACTIONS} transactions`, async () => {
    const payments = new TerminalPayments({ customerMs: 0, processingMs: 0, cardWaitMs: 60_000 });
    closers.push(async () => payments.close());
    const ids: string[] = [];
    for (let i = 0; i <= KEPT_TRANSACTIONS; i++) {
      const transactionId = randomUUID();
      ids.push(transactionId);
      payments.start({ transactionId, amountCents: 100 + i, currency: 'EUR', reference: 'A042' });
      while (payments.status(transactionId)?.state === 'in-progress') await sleep(0);
    }
    expect(payments.status(ids[0]!)).toBeUndefined();
    expect(payments.status(ids[1]!)).toMatchObject({ state: 'approved', amountCents: 101 });
    expect(payments.charges()).toHaveLength(KEPT_TRANSACTIONS);
  });
});
