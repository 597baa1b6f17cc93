// Nothing is silently capped: every open order reaches a newly paired screen however many there
// are, and a store never runs out of order-number prefixes without being told before it pairs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PushResponse } from '#protocol/events';
import { indexMenu } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { orderUpload } from '../support/orderUploads';
import { connectProtocolClient } from '../support/protocolClient';
import { readTerminal } from '../support/terminalState';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

const OPEN_ORDERS = 5100;

describe('a snapshot', () => {
  it(`brings all ${OPEN_ORDERS} open orders to a newly paired kitchen, oldest and newest alike`, { timeout: 120_000 }, async () => {
    const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
    // Three kiosks' worth of a very long day, uploaded as their outboxes would.
    for (let k = 0; k < 3; k++) {
      const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: `kiosk ${k}` });
      const client = await connectProtocolClient(stack.url, { token }, { keepLive: false });
      for (let sent = 0; sent < OPEN_ORDERS / 3; sent += 100) {
        const mutations = Array.from({ length: 100 }, (_, i) => ({
          id: sent + i + 1,
          kind: 'order.place',
          order: orderUpload(menu, `${device.orderPrefix}${String(sent + i + 1).padStart(4, '0')}`),
        }));
        const answer = await client.request<PushResponse>('mutations:push', { mutations });
        expect(answer.ok && answer.data.results.every((r) => r.outcome === 'applied')).toBe(true);
      }
      client.close();
    }
    expect(await stack.db.order.count({ where: { status: 'preparing' } })).toBe(OPEN_ORDERS);

    const kitchen = await stack.terminal('kitchen');
    await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online', 60_000);
    const held = readTerminal(kitchen.databaseFile);
    const all = (await stack.db.order.findMany({ select: { id: true } })).map((o) => o.id).sort();
    expect([...held.orders.keys()].sort()).toEqual(all);
    expect(held.cursor).toBe((await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq);
  });
});

describe('order-number prefixes', () => {
  it('refuses to pair a kiosk when none is free, and reuses a revoked kiosk\'s from its next business day', { timeout: 120_000 }, async () => {
    const admin = await adminClient(stack.db, stack.url);
    const kiosks = [];
    for (let i = 0; i < 552; i++) kiosks.push((await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: `kiosk ${i}` })).device);
    expect(new Set(kiosks.map((k) => k.orderPrefix)).size).toBe(552);
    expect(kiosks.at(-1)!.orderPrefix).toBe('ZZ');

    // Head office hears it before a kiosk is set up that could never take an order.
    const refused = await admin.request('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'kiosk', name: 'one too many' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'ORDER_PREFIXES_EXHAUSTED' } } });
    expect((refused.body as { error: { message: string } }).error.message).toMatch(/revoke/i);
    await expect(registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'one too many' })).rejects.toMatchObject({ code: 'ORDER_PREFIXES_EXHAUSTED' });
    // Kitchens and boards need no prefix.
    expect(await admin.request('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'kitchen', name: 'pass' })).toMatchObject({ status: 201 });

    // A kiosk revoked today may still have uploaded today's numbers: its prefix waits for tomorrow.
    const retired = kiosks[7]!;
    expect(await admin.request('POST', `/api/devices/${retired.id}/revoke`)).toMatchObject({ status: 200 });
    await expect(registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'replacement' })).rejects.toMatchObject({ code: 'ORDER_PREFIXES_EXHAUSTED' });
    await stack.db.device.update({ where: { id: retired.id }, data: { revokedAt: new Date(Date.now() - 2 * 86_400_000) } });
    const { device: replacement, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'replacement' });
    expect(replacement.orderPrefix).toBe(retired.orderPrefix);
    expect((await stack.db.device.findUniqueOrThrow({ where: { id: retired.id } })).orderPrefix).toBeNull();

    // And the new kiosk's orders go through under it.
    const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
    const client = await connectProtocolClient(stack.url, { token });
    const answer = await client.request<PushResponse>('mutations:push', { mutations: [{ id: 1, kind: 'order.place', order: orderUpload(menu, `${replacement.orderPrefix}001`) }] });
    client.close();
    expect(answer).toMatchObject({ ok: true, data: { results: [{ outcome: 'applied' }] } });
  });
});
