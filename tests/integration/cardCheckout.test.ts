// A kiosk taking card payments from the card terminal simulator (a real HTTP server), with a real
// sync server and real SQLite: a customer is never charged twice, a paid order is never lost, and
// an order reaches the kitchen only once it is paid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutView, MenuView, PlaceOrderInput } from '#terminal-api/contract';
import { CardTerminalClient } from '../../electron/core/payments/cardTerminalClient';
import { receiptPrinterFrom } from '../../electron/core/receipts/printerLink';
import { startCardTerminal, type RunningCardTerminal } from '../../electron/simulators/cardTerminal';
import { ReceiptPrinterSimulator } from '../../electron/simulators/receiptPrinter';
import { CardTerminalControl } from '../support/cardTerminalControl';
import { eventually, startTestStack, type TerminalExtras, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let terminal: RunningCardTerminal;
let control: CardTerminalControl;
let kiosk: TestTerminal;
let kitchen: TestTerminal;
let menu: MenuView;
const printer = new ReceiptPrinterSimulator();

/** A card terminal, polled often and with little patience: tests do not wait for customers. */
const withCardTerminal = (): TerminalExtras => ({
  paymentProvider: new CardTerminalClient({ url: terminal.url, requestTimeoutMs: 1000 }),
  cardCheckout: { pollMs: 50, notReceivedGraceMs: 300 },
  receiptPrinter: receiptPrinterFrom({
    TILLSYNC_RECEIPT_PRINTER: { host: '127.0.0.1', port: printer.port },
    TILLSYNC_RECEIPT_COLUMNS: 48,
    TILLSYNC_RECEIPT_CODEPAGE: 'windows1252',
    TILLSYNC_RECEIPT_STATUS: 'ask',
  })!,
});

const espresso = (quantity = 1): PlaceOrderInput => ({
  menuVersionId: menu.versionId,
  lines: [{ itemId: 'espresso', quantity, optionIds: [] }],
  expectedTotalCents: 260 * quantity,
  service: { mode: 'eat-in', table: '12' },
  locale: 'ar',
});

const settled = (orderId: string, on = kiosk) =>
  eventually(async () => {
    const view = await on.core.api.getCheckout({ orderId });
    return view.card && view.card.state !== 'sending' && view.card.state !== 'in-progress' ? view : null;
  });

const serverOrder = (id: string) => stack.db.order.findUnique({ where: { id } });
const chargesFor = async (transactionIds: Set<string>) => (await control.charges()).filter((c) => transactionIds.has(c.transactionId));

beforeAll(async () => {
  stack = await startTestStack();
  await printer.listen(0);
  terminal = await startCardTerminal({ timings: { customerMs: 100, processingMs: 100, cardWaitMs: 2000 } });
  control = new CardTerminalControl(terminal.url);
  kiosk = await stack.terminal('kiosk', { core: withCardTerminal() });
  kitchen = await stack.terminal('kitchen');
  menu = await eventually(async () => (await kiosk.core.api.getMenu()) as MenuView | null);
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await terminal?.close();
  await printer.close();
});

describe('paying by card at the kiosk', () => {
  it('a declined card places nothing; the second attempt is approved and the order goes to the kitchen and the server once', async () => {
    await control.next({ outcome: 'decline' });
    const started = await kiosk.core.api.payByCard(espresso());
    expect(started.state).toBe('paying');
    expect(started.number).toMatch(/^[A-Z]+\d{3}$/);

    const declined = await settled(started.orderId);
    expect(declined.card).toMatchObject({ state: 'failed', failure: 'declined' });
    expect(declined.state).toBe('paying');
    // Not paid: not in any kitchen, not on its way to the server.
    expect((await kitchen.core.api.listTickets()).active.some((t) => t.id === started.orderId)).toBe(false);
    expect(await serverOrder(started.orderId)).toBeNull();

    await control.next({ outcome: 'approve' });
    await kiosk.core.api.retryCard({ orderId: started.orderId });
    const paid = await settled(started.orderId);
    expect(paid.state).toBe('placed');
    expect(paid.failedAttempts).toBe(1);
    expect(paid.order?.number).toBe(started.number);
    expect(paid.order?.payment).toMatchObject({ method: 'card', status: 'paid', amountCents: 260, failedAttempts: 1 });

    const ticket = await eventually(async () => (await kitchen.core.api.listTickets()).active.find((t) => t.id === started.orderId));
    expect(ticket).toMatchObject({ service: { mode: 'eat-in', table: '12' }, unpaid: false, awaitingPayment: false });
    const held = await eventually(() => serverOrder(started.orderId));
    expect(held.payment).toMatchObject({ method: 'card', status: 'paid', failedAttempts: 1 });
    const transactionId = (held.payment as { transactionId: string }).transactionId;
    expect(await chargesFor(new Set([transactionId]))).toHaveLength(1);
  });

  it('a cancel is only a request: a customer who had tapped already is charged once and gets their order', async () => {
    // The customer taps at 100 ms; the cancel arrives while the terminal authorises.
    await control.next({ outcome: 'approve', afterMs: 100 });
    const started = await kiosk.core.api.payByCard(espresso());
    await eventually(async () => (await kiosk.core.api.getCheckout({ orderId: started.orderId })).card?.state === 'in-progress');
    await new Promise((r) => setTimeout(r, 130));
    const cancelling = await kiosk.core.api.cancelCheckout({ orderId: started.orderId });
    expect(cancelling.card?.cancelRequested).toBe(true);
    const ended = await settled(started.orderId);
    expect(ended.state).toBe('placed');
    await eventually(() => serverOrder(started.orderId));
  });

  it('a cancel before the card voids the order: nothing charged, nothing placed', async () => {
    await control.next({ outcome: 'approve', afterMs: 1500 });
    const started = await kiosk.core.api.payByCard(espresso());
    await kiosk.core.api.cancelCheckout({ orderId: started.orderId });
    const ended = await eventually(async () => {
      const view = await kiosk.core.api.getCheckout({ orderId: started.orderId });
      return view.state === 'voided' ? view : null;
    });
    expect(ended.card).toMatchObject({ state: 'failed', failure: 'cancelled' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await kiosk.core.api.retryCard({ orderId: started.orderId }).catch((e: Error) => e.message)).toMatch(/ended/);
    expect(await serverOrder(started.orderId)).toBeNull();
  });

  it('a terminal that stops answering is "checking", never "failed"; once back, its approval places the order', async () => {
    await control.next({ outcome: 'approve', afterMs: 400 });
    const started = await kiosk.core.api.payByCard(espresso());
    await control.offline(true);
    const checking = await eventually(async () => {
      const view = await kiosk.core.api.getCheckout({ orderId: started.orderId });
      return view.card?.unreachable ? view : null;
    });
    expect(checking.state).toBe('paying');
    expect(checking.card?.state).not.toBe('failed');
    await new Promise((r) => setTimeout(r, 600));
    await control.offline(false);
    const ended = await settled(started.orderId);
    expect(ended.state).toBe('placed');
  });

  it('after a crash mid-payment the kiosk asks the terminal and completes the order: one charge, one order', async () => {
    await control.next({ outcome: 'approve', afterMs: 300 });
    const started = await kiosk.core.api.payByCard(espresso(2));
    // The kiosk goes away while the customer is at the terminal; nothing polls any more.
    await kiosk.close();
    await new Promise((r) => setTimeout(r, 800));
    kiosk = await stack.reopen(kiosk, { core: withCardTerminal() });
    const ended = await settled(started.orderId);
    expect(ended.state).toBe('placed');
    const held = await eventually(() => serverOrder(started.orderId));
    expect(held.totalCents).toBe(520);
    // Started again: nothing is placed twice.
    await kiosk.close();
    kiosk = await stack.reopen(kiosk, { core: withCardTerminal() });
    await new Promise((r) => setTimeout(r, 300));
    expect(await stack.db.order.count({ where: { number: started.number, deviceId: kiosk.deviceId } })).toBe(1);
    expect(await chargesFor(new Set([(held.payment as { transactionId: string }).transactionId]))).toHaveLength(1);
  });

  it('a checkout left with no live attempt when the kiosk restarts is voided', async () => {
    await control.next({ outcome: 'decline' });
    const started = await kiosk.core.api.payByCard(espresso());
    await settled(started.orderId);
    await kiosk.close();
    kiosk = await stack.reopen(kiosk, { core: withCardTerminal() });
    const view: CheckoutView = await kiosk.core.api.getCheckout({ orderId: started.orderId });
    expect(view.state).toBe('voided');
  });

  it('a paid order prints its receipt with the signed link; a printer out of paper or off only changes what the screen says', async () => {
    const before = printer.printed;
    await control.next({ outcome: 'approve' });
    const started = await kiosk.core.api.payByCard(espresso());
    const paid = await settled(started.orderId);
    expect(paid.order?.receiptUrl).toMatch(new RegExp(`/receipt/${kiosk.deviceId}/${started.orderId}\\?s=[A-Za-z0-9_-]{22}$`));
    const [receipt] = (await printer.waitForReceipts(before + 1)).slice(-1);
    expect(receipt!.qrCodes).toEqual([paid.order!.receiptUrl]);
    expect(receipt!.lines.join('\n')).toContain(started.number);
    expect(receipt!.cut).toBe('full');
    expect(await eventually(async () => (await kiosk.core.api.getReceipt({ orderId: started.orderId })).state === 'printed')).toBe(true);

    printer.state = 'paper-out';
    await control.next({ outcome: 'approve' });
    const second = await kiosk.core.api.payByCard(espresso());
    expect((await settled(second.orderId)).state).toBe('placed');
    expect(await eventually(async () => (await kiosk.core.api.getReceipt({ orderId: second.orderId })).state === 'no-paper')).toBe(true);
    await printer.close();
    const third = await kiosk.core.api.placeOrder(espresso());
    expect(await eventually(async () => (await kiosk.core.api.getReceipt({ orderId: third.id })).state === 'offline')).toBe(true);
    await eventually(() => serverOrder(third.id));
  });

  it('without a card terminal the kiosk says so, and takes payment at the counter', async () => {
    const plain = await stack.terminal('kiosk');
    const plainMenu = await eventually(async () => (await plain.core.api.getMenu()) as MenuView | null);
    const input = { ...espresso(), menuVersionId: plainMenu.versionId };
    expect((await plain.core.call('payByCard', input)).ok).toBe(false);
    expect(await plain.core.call('payByCard', input)).toMatchObject({ error: { code: 'CARD_PAYMENT_UNAVAILABLE' } });
    expect((await plain.core.api.getStatus()).kiosk).toMatchObject({ cardPayments: false, counterPayment: 'to-kitchen' });
    const placed = await plain.core.api.placeOrder(input);
    expect(placed.payment).toEqual({ method: 'counter', status: 'unpaid', held: false });
    const ticket = await eventually(async () => (await kitchen.core.api.listTickets()).active.find((t) => t.id === placed.id));
    expect(ticket).toMatchObject({ unpaid: true, awaitingPayment: false });
  });
});
