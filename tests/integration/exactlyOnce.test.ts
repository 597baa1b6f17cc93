// Invariant 1: an order is stored once however often its upload is repeated, and a terminal that
// crashed after the server applied an upload but before it recorded the acknowledgement loses nothing.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexMenu } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PushResponse } from '#protocol/events';
import { orderUpload } from '../support/orderUploads';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

describe('uploads have an exactly-once effect', () => {
  it('stores an order once when its upload is repeated after a lost acknowledgement', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk' });
    const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
    const order = orderUpload(menu, 'A001');
    const push = { mutations: [{ id: 1, kind: 'order.place', order }] };

    const first = await connectProtocolClient(stack.url, { token });
    // Send, then drop the connection before reading the answer: the terminal never learns the result.
    first.socket.emit('mutations:push', push, () => {});
    await eventually(() => stack.db.order.count({ where: { id: order.id } }));
    first.close();

    const retry = await connectProtocolClient(stack.url, { token });
    const again = await retry.request<PushResponse>('mutations:push', push);
    // The same order under a new mutation number (a terminal that lost its counter) is caught by its id.
    const renumbered = await retry.request<PushResponse>('mutations:push', { mutations: [{ id: 2, kind: 'order.place', order }] });
    retry.close();

    expect(again).toEqual({ ok: true, data: { results: [{ id: 1, outcome: 'duplicate' }], serverTime: expect.any(Number) } });
    expect(renumbered).toEqual({ ok: true, data: { results: [{ id: 2, outcome: 'duplicate' }], serverTime: expect.any(Number) } });
    expect(await stack.db.order.count()).toBe(1);
    expect(await stack.db.orderLine.count()).toBe(2);
    expect(await stack.db.storeChange.count({ where: { kind: 'order.placed' } })).toBe(1);
  });

  it('recovers a terminal that crashed between the server applying its upload and recording the ack', async () => {
    const kiosk = await stack.terminal('kiosk');
    const menu = await eventually(async () => {
      const result = await kiosk.core.call('getMenu', undefined);
      return result.ok && (result.data as { versionId: string } | null);
    });
    const placed = await kiosk.core.call('placeOrder', {
      menuVersionId: menu.versionId,
      lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }],
      expectedTotalCents: 260,
    });
    expect(placed.ok).toBe(true);
    const orderId = (placed as { data: { id: string } }).data.id;
    await eventually(() => stack.db.order.count({ where: { id: orderId } }));
    await eventually(async () => (await kiosk.core.api.getStatus()).pendingUploads === 0);
    await kiosk.close();

    // Put the terminal back in the state of a crash just before the acknowledgement was recorded:
    // the outbox entry is there again and the order is still pending.
    const sqlite = new Database(kiosk.databaseFile);
    const mutation = JSON.parse((sqlite.prepare('SELECT payload FROM OutboxEntry').get() as { payload: string } | undefined)?.payload ?? 'null');
    expect(mutation).toBeNull(); // the ack removed it…
    const order = sqlite.prepare('SELECT * FROM "Order" WHERE id = ?').get(orderId) as Record<string, unknown>;
    expect(order.syncState).toBe('synced');
    const replay = { kind: 'order.place', order: { id: orderId, number: order.number, businessDay: order.businessDay, placedAt: order.placedAt, menuVersionId: order.menuVersionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [], unitPriceCents: 260, lineTotalCents: 260 }], subtotalCents: 260, taxCents: 21, totalCents: 260, payment: JSON.parse(order.payment as string) } };
    // …so re-create it with the mutation number it had (1), as the crash would have left it.
    sqlite.prepare("INSERT INTO OutboxEntry (mutationId, kind, payload, createdAt, attempts) VALUES (1, 'order.place', ?, ?, 0)").run(JSON.stringify(replay), new Date().toISOString());
    sqlite.prepare("UPDATE \"Order\" SET syncState = 'pending' WHERE id = ?").run(orderId);
    sqlite.close();

    const restarted = await stack.reopen(kiosk);
    await eventually(async () => (await restarted.core.api.getStatus()).pendingUploads === 0);
    const check = new Database(kiosk.databaseFile, { readonly: true });
    expect(check.prepare('SELECT syncState FROM "Order" WHERE id = ?').get(orderId)).toEqual({ syncState: 'synced' });
    check.close();
    expect(await stack.db.order.count()).toBe(1);
  });
});
