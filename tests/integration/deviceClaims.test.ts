// The server checks what a kiosk claims about an order: a number from its own prefix, a time that
// can have happened, and the store's real date at that time. Each refusal has its own code, stores
// nothing, and leaves the kiosk's other orders flowing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PushResponse } from '#protocol/events';
import type { MenuView } from '#terminal-api/contract';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { orderUpload } from '../support/orderUploads';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
let kiosk: ProtocolClient;
let prefix: string;
let otherPrefix: string;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  const mine = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk by the door' });
  const neighbour = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk by the window' });
  prefix = mine.device.orderPrefix!;
  otherPrefix = neighbour.device.orderPrefix!;
  kiosk = await connectProtocolClient(stack.url, { token: mine.token });
});
afterEach(async () => {
  kiosk.close();
  await stack.close();
});

const DAY = 24 * 3600_000;
const push = async (id: number, order: OrderUpload) => {
  const answer = await kiosk.request<PushResponse>('mutations:push', { mutations: [{ id, kind: 'order.place', order }] });
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.data.results[0]!;
};

describe('what a kiosk claims about an order', () => {
  it.each([
    ['a number with another kiosk\'s prefix', () => orderUpload(menu, `${otherPrefix}001`), 'ORDER_NUMBER_NOT_YOURS', 'order.number'],
    ['a number with no prefix of ours at all', () => orderUpload(menu, 'ZZ001'), 'ORDER_NUMBER_NOT_YOURS', 'order.number'],
    ['an order placed in 2099', () => orderUpload(menu, `${prefix}001`, undefined, new Date('2099-06-01T12:00:00Z')), 'ORDER_IN_FUTURE', 'order.placedAt'],
    ['an order placed a minute from now', () => orderUpload(menu, `${prefix}001`, undefined, new Date(Date.now() + 60_000)), 'ORDER_IN_FUTURE', 'order.placedAt'],
    ['an order placed in 1970', () => orderUpload(menu, `${prefix}001`, undefined, new Date('1970-01-02T12:00:00Z')), 'ORDER_TOO_OLD', 'order.placedAt'],
    ['an order placed 31 days ago', () => orderUpload(menu, `${prefix}001`, undefined, new Date(Date.now() - 31 * DAY)), 'ORDER_TOO_OLD', 'order.placedAt'],
    ['the business day 2026-02-30', () => ({ ...orderUpload(menu, `${prefix}001`), businessDay: '2026-02-30' }), 'BUSINESS_DAY_INVALID', 'order.businessDay'],
    ['the business day 2026-13-45', () => ({ ...orderUpload(menu, `${prefix}001`), businessDay: '2026-13-45' }), 'BUSINESS_DAY_INVALID', 'order.businessDay'],
    ['a business day that is not the store\'s date when it was placed', () => ({ ...orderUpload(menu, `${prefix}001`), businessDay: '2026-01-01' }), 'BUSINESS_DAY_INVALID', 'order.businessDay'],
  ])('refuses %s', async (_, build, code, path) => {
    const result = await push(1, build());
    expect(result).toEqual({ id: 1, outcome: 'rejected', error: expect.objectContaining({ code, path }) });
    expect(await stack.db.order.count()).toBe(0);
    expect(await stack.db.storeChange.count({ where: { kind: 'order.placed' } })).toBe(0);
    // The neighbour's real order with that number is not blocked, and ours go on.
    expect(await push(2, orderUpload(menu, `${prefix}002`))).toEqual({ id: 2, outcome: 'applied' });
  });

  it('accepts what an honest kiosk sends: its own numbers, from weeks offline, and from a few seconds ahead', async () => {
    expect(await push(1, orderUpload(menu, `${prefix}001`, undefined, new Date(Date.now() - 29 * DAY)))).toEqual({ id: 1, outcome: 'applied' });
    expect(await push(2, orderUpload(menu, `${prefix}999999`))).toEqual({ id: 2, outcome: 'applied' });
    expect(await push(3, orderUpload(menu, `${prefix}002`, undefined, new Date(Date.now() + 1000)))).toEqual({ id: 3, outcome: 'applied' });
  });

  it('keeps an order the server refuses on the kiosk, and shows it to staff with its reason', async () => {
    const terminal = await stack.terminal('kiosk');
    const menuView = (await eventually(() => terminal.core.api.getMenu())) as MenuView;
    await stack.stopServer();
    await terminal.close();
    // Restarted offline with its clock a week fast (a flat clock battery): it has nothing better than its own clock.
    const fast = await stack.reopen(terminal, { wallClock: () => Date.now() + 7 * DAY });
    const placed = await fast.core.api.placeOrder({ menuVersionId: menuView.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
    await stack.startServer();
    const status = await eventually(async () => {
      const s = await fast.core.api.getStatus();
      return s.rejectedOrders.length > 0 && s;
    });
    expect(status.rejectedOrders).toEqual([expect.objectContaining({ id: placed.id, number: placed.number, code: 'ORDER_IN_FUTURE' })]);
    expect(await stack.db.order.count()).toBe(0);
  });
});

describe('what a device claims about its place in the feed', () => {
  it('records a feed:applied cursor up to the store\'s head, and ignores one beyond it', async () => {
    const head = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
    const cursorOf = async () => (await stack.db.device.findFirstOrThrow({ where: { orderPrefix: prefix, storeId: stack.storeId } })).cursor;
    kiosk.socket.emit('feed:applied', { seq: await head() });
    await eventually(async () => (await cursorOf()) === (await head()), 5000);
    kiosk.socket.emit('feed:applied', { seq: 2_000_000_000 });
    // Reports are written once a second: give it two.
    await new Promise((r) => setTimeout(r, 2200));
    expect(await cursorOf()).toBe(await head());
  });
});
