// A kitchen may get a kiosk's order over the store's LAN and bump it, or take its money, before the
// kiosk's own upload reached the server (the kiosk's internet is down, the kitchen's is up). The
// server answers ORDER_NOT_YET_HELD and keeps nothing; the kitchen keeps the change, sends it again
// later under the same number, and it is applied once the order is there. Another store's order is
// still refused for good.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSql } from '../../electron/core/db/localSql';
import { insertOrders, readOrders } from '../../electron/core/orders/orderRows';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { RETRYABLE } from '#protocol/errors';
import type { PushResponse } from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { orderUpload } from '../support/orderUploads';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { payAtCounter } from '../support/payments';
import { eventually, placeEspresso, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  await stack.close();
});

describe('over the wire', () => {
  const THIS_RELEASE = ['store.changed', 'order.paid', 'order.lines', 'store.peers'];
  const connect = async (role: 'kiosk' | 'kitchen', storeId = stack.storeId, changeKinds = THIS_RELEASE) => {
    const { token } = await registerDevice(stack.db, { storeId, role, name: `${role} of ${storeId}` });
    const client = await connectProtocolClient(stack.url, { token, menuFormats: [1, 2], changeKinds });
    const hello = await client.request<{ device: { id: string; orderPrefix: string | null } }>('session:hello', { protocolVersion: 1, cursor: 0 });
    if (!hello.ok) throw new Error(JSON.stringify(hello.error));
    return Object.assign(client, { device: hello.data.device });
  };
  const push = async (client: ProtocolClient, mutations: unknown[]) => {
    const answer = await client.request<PushResponse>('mutations:push', { mutations });
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    return answer.data.results.sort((a, b) => a.id - b.id);
  };

  it('puts off a bump, a line bump and a payment of an order not held yet, keeps nothing of them, and applies them under the same numbers once it is', async () => {
    const kiosk = await connect('kiosk');
    const kitchen = await connect('kitchen');
    const order = payAtCounter(orderUpload(menu, `${kiosk.device.orderPrefix}001`), false);
    const hlc = (counter: number) => formatHlc({ millis: Date.now(), counter, deviceId: kitchen.device.id });
    const changes = [
      { id: 1, kind: 'order.lines', orderId: order.id, lineNos: [1], done: true, hlc: hlc(0) },
      { id: 2, kind: 'order.status', orderId: order.id, status: 'ready', hlc: hlc(1) },
      { id: 3, kind: 'order.paid', orderId: order.id, paidAt: new Date().toISOString() },
    ];

    const early = await push(kitchen, changes);
    expect(early).toEqual(changes.map(({ id }) => ({ id, outcome: 'rejected', error: expect.objectContaining({ code: 'ORDER_NOT_YET_HELD', path: 'orderId' }) })));
    expect(RETRYABLE.has(early[0]!.error!.code)).toBe(true);
    // A kitchen from before the store's LAN knows no such code: it hears ORDER_NOT_FOUND, as it always did.
    const older = await connect('kitchen', stack.storeId, ['store.changed', 'order.paid', 'order.lines']);
    const olderChange = { id: 1, kind: 'order.status', orderId: order.id, status: 'ready', hlc: formatHlc({ millis: Date.now(), counter: 0, deviceId: older.device.id }) };
    expect(await push(older, [olderChange])).toEqual([{ id: 1, outcome: 'rejected', error: expect.objectContaining({ code: 'ORDER_NOT_FOUND', path: 'orderId' }) }]);
    // Nothing kept: no event, no change on the feed, no number that would make the retry look applied.
    expect(await stack.db.orderStatusEvent.count()).toBe(0);
    expect(await stack.db.lineStatusEvent.count()).toBe(0);
    expect(await stack.db.storeChange.count({ where: { kind: { in: ['order.status', 'order.lines', 'order.paid'] } } })).toBe(0);
    expect(await stack.db.deviceMutation.count({ where: { deviceId: kitchen.device.id } })).toBe(0);

    expect(await push(kiosk, [{ id: 1, kind: 'order.place', order }])).toEqual([{ id: 1, outcome: 'applied' }]);
    expect(await push(kitchen, changes)).toEqual(changes.map(({ id }) => ({ id, outcome: 'applied' })));
    expect(await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'ready', paymentStatus: 'paid' });
    expect(await stack.db.orderLine.findUniqueOrThrow({ where: { orderId_lineNo: { orderId: order.id, lineNo: 1 } } })).toMatchObject({ done: true });

    // Another store's kitchen is refused for good: the id will never be an order of its store.
    const theirs = await connect('kitchen', (await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' })).id);
    const refused = await push(theirs, [{ id: 1, kind: 'order.status', orderId: order.id, status: 'served', hlc: formatHlc({ millis: Date.now(), counter: 0, deviceId: theirs.device.id }) }]);
    expect(refused).toEqual([{ id: 1, outcome: 'rejected', error: expect.objectContaining({ code: 'ORDER_NOT_FOUND' }) }]);
    expect(RETRYABLE.has(refused[0]!.error!.code)).toBe(false);
    expect(await stack.db.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'ready' });
    for (const client of [kiosk, kitchen, older, theirs]) client.close();
  });
});

describe('a kitchen terminal', () => {
  const ticketOf = async (kitchen: TestTerminal, orderId: string) => {
    const list = await kitchen.core.api.listTickets();
    return [...list.active, ...list.recent].find((t) => t.id === orderId);
  };
  const outboxOf = (terminal: TestTerminal) => {
    const db = new Database(terminal.databaseFile, { readonly: true });
    try {
      return db.prepare('SELECT mutationId, kind, attempts, notBefore FROM OutboxEntry ORDER BY mutationId').all() as Array<{ mutationId: number; kind: string; attempts: number; notBefore: string | null }>;
    } finally {
      db.close();
    }
  };
  /** The order reaches the kitchen over the LAN: written into its file as the feed writes orders. */
  const deliverOverLan = (from: TestTerminal, to: TestTerminal, orderId: string) => {
    const [source, target] = [new LocalSql(from.databaseFile), new LocalSql(to.databaseFile)];
    try {
      insertOrders(target, readOrders(source, [orderId]), 'synced');
    } finally {
      source.db.close();
      target.db.close();
    }
  };

  /**
   * A kiosk takes an order while it cannot reach the server and is switched off with it; the order
   * reaches the kitchen over the LAN, and the kitchen bumps it. Returns once the server answered.
   */
  async function bumpBeforeTheServerHasIt() {
    const kiosk = await stack.terminal('kiosk');
    const kitchen = await stack.terminal('kitchen');
    await eventually(async () => (await kiosk.core.api.getMenu()) && (await kitchen.core.api.getStatus()).connection === 'online');
    await stack.stopServer();
    const early = await placeEspresso(kiosk);
    await kiosk.close();
    await stack.startServer();
    deliverOverLan(kiosk, kitchen, early);
    await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online');
    expect((await kitchen.core.api.bumpTicket({ orderId: early })).status).toBe('ready');
    const waiting = await eventually(() => outboxOf(kitchen).find((e) => e.attempts > 0 && e.notBefore !== null));
    return { kiosk, kitchen, early, waiting };
  }

  it('keeps its bump of an order the server does not hold yet, bumps other orders meanwhile, and uploads it once the kiosk’s order arrived', async () => {
    const { kiosk, kitchen, early, waiting } = await bumpBeforeTheServerHasIt();
    // The server answered; the bump waits for its time, under its number, and the ticket stays bumped.
    expect(waiting).toMatchObject({ kind: 'order.status', attempts: 1 });
    expect(Date.parse(waiting.notBefore!)).toBeGreaterThan(Date.now());
    // It is not sent again before its time (the first wait is 2 s).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(outboxOf(kitchen)).toEqual([waiting]);
    expect((await ticketOf(kitchen, early))?.status).toBe('ready');
    expect((await kitchen.core.api.getStatus()).problem).toBeNull();
    expect(await stack.db.orderStatusEvent.count()).toBe(0);

    // Another kiosk's order, through the server: its bump goes ahead of the one waiting.
    const other = await stack.terminal('kiosk');
    await eventually(async () => (await other.core.api.getMenu()) as unknown);
    const later = await placeEspresso(other);
    await eventually(() => ticketOf(kitchen, later));
    await kitchen.core.api.bumpTicket({ orderId: later });
    await eventually(async () => (await stack.db.order.findUnique({ where: { id: later } }))?.status === 'ready');
    expect(outboxOf(kitchen)).toEqual([expect.objectContaining({ mutationId: waiting.mutationId })]);

    // The first kiosk is back: its order reaches the server, then the kitchen's bump, same number.
    await stack.reopen(kiosk);
    await eventually(async () => (await stack.db.order.findUnique({ where: { id: early } }))?.status === 'ready', 30_000);
    expect(await stack.db.deviceMutation.findFirst({ where: { deviceId: kitchen.deviceId, mutationId: waiting.mutationId } })).not.toBeNull();
    await eventually(() => outboxOf(kitchen).length === 0);
    expect((await ticketOf(kitchen, early))?.status).toBe('ready');
    expect((await kitchen.core.api.getStatus()).problem).toBeNull();
  }, 60_000);

  const TWO_DAYS_AGO = () => new Date(Date.now() - 2 * 24 * 60 * 60_000 - 60_000).toISOString();
  it.each([
    ['after two days without its order', (db: Database.Database) => db.prepare('UPDATE OutboxEntry SET createdAt = ?, notBefore = NULL').run(TWO_DAYS_AGO()), 'preparing'],
    ['when its order is no longer on this terminal', (db: Database.Database) => db.exec('DELETE FROM "Order"; UPDATE OutboxEntry SET notBefore = NULL'), undefined],
  ] as const)('gives the bump up %s: the ticket goes back and staff are told', async (_when, change, status) => {
    const { kitchen, early } = await bumpBeforeTheServerHasIt();
    await kitchen.close();
    const db = new Database(kitchen.databaseFile);
    db.pragma('foreign_keys = ON');
    change(db);
    db.close();
    const again = await stack.reopen(kitchen);
    await eventually(() => outboxOf(again).length === 0);
    expect((await ticketOf(again, early))?.status).toBe(status);
    expect((await again.core.api.getStatus()).problem).toMatchObject({ code: 'ORDER_NOT_YET_HELD' });
    expect(await stack.db.orderStatusEvent.count()).toBe(0);
  }, 60_000);
});
