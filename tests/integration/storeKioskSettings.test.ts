// Head office sets how a store's kiosks serve customers — ways of serving, table numbers, paying at
// the counter, the idle prompt, the brand colour — and they reach the store's kiosks on its feed.
// A brand colour white text cannot be read on is refused, saying why. Head office also reads the
// store's recent orders with how each was served and paid, a page at a time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { DEFAULT_KIOSK_SETTINGS, type PushResponse } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, type AdminClient } from '../support/adminClient';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments, paidByCard, payAtCounter } from '../support/payments';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
let menu: MenuIndex;
beforeEach(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  await stack.close();
});

type Problems = { error: { code: string; problems: Array<{ path: string; message: string }> } };

describe("a store's kiosk settings", () => {
  it('start as the defaults, change only where given, and reach the kiosks on the feed', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Door' })).token);
    const { stores } = (await owner.request<{ stores: Array<{ id: string; kiosk: unknown }> }>('GET', '/api/stores')).body;
    expect(stores.find((s) => s.id === stack.storeId)!.kiosk).toEqual(DEFAULT_KIOSK_SETTINGS);

    const changed = await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { serviceModes: ['takeaway'], counterPayment: 'hold', brandColour: '#8A1538' } });
    const expected = { ...DEFAULT_KIOSK_SETTINGS, serviceModes: ['takeaway'], counterPayment: 'hold', brandColour: '#8a1538' };
    expect(changed).toMatchObject({ status: 200, body: { id: stack.storeId, kiosk: expected, taxRateBp: 900 } });
    const change = await eventually(() => kiosk.live.find((c) => c.kind === 'store.changed'));
    expect(change).toMatchObject({ store: { name: DEMO_STORE.name, kiosk: expected } });
    const [event] = await stack.db.auditEvent.findMany({ where: { storeId: stack.storeId, action: 'store-changed' } });
    expect(event!.detail).toMatchObject({ before: { kiosk: DEFAULT_KIOSK_SETTINGS }, after: { kiosk: expected } });

    // Other settings keep the kiosk's; the same settings again change nothing.
    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { idleSeconds: 120 } })).toMatchObject({ body: { kiosk: { ...expected, idleSeconds: 120 } } });
    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, { name: 'Tillsync Café Zuid' })).toMatchObject({ body: { kiosk: { ...expected, idleSeconds: 120 } } });
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { counterPayment: 'hold' } })).status).toBe(200);
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(3);
    kiosk.close();
  });

  it('names every bad setting at its field, refuses a brand colour white text cannot be read on, and changes nothing', async () => {
    const answer = await owner.request<Problems>('PATCH', `/api/stores/${stack.storeId}`, {
      kiosk: { serviceModes: ['eat-in', 'eat-in'], tableNumbers: 'yes', counterPayment: 'later', idleSeconds: 5, brandColour: '#ffd700', colour: 'red' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'kiosk.serviceModes', message: 'kiosk.serviceModes: name each way of serving once' },
        { path: 'kiosk.tableNumbers', message: expect.stringMatching(/^kiosk\.tableNumbers: /) },
        { path: 'kiosk.counterPayment', message: expect.stringContaining('off, to-kitchen (sent to the kitchen unpaid) or hold') },
        { path: 'kiosk.idleSeconds', message: 'kiosk.idleSeconds: a whole number of seconds from 30 to 600' },
        {
          path: 'kiosk.brandColour',
          message: 'kiosk.brandColour: white text on #ffd700 has a contrast of only 1.4:1, and kiosks write white text on the brand colour: choose a darker colour (at least 4.5:1)',
        },
        { path: 'kiosk', message: expect.stringContaining('"colour"') },
      ]),
    );
    // Just below the line is refused too; a colour that meets it is taken.
    const light = await owner.request<Problems>('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { brandColour: '#7a7a7a' } });
    expect(light.body.error.problems).toEqual([{ path: 'kiosk.brandColour', message: expect.stringContaining('only 4.2:1') }]);
    expect(await owner.request<Problems>('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { serviceModes: [] } })).toMatchObject({
      body: { error: { problems: [{ path: 'kiosk.serviceModes', message: 'kiosk.serviceModes: offer eat in, takeaway or both' }] } },
    });
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(0);
    expect((await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).kiosk).toBeNull();
    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { brandColour: '#767676' } })).toMatchObject({ status: 200, body: { kiosk: { brandColour: '#767676' } } });
  });

  it('are changed by owners only; a manager reads them', async () => {
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    expect(await manager.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { tableNumbers: true } })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect((await manager.request<{ stores: Array<{ kiosk: unknown }> }>('GET', '/api/stores')).body.stores[0]!.kiosk).toEqual(DEFAULT_KIOSK_SETTINGS);
  });
});

interface Listed {
  orders: Array<{ id: string; number: string; kiosk: string | null; items: number; totalCents: number; service: unknown; payment: unknown; locale: string | null; status: string }>;
  nextBefore: string | null;
}

describe("a store's recent orders", () => {
  it('are listed newest first, a page at a time, with how each was served and paid', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk by the door' })).token);
    const prefix = kiosk.hello.device.orderPrefix!;
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    const card = paidByCard(orderUpload(menu, `${prefix}001`, [LATTE, COOKIE], at(30)), { failedAttempts: 2 }, { service: { mode: 'eat-in', table: '4' }, locale: 'en' });
    const counter = payAtCounter(orderUpload(menu, `${prefix}002`, [LATTE], at(20)), true, { service: { mode: 'takeaway' }, locale: 'ar' });
    const plain = orderUpload(menu, `${prefix}003`, [COOKIE], at(10));
    const pushed = await kiosk.request<PushResponse>('mutations:push', {
      mutations: [card, counter, plain].map((order, i) => ({ id: i + 1, kind: 'order.place', order })),
    });
    expect(pushed).toMatchObject({ ok: true, data: { results: [{ outcome: 'applied' }, { outcome: 'applied' }, { outcome: 'applied' }] } });

    const first = await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/orders?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.orders.map((o) => o.number)).toEqual([plain.number, counter.number]);
    expect(first.body.orders[0]).toMatchObject({ kiosk: 'Kiosk by the door', items: 2, service: null, payment: null, locale: null, status: 'preparing' });
    expect(first.body.orders[1]).toMatchObject({ service: { mode: 'takeaway' }, payment: { method: 'counter', status: 'unpaid', held: true }, locale: 'ar' });
    expect(first.body.nextBefore).toBe(counter.id);
    const second = await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/orders?limit=2&before=${first.body.nextBefore}`);
    expect(second.body).toEqual({
      orders: [expect.objectContaining({ number: card.number, items: 3, totalCents: card.totalCents, service: { mode: 'eat-in', table: '4' }, payment: card.payment })],
      nextBefore: null,
    });

    // Staff take the counter order's money: the list says so.
    await kiosk.request('mutations:push', { mutations: [{ id: 4, kind: 'order.paid', orderId: counter.id, paidAt: new Date().toISOString() }] });
    const again = await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/orders`);
    expect(again.body.orders.find((o) => o.id === counter.id)!.payment).toMatchObject({ status: 'paid', paidAt: expect.any(String) });

    // A manager of the store reads them; a page after an order of another store is refused.
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    expect((await manager.request<Listed>('GET', `/api/stores/${stack.storeId}/orders`)).body.orders).toHaveLength(3);
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    expect(await owner.request('GET', `/api/stores/${other.id}/orders?before=${card.id}`)).toMatchObject({ status: 404, body: { error: { code: 'ORDER_NOT_FOUND', path: 'before' } } });
    expect(await owner.request('GET', `/api/stores/${other.id}/orders`)).toMatchObject({ status: 200, body: { orders: [], nextBefore: null } });
    expect(await owner.request('GET', `/api/stores/${stack.storeId}/orders?limit=500`)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'limit' } } });
    kiosk.close();
  });

  it('page through days, and through orders placed at the same instant, each order once and newest first', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk' })).token);
    const prefix = kiosk.hello.device.orderPrefix!;
    const day = 24 * 3600_000;
    const sameInstant = new Date(Date.now() - day);
    // Uploaded oldest last, so that neither the upload order nor the numbers give the answer.
    const orders = [new Date(), sameInstant, sameInstant, new Date(sameInstant.getTime() - 60_000), new Date(Date.now() - 3 * day)].map((at, i) =>
      orderUpload(menu, `${prefix}${String(9 - i).padStart(3, '0')}`, [LATTE], at),
    );
    const pushed = await kiosk.request<PushResponse>('mutations:push', { mutations: orders.map((order, i) => ({ id: i + 1, kind: 'order.place', order })) });
    expect(pushed).toMatchObject({ ok: true });
    const newestFirst = [...orders].sort((a, b) => b.placedAt.localeCompare(a.placedAt) || b.id.localeCompare(a.id)).map((o) => o.id);

    const listed: string[] = [];
    let before: string | null = null;
    do {
      const page: { body: Listed } = await owner.request<Listed>('GET', `/api/stores/${stack.storeId}/orders?limit=1${before ? `&before=${before}` : ''}`);
      listed.push(...page.body.orders.map((o) => o.id));
      before = page.body.nextBefore;
    } while (before && listed.length <= orders.length);
    expect(listed).toEqual(newestFirst);
    kiosk.close();
  });
});
