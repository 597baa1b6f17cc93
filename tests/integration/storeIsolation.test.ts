// Invariant 8: a device token of one store can neither read nor write another store.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TicketList } from '#terminal-api/contract';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PullResponse, PushResponse, SnapshotResponse } from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, placeEspresso, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

it("keeps one store's orders away from another store's devices", async () => {
  const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
  const kiosk = await stack.terminal('kiosk');
  const otherKitchen = await stack.terminal('kitchen', { storeId: other.id });
  const { device: spyDevice, token: spyToken } = await registerDevice(stack.db, { storeId: other.id, role: 'kitchen', name: 'spy' });
  const spy = await connectProtocolClient(stack.url, { token: spyToken });

  const orderId = await placeEspresso(kiosk);
  await eventually(() => stack.db.order.count({ where: { id: orderId } }));

  // Reading: not live, not by pulling, not in a snapshot.
  const pulled = await spy.request<PullResponse>('feed:pull', { after: 0 });
  expect(pulled.ok && pulled.data.changes).toEqual([]);
  const snapshot = await spy.request<SnapshotResponse>('feed:snapshot', {});
  expect(snapshot.ok && snapshot.data).toMatchObject({ orders: [], menuVersion: null });
  expect(spy.live).toEqual([]);
  const otherTickets = await otherKitchen.core.call('listTickets', undefined);
  expect(otherTickets.ok && (otherTickets.data as TicketList).active).toEqual([]);

  // Writing: bumping the order is refused as if it did not exist, and changes nothing.
  const hlc = formatHlc({ millis: Date.now(), counter: 0, deviceId: spyDevice.id });
  const bump = await spy.request<PushResponse>('mutations:push', { mutations: [{ id: 1, kind: 'order.status', orderId, status: 'served', hlc }] });
  expect(bump).toMatchObject({ ok: true, data: { results: [{ id: 1, outcome: 'rejected', error: { code: 'ORDER_NOT_FOUND' } }] } });
  expect(await stack.db.order.findUniqueOrThrow({ where: { id: orderId } })).toMatchObject({ status: 'preparing', statusHlc: null });
  expect(await stack.db.orderStatusEvent.count()).toBe(0);
  spy.close();
});
