import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoardView, MenuView, TicketList } from '#terminal-api/contract';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

async function unwrap<T>(result: Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string } }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`call failed: ${r.error.code}`);
  return r.data as T;
}

async function menuOf(kiosk: TestTerminal): Promise<MenuView> {
  return eventually(async () => (await kiosk.core.call('getMenu', undefined)).ok && unwrap<MenuView | null>(kiosk.core.call('getMenu', undefined)));
}

describe('one order from kiosk to kitchen to board', () => {
  it('reaches the kitchen core through the server, and its bump reaches the board', async () => {
    const kiosk = await stack.terminal('kiosk');
    const kitchen = await stack.terminal('kitchen');
    const board = await stack.terminal('board');
    const menu = await menuOf(kiosk);

    const placed = await unwrap<{ id: string; number: string; totalCents: number }>(
      kiosk.core.call('placeOrder', {
        menuVersionId: menu.versionId,
        lines: [
          { itemId: 'latte', quantity: 2, optionIds: ['size-large', 'milk-oat'] },
          { itemId: 'croissant', quantity: 1, optionIds: ['serve-warm'] },
        ],
        expectedTotalCents: 2 * (380 + 60 + 50) + 260,
      }),
    );
    expect(placed.number).toBe('A001');

    const tickets = await eventually(async () => {
      const list = await unwrap<TicketList>(kitchen.core.call('listTickets', undefined));
      return list.active.find((t) => t.id === placed.id);
    });
    // Each line with its station from the menu's categories, what it contains (oat milk: gluten),
    // and when to start it: the latte (no prep time) 3 minutes after the croissant (180 s), so both
    // are done together.
    expect(tickets.lines).toMatchObject([
      { lineNo: 1, name: 'Caffè Latte', quantity: 2, modifiers: ['Large', 'Oat milk'], stationId: 'bar', done: false },
      { lineNo: 2, name: 'Butter Croissant', quantity: 1, modifiers: ['Warmed'], stationId: 'kitchen', done: false },
    ]);
    expect(tickets.lines[0]!.allergens).toContain('gluten');
    expect(Date.parse(tickets.lines[0]!.fireAt) - Date.parse(tickets.lines[1]!.fireAt)).toBe(180_000);
    expect(tickets.lines[1]!.fireAt).toBe(tickets.startedAt);
    await eventually(async () => (await unwrap<{ preparing: string[] }>(board.core.call('getBoard', undefined))).preparing.includes('A001'));

    await unwrap(kitchen.core.call('bumpTicket', { orderId: placed.id }));
    await eventually(async () => (await unwrap<BoardView>(board.core.call('getBoard', undefined))).ready.some((r) => r.number === 'A001'));

    const stored = await stack.db.order.findUniqueOrThrow({ where: { id: placed.id }, include: { lines: true, statusEvents: true } });
    expect(stored).toMatchObject({ number: 'A001', status: 'ready', totalCents: 1240 });
    expect(stored.lines).toHaveLength(2);
    expect(stored.statusEvents.map((e) => e.status)).toEqual(['ready']);
  });
});
