// Orders a kiosk took payment for: a card payment is stored with its order and goes on the feed
// with how the order is served and the customer's language; it must pay exactly the order's total,
// and one charge pays one order. A counter order arrives unpaid, and staff mark it paid
// (`order.paid`, from a kiosk or the kitchen): once, on the feed, in that store only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { ChangeSchema, type Change, type PullResponse, type PushResponse, type SnapshotResponse } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { publishMenuVersion } from '#menus/menuCatalog';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments, paidByCard, payAtCounter } from '../support/payments';
import type { ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
let kiosk: ProtocolClient & { hello: { device: { id: string; orderPrefix: string | null } } };
let kitchen: ProtocolClient & { hello: { device: { id: string } } };
let prefix: string;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk by the door' })).token);
  kitchen = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Pass' })).token);
  prefix = kiosk.hello.device.orderPrefix!;
});
afterEach(async () => {
  kiosk.close();
  kitchen.close();
  await stack.close();
});

let numbers = 0;
const next = () => `${prefix}${String(++numbers).padStart(3, '0')}`;
const now = () => new Date().toISOString();

async function push(client: ProtocolClient, ...mutations: Array<Record<string, unknown>>) {
  const answer = await client.request<PushResponse>('mutations:push', { mutations });
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.data.results.sort((a, b) => a.id - b.id);
}
const place = (id: number, order: OrderUpload) => ({ id, kind: 'order.place', order });
const paid = (id: number, orderId: string, paidAt = now()) => ({ id, kind: 'order.paid', orderId, paidAt });
/** The card transaction that paid `order`. */
const chargeOf = (order: OrderUpload) => (order.payment?.method === 'card' ? order.payment.transactionId : null);
const pullAll = async (client: ProtocolClient) => ((await client.request<PullResponse>('feed:pull', { after: 0 })) as { data: PullResponse }).data.changes;

describe('a card payment', () => {
  it('is stored with its order, and the feed carries the order with its payment, service and language', async () => {
    const order = paidByCard(orderUpload(menu, next(), [LATTE, COOKIE]), { failedAttempts: 1 }, { service: { mode: 'eat-in', table: '12' }, locale: 'fr' });
    expect(await push(kiosk, place(1, order))).toEqual([{ id: 1, outcome: 'applied' }]);

    expect(await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      serviceMode: 'eat-in',
      tableNumber: '12',
      locale: 'fr',
      paymentStatus: 'paid',
      paidAt: new Date(order.placedAt),
      cardTransactionId: chargeOf(order),
      payment: order.payment,
    });
    const expected = { service: { mode: 'eat-in', table: '12' }, locale: 'fr', payment: order.payment };
    // Live to the store's other terminals, and in a pull; both as the protocol's schema says.
    const live = await eventually(() => kitchen.live.find((c) => c.kind === 'order.placed'));
    expect(live).toMatchObject({ order: { id: order.id, totalCents: order.totalCents, ...expected } });
    const pulled = (await pullAll(kitchen)).find((c) => c.kind === 'order.placed');
    expect(ChangeSchema.parse(pulled)).toEqual(live);
    // And in a snapshot, as the order is now.
    const snapshot = (await kitchen.request<SnapshotResponse>('feed:snapshot', {})) as { data: SnapshotResponse };
    expect(snapshot.data.orders).toEqual([expect.objectContaining({ id: order.id, ...expected })]);
  });

  it("must pay exactly the order's total: any other amount is refused, and nothing is stored", async () => {
    const base = orderUpload(menu, next(), [LATTE]);
    for (const amountCents of [base.totalCents - 1, base.totalCents + 1, 0]) {
      expect(await push(kiosk, place(1, paidByCard(base, { amountCents })))).toEqual([
        { id: 1, outcome: 'rejected', error: { code: 'PAYMENT_MISMATCH', message: expect.stringContaining(`order's total is ${base.totalCents}`), path: 'order.payment.amountCents' } },
      ]);
    }
    expect(await stack.db.order.count()).toBe(0);
    expect(await stack.db.storeChange.count()).toBe(1); // the menu's publication only
    expect(await push(kiosk, place(1, paidByCard(base)))).toEqual([{ id: 1, outcome: 'applied' }]);
  });

  it('pays one order: another order paid with the same transaction is refused, in any store, in the same push too', async () => {
    const first = paidByCard(orderUpload(menu, next(), [LATTE]));
    const charge = chargeOf(first)!;
    const second = paidByCard(orderUpload(menu, next(), [LATTE]), { transactionId: charge });
    expect(await push(kiosk, place(1, first))).toEqual([{ id: 1, outcome: 'applied' }]);
    const refused = { outcome: 'rejected', error: expect.objectContaining({ code: 'PAYMENT_ALREADY_USED', path: 'order.payment.transactionId' }) };
    expect(await push(kiosk, place(2, second))).toEqual([{ id: 2, ...refused }]);
    // A retry of the first is what it was: a duplicate, under its number or another.
    expect(await push(kiosk, place(1, first), place(3, first))).toEqual([
      { id: 1, outcome: 'duplicate' },
      { id: 3, outcome: 'duplicate' },
    ]);

    // Two orders with one new charge in one push: the first is placed, the second refused.
    const shared = paidByCard(orderUpload(menu, next(), [COOKIE]));
    const twin = paidByCard(orderUpload(menu, next(), [COOKIE]), { transactionId: chargeOf(shared)! });
    expect(await push(kiosk, place(4, shared), place(5, twin))).toEqual([{ id: 4, outcome: 'applied' }, { id: 5, ...refused }]);

    // Another store's kiosk cannot reuse it either.
    const elsewhere = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    await stack.db.$transaction((tx) => publishMenuVersion(tx, stack.menuVersionId, [elsewhere.id]));
    const theirs = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: elsewhere.id, role: 'kiosk', name: 'Utrecht kiosk' })).token);
    const theirOrder = paidByCard(orderUpload(menu, `${theirs.hello.device.orderPrefix}001`, [LATTE]), { transactionId: charge });
    expect(await push(theirs, place(1, theirOrder))).toEqual([{ id: 1, ...refused }]);
    theirs.close();
    expect(await stack.db.order.findMany({ where: { cardTransactionId: charge }, select: { id: true } })).toEqual([{ id: first.id }]);
  });
});

describe('a counter order', () => {
  it('is uploaded unpaid: one that claims to be paid already is refused', async () => {
    const base = orderUpload(menu, next(), [LATTE]);
    const claims = { ...base, payment: { method: 'counter' as const, status: 'paid' as const, held: false, paidAt: now() } };
    expect(await push(kiosk, place(1, claims))).toEqual([{ id: 1, outcome: 'rejected', error: expect.objectContaining({ code: 'INVALID_PAYLOAD', path: 'order.payment.status' }) }]);
    expect(await stack.db.order.count()).toBe(0);
  });

  it('held until staff take the money: order.paid goes on the feed once, and every repeat is a duplicate', async () => {
    const order = payAtCounter(orderUpload(menu, next(), [LATTE]), true, { service: { mode: 'takeaway' }, locale: 'ar' });
    expect(await push(kiosk, place(1, order))).toEqual([{ id: 1, outcome: 'applied' }]);
    expect(await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ paymentStatus: 'unpaid', paidAt: null, cardTransactionId: null });
    const placed = await eventually(() => kitchen.live.find((c) => c.kind === 'order.placed'));
    expect(placed).toMatchObject({ order: { payment: { method: 'counter', status: 'unpaid', held: true }, service: { mode: 'takeaway' } } });

    // The kitchen takes the money at the pass.
    const paidAt = new Date(Date.now() - 1000).toISOString();
    expect(await push(kitchen, paid(1, order.id, paidAt))).toEqual([{ id: 1, outcome: 'applied' }]);
    const change = await eventually(() => kiosk.live.find((c) => c.kind === 'order.paid'));
    expect(ChangeSchema.parse(change)).toEqual({ seq: placed.seq + 1, at: expect.any(String), kind: 'order.paid', orderId: order.id, paidAt, deviceId: kitchen.hello.device.id });
    expect(await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      paymentStatus: 'paid',
      paidAt: new Date(paidAt),
      payment: { method: 'counter', status: 'paid', held: true, paidAt },
    });

    // The kitchen's retry, and the kiosk's staff marking it too: nothing new.
    expect(await push(kitchen, paid(1, order.id, paidAt))).toEqual([{ id: 1, outcome: 'duplicate' }]);
    expect(await push(kitchen, paid(2, order.id))).toEqual([{ id: 2, outcome: 'duplicate' }]);
    expect(await push(kiosk, paid(2, order.id))).toEqual([{ id: 2, outcome: 'duplicate' }]);
    expect(await stack.db.storeChange.count({ where: { kind: 'order.paid' } })).toBe(1);
    expect((await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).paidAt).toEqual(new Date(paidAt));

    // A terminal that starts afresh sees the order as it is now.
    const snapshot = (await kiosk.request<SnapshotResponse>('feed:snapshot', {})) as { data: SnapshotResponse };
    expect(snapshot.data.orders).toEqual([expect.objectContaining({ id: order.id, payment: { method: 'counter', status: 'paid', held: true, paidAt } })]);
  });

  it('may be placed and paid in one push', async () => {
    const order = payAtCounter(orderUpload(menu, next(), [COOKIE]), false);
    expect(await push(kiosk, place(1, order), paid(2, order.id))).toEqual([
      { id: 1, outcome: 'applied' },
      { id: 2, outcome: 'applied' },
    ]);
    await eventually(() => kitchen.live.some((c) => c.kind === 'order.paid'));
    expect(kitchen.live.map((c: Change) => c.kind)).toEqual(['order.placed', 'order.paid']);
  });

  it('is the only order staff can mark paid, in their own store, and not from a board or with a clock ahead', async () => {
    const card = paidByCard(orderUpload(menu, next(), [LATTE]));
    const unpaidKind = orderUpload(menu, next(), [LATTE]); // from a kiosk before payments
    const counter = payAtCounter(orderUpload(menu, next(), [LATTE]), false);
    expect(await push(kiosk, place(1, card), place(2, unpaidKind), place(3, counter))).toEqual([1, 2, 3].map((id) => ({ id, outcome: 'applied' })));

    const refusedWith = (code: string, path: string | null = 'orderId') => ({ outcome: 'rejected', error: expect.objectContaining(path === null ? { code } : { code, path }) });
    expect(await push(kitchen, paid(1, card.id), paid(2, unpaidKind.id), paid(3, '0195f3c8-0000-7000-8000-00000000beef'))).toEqual([
      { id: 1, ...refusedWith('NOT_A_COUNTER_ORDER') },
      { id: 2, ...refusedWith('NOT_A_COUNTER_ORDER') },
      // This kitchen reads as terminals from before the store's LAN: no order is "not held yet" to it.
      { id: 3, ...refusedWith('ORDER_NOT_FOUND') },
    ]);
    expect(await push(kitchen, paid(4, counter.id, new Date(Date.now() + 60_000).toISOString()))).toEqual([{ id: 4, ...refusedWith('CLOCK_DRIFT', 'paidAt') }]);

    const board = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'Wall' })).token);
    expect(await push(board, paid(1, counter.id))).toEqual([{ id: 1, ...refusedWith('FORBIDDEN_FOR_ROLE', null) }]);
    board.close();

    // Another store's kitchen is told there is no such order.
    const elsewhere = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    const theirKitchen = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: elsewhere.id, role: 'kitchen', name: 'Utrecht pass' })).token);
    expect(await push(theirKitchen, paid(1, counter.id))).toEqual([{ id: 1, ...refusedWith('ORDER_NOT_FOUND') }]);
    theirKitchen.close();

    expect(await stack.db.order.findUniqueOrThrow({ where: { id: counter.id } })).toMatchObject({ paymentStatus: 'unpaid', paidAt: null });
    expect(await stack.db.storeChange.count({ where: { kind: 'order.paid' } })).toBe(0);
    // Refused numbers hold nothing: sent again for something right, they are judged afresh.
    expect(await push(kitchen, paid(1, counter.id))).toEqual([{ id: 1, outcome: 'applied' }]);
  });
});
