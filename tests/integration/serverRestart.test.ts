import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView, TicketList } from '#terminal-api/contract';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

it('loses and doubles nothing when the server restarts while a kiosk is placing and uploading orders', async () => {
  const kiosk = await stack.terminal('kiosk');
  const kitchen = await stack.terminal('kitchen');
  const menu = await eventually(async () => {
    const result = await kiosk.core.call('getMenu', undefined);
    return result.ok && (result.data as MenuView | null);
  });

  const placed: string[] = [];
  const placeOne = async () => {
    const result = await kiosk.core.call('placeOrder', { menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
    if (!result.ok) throw new Error(result.error.code);
    placed.push((result.data as { id: string }).id);
  };
  const placing = (async () => {
    for (let i = 0; i < 40; i++) {
      await placeOne();
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  // Restart while orders are being placed and uploaded.
  await eventually(() => placed.length >= 10);
  await stack.restartServer();
  await placing;

  await eventually(async () => (await stack.db.order.count()) === 40, 30_000);
  const stored = await stack.db.order.findMany({ select: { id: true, number: true } });
  expect(new Set(stored.map((o) => o.id))).toEqual(new Set(placed));
  expect(new Set(stored.map((o) => o.number)).size).toBe(40);
  await eventually(async () => (await kiosk.core.api.getStatus()).pendingUploads === 0, 30_000);
  const tickets = await eventually(async () => {
    const result = await kitchen.core.call('listTickets', undefined);
    const list = result.ok ? (result.data as TicketList) : null;
    return list && list.active.length === 40 && list;
  }, 30_000);
  expect(new Set(tickets.active.map((t) => t.id))).toEqual(new Set(placed));
});
