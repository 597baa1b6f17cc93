// Terminals from before payments keep working: what they get — live, in pulls, in snapshots and
// their further pages, in their hello — parses with the strict schemas they were built with (their
// shapes are copied below). They get orders without service, payment and language, store settings
// without the kiosk's, no receipt key, and in place of `order.paid` a change they apply as nothing
// under the same seq. Terminals that name `order.paid` get all of it, and a kiosk's receipt key
// stays the same across restarts and server nodes.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectServerDatabase } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import {
  ChangeSchema,
  HelloResponseSchema,
  PullResponseSchema,
  SnapshotOrdersResponseSchema,
  SnapshotResponseSchema,
  StoreSettingsSchema,
  type HelloResponse,
  type PullResponse,
  type PushResponse,
} from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { OrderRecordSchema } from '#protocol/orders';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer } from '../../sync-server/server';
import { adminClient } from '../support/adminClient';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments, paidByCard, payAtCounter } from '../support/payments';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

// ── The schemas of a terminal from before payments (protocol 1 with store.changed), as it was built ──
const OldOrderRecord = OrderRecordSchema.omit({ service: true, payment: true, locale: true });
const OldStoreSettings = StoreSettingsSchema.omit({ kiosk: true });
const oldKinds = ChangeSchema.options.filter((o) => !['order.placed', 'store.changed', 'order.paid'].includes(o.shape.kind.value));
const OldChange = z.discriminatedUnion('kind', [
  z.strictObject({ seq: z.int().min(1), at: z.iso.datetime(), kind: z.literal('order.placed'), order: OldOrderRecord }),
  z.strictObject({ seq: z.int().min(1), at: z.iso.datetime(), kind: z.literal('store.changed'), store: OldStoreSettings }),
  ...oldKinds,
]);
const OldLive = z.strictObject({ changes: z.array(OldChange).min(1) });
const OldPull = PullResponseSchema.extend({ changes: z.array(OldChange) });
const OldSnapshot = SnapshotResponseSchema.extend({ orders: z.array(OldOrderRecord), store: OldStoreSettings.optional() });
const OldSnapshotOrders = SnapshotOrdersResponseSchema.extend({ orders: z.array(OldOrderRecord) });
const OldHello = HelloResponseSchema.omit({ receiptKey: true });

/** The lowest UUIDv7: a further page of the snapshot after it holds every order (there are few). */
const BEFORE_EVERY_ORDER = '00000000-0000-7000-8000-000000000000';

let stack: TestStack;
let menu: MenuIndex;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  await stack.close();
});

async function connect(role: 'kiosk' | 'kitchen', auth: Record<string, unknown>, name: string = role): Promise<ProtocolClient & { hello: HelloResponse }> {
  const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role, name });
  const client = await connectProtocolClient(stack.url, { token, ...auth });
  const hello = await client.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
  if (!hello.ok) throw new Error(JSON.stringify(hello.error));
  return Object.assign(client, { hello: hello.data });
}
const data = async <T>(client: ProtocolClient, event: string, payload: unknown): Promise<T> => {
  const answer = await client.request<T>(event, payload);
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.data;
};

describe('a terminal from before payments', () => {
  it('reads every change, pull, snapshot and hello with its own strict schemas, and its cursor passes every seq', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'New kiosk' })).token);
    const current = await connect('kitchen', { menuFormats: [1, 2], changeKinds: ['store.changed', 'order.paid'] }, 'New kitchen');
    const old = await connect('kitchen', { menuFormats: [1, 2], changeKinds: ['store.changed'] }, 'Kitchen from last year');
    expect(OldHello.parse(old.hello)).toEqual(old.hello);
    const owner = await adminClient(stack.db, stack.url);

    // A card order, a counter order paid at the pass, and new kiosk settings.
    const prefix = kiosk.hello.device.orderPrefix!;
    const card = paidByCard(orderUpload(menu, `${prefix}001`, [LATTE]), {}, { service: { mode: 'eat-in', table: '7' }, locale: 'ar' });
    const counter = payAtCounter(orderUpload(menu, `${prefix}002`, [COOKIE]), true, { locale: 'fr' });
    const pushed = await data<PushResponse>(kiosk, 'mutations:push', {
      mutations: [
        { id: 1, kind: 'order.place', order: card },
        { id: 2, kind: 'order.place', order: counter },
        { id: 3, kind: 'order.paid', orderId: counter.id, paidAt: new Date().toISOString() },
      ],
    });
    expect(pushed.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied']);
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { brandColour: '#8a1538', tableNumbers: true } })).status).toBe(200);
    const head = kiosk.hello.headSeq + 4;

    // Live: the same seqs, each in the shape its reader knows.
    await eventually(() => old.live.some((c) => c.seq === head) && current.live.some((c) => c.seq === head));
    const oldLive = OldLive.parse({ changes: old.live }).changes;
    expect(oldLive.map((c) => c.seq)).toEqual(current.live.map((c) => c.seq));
    expect(oldLive.map((c) => c.kind)).toEqual(['order.placed', 'order.placed', 'device.revoked', 'store.changed']);
    expect(oldLive[2]).toEqual({ seq: head - 1, at: expect.any(String), kind: 'device.revoked', deviceId: '00000000-0000-0000-0000-000000000000' });
    expect(current.live.map((c) => ChangeSchema.parse(c).kind)).toEqual(['order.placed', 'order.placed', 'order.paid', 'store.changed']);
    expect(current.live[0]).toMatchObject({ order: { service: { mode: 'eat-in', table: '7' }, locale: 'ar', payment: { method: 'card' } } });
    expect(current.live[3]).toMatchObject({ store: { kiosk: { brandColour: '#8a1538', tableNumbers: true, counterPayment: 'to-kitchen' } } });

    // Pulled: the same as live, for each.
    const after = kiosk.hello.headSeq;
    expect(OldPull.parse(await data<PullResponse>(old, 'feed:pull', { after })).changes).toEqual(oldLive);
    expect((await data<PullResponse>(current, 'feed:pull', { after })).changes).toEqual(current.live);

    // Snapshots and their further pages.
    const oldSnapshot = OldSnapshot.parse(await data(old, 'feed:snapshot', {}));
    expect(oldSnapshot.orders.map((o) => o.id)).toEqual([card.id, counter.id]);
    expect(oldSnapshot.store).toEqual(expect.objectContaining({ name: expect.any(String), taxRateBp: 900 }));
    expect(OldSnapshotOrders.parse(await data(old, 'feed:snapshotOrders', { after: BEFORE_EVERY_ORDER })).orders).toEqual(oldSnapshot.orders);
    const snapshot = SnapshotResponseSchema.parse(await data(current, 'feed:snapshot', {}));
    expect(snapshot.store?.kiosk).toMatchObject({ brandColour: '#8a1538' });
    expect(snapshot.orders[1]).toMatchObject({ locale: 'fr', payment: { method: 'counter', status: 'paid', held: true } });
    expect(SnapshotOrdersResponseSchema.parse(await data(current, 'feed:snapshotOrders', { after: BEFORE_EVERY_ORDER })).orders).toEqual(snapshot.orders);

    for (const client of [kiosk, current, old]) client.close();
  });

  it('that does not apply store changes either gets nothing it cannot read, in pulls and snapshots', async () => {
    const kiosk = await connectReadingPayments(stack.url, (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'New kiosk' })).token);
    const oldest = await connect('kitchen', {}, 'Kitchen from two years ago');
    const order = payAtCounter(orderUpload(menu, `${kiosk.hello.device.orderPrefix}001`, [LATTE]), false, { service: { mode: 'takeaway' } });
    await data(kiosk, 'mutations:push', { mutations: [{ id: 1, kind: 'order.place', order }, { id: 2, kind: 'order.paid', orderId: order.id, paidAt: new Date().toISOString() }] });
    const live = await eventually(() => oldest.live.length === 2 && oldest.live);
    expect(OldLive.parse({ changes: live }).changes.map((c) => c.kind)).toEqual(['order.placed', 'device.revoked']);
    expect(OldPull.parse(await data(oldest, 'feed:pull', { after: 0 })).changes.map((c) => c.kind)).toEqual(['menu.published', 'order.placed', 'device.revoked']);
    const snapshot = OldSnapshot.parse(await data(oldest, 'feed:snapshot', {}));
    expect(snapshot).not.toHaveProperty('store');
    expect(snapshot.orders).toHaveLength(1);
    kiosk.close();
    oldest.close();
  });
});

describe("a kiosk's receipt key", () => {
  it('is in the hello of kiosks that read payments only, the same after a restart and on every node', async () => {
    const { token, device } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk by the door' });
    const kiosk = await connectReadingPayments(stack.url, token);
    const key = kiosk.hello.receiptKey!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(HelloResponseSchema.parse(kiosk.hello)).toEqual(kiosk.hello);
    // HMAC-SHA256 of the device id under the one secret the database keeps.
    const { value } = await stack.db.serverSecret.findUniqueOrThrow({ where: { name: 'receipts' } });
    expect(key).toBe(createHmac('sha256', value).update(device.id).digest('base64url'));
    kiosk.close();

    const old = await connectProtocolClient(stack.url, { token, menuFormats: [1, 2], changeKinds: ['store.changed'] });
    const oldHello = await data<HelloResponse>(old, 'session:hello', { protocolVersion: 1, cursor: 0 });
    expect(oldHello).not.toHaveProperty('receiptKey');
    old.close();
    expect(await connect('kitchen', { changeKinds: ['store.changed', 'order.paid'] }).then((k) => (k.close(), k.hello))).not.toHaveProperty('receiptKey');
    expect(await connect('kiosk', { changeKinds: ['store.changed'] }).then((k) => (k.close(), k.hello))).not.toHaveProperty('receiptKey');

    await stack.restartServer();
    const again = await connectReadingPayments(stack.url, token);
    expect(again.hello.receiptKey).toBe(key);
    again.close();

    // Another node on the same database derives the same key; one configured with its own secret, that secret's.
    for (const [receiptSecret, expected] of [
      [undefined, key],
      ['an operator-chosen receipt secret of some length', createHmac('sha256', 'an operator-chosen receipt secret of some length').update(device.id).digest('base64url')],
    ] as const) {
      const node = connectServerDatabase(stack.databaseUrl);
      const other = await createServer({ ...node, ...(receiptSecret ? { receiptSecret } : {}) });
      try {
        const { url } = await other.listen(0);
        const there = await connectReadingPayments(url, token);
        expect(there.hello.receiptKey).toBe(expected);
        there.close();
      } finally {
        await other.close();
        await node.close();
      }
    }
    expect(await stack.db.serverSecret.count()).toBe(1);
  });
});
