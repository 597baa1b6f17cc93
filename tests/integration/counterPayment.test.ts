// Paying at the counter, as the store's setting says: the order goes to the kitchen marked unpaid,
// or it waits (on no kitchen screen's rail, on no board) until staff take the money and mark it
// paid on the kitchen display; the mark reaches the server and every terminal once. Head office's
// kiosk settings reach the kiosk on the feed.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuView, PlaceOrderInput } from '#terminal-api/contract';
import { adminClient, type AdminClient } from '../support/adminClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
let kiosk: TestTerminal;
let kitchen: TestTerminal;
let board: TestTerminal;
let menu: MenuView;

const espresso = (): PlaceOrderInput => ({
  menuVersionId: menu.versionId,
  lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }],
  expectedTotalCents: 260,
  service: { mode: 'takeaway' },
  locale: 'fr',
});
const setCounterPayment = async (counterPayment: 'off' | 'to-kitchen' | 'hold') => {
  expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { counterPayment } })).status).toBe(200);
  await eventually(async () => (await kiosk.core.api.getStatus()).kiosk?.counterPayment === counterPayment);
};
const ticketOf = (orderId: string) => kitchen.core.api.listTickets().then((list) => list.active.find((t) => t.id === orderId));

beforeAll(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
  kiosk = await stack.terminal('kiosk');
  kitchen = await stack.terminal('kitchen');
  board = await stack.terminal('board');
  menu = await eventually(async () => (await kiosk.core.api.getMenu()) as MenuView | null);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('paying at the counter', () => {
  it('held for payment: not started, not on the board, until staff mark it paid; then everywhere, once', async () => {
    await setCounterPayment('hold');
    const placed = await kiosk.core.api.placeOrder(espresso());
    expect(placed.payment).toEqual({ method: 'counter', status: 'unpaid', held: true });

    const waiting = await eventually(() => ticketOf(placed.id));
    expect(waiting).toMatchObject({ awaitingPayment: true, unpaid: true, service: { mode: 'takeaway' } });
    expect((await board.core.api.getBoard()).preparing).not.toContain(placed.number);
    const onServer = await eventually(() => stack.db.order.findUnique({ where: { id: placed.id } }));
    expect(onServer.payment).toMatchObject({ method: 'counter', status: 'unpaid', held: true });
    expect(onServer.locale).toBe('fr');

    // A bump is not what staff do with it: they take the money.
    expect(await kitchen.core.call('bumpTicket', { orderId: placed.id })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect((await kitchen.core.call('markPaid', { orderId: placed.id })).ok).toBe(true);
    expect(await ticketOf(placed.id)).toMatchObject({ awaitingPayment: false, unpaid: false });
    // Twice is refused on the screen: it is paid already.
    expect(await kitchen.core.call('markPaid', { orderId: placed.id })).toMatchObject({ ok: false, error: { code: 'NOT_A_COUNTER_ORDER' } });

    await eventually(async () => ((await stack.db.order.findUnique({ where: { id: placed.id } }))?.payment as { status?: string } | null)?.status === 'paid');
    await eventually(async () => (await board.core.api.getBoard()).preparing.includes(placed.number));
    expect(await stack.db.storeChange.count({ where: { storeId: stack.storeId, kind: 'order.paid' } })).toBe(1);
  });

  it('to the kitchen unpaid: started at once, marked unpaid for whoever hands it over', async () => {
    await setCounterPayment('to-kitchen');
    const placed = await kiosk.core.api.placeOrder(espresso());
    expect(await eventually(() => ticketOf(placed.id))).toMatchObject({ awaitingPayment: false, unpaid: true });
    await eventually(async () => (await board.core.api.getBoard()).preparing.includes(placed.number));
  });

  it('off: the kiosk takes cards only, and says so', async () => {
    await setCounterPayment('off');
    expect(await kiosk.core.call('placeOrder', espresso())).toMatchObject({ ok: false, error: { code: 'COUNTER_PAYMENT_OFF' } });
    await setCounterPayment('to-kitchen');
  });

  it('a kiosk updated in place, which never saw the store change, has the kiosk settings from its next hello', async () => {
    await setCounterPayment('hold');
    await kiosk.close();
    const sqlite = new Database(kiosk.databaseFile);
    sqlite.prepare('UPDATE DeviceSettings SET kioskSettings = NULL, storeAddress = NULL').run();
    sqlite.close();
    kiosk = await stack.reopen(kiosk);
    await eventually(async () => (await kiosk.core.api.getStatus()).kiosk?.counterPayment === 'hold');
    await setCounterPayment('to-kitchen');
  });

  it('a card order cannot be marked paid at the counter', async () => {
    expect(await kitchen.core.call('markPaid', { orderId: '01900000-0000-7000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_FOUND' } });
  });
});
