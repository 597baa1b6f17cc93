// Invariant 6: the number a customer sees is unique in the store for the day, even when the kiosks
// cannot reach the server or each other, and numbers restart at the store's local midnight.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

async function place(kiosk: TestTerminal, menuVersionId: string) {
  return kiosk.core.api.placeOrder({ menuVersionId, lines: [{ itemId: 'cookie', quantity: 1, optionIds: ['serve-room'] }], expectedTotalCents: 250 });
}

it('keeps numbers unique while two kiosks are cut off from the server and from each other', async () => {
  const kiosks = [await stack.terminal('kiosk'), await stack.terminal('kiosk')];
  const menu = (await eventually(async () => (await kiosks[0]!.core.api.getMenu()) && (await kiosks[1]!.core.api.getMenu()))) as MenuView;
  await stack.stopServer();
  await eventually(async () => (await kiosks[0]!.core.api.getStatus()).connection === 'offline');

  const numbers: string[] = [];
  for (let i = 0; i < 20; i++) for (const kiosk of kiosks) numbers.push((await place(kiosk, menu.versionId)).number);
  expect(new Set(numbers).size).toBe(40);
  expect(numbers.slice(0, 4)).toEqual(['A001', 'B001', 'A002', 'B002']);

  await stack.startServer();
  await eventually(async () => (await stack.db.order.count()) === 40, 20_000);
  const stored = await stack.db.order.findMany({ select: { number: true, businessDay: true } });
  expect(new Set(stored.map((o) => `${o.businessDay} ${o.number}`)).size).toBe(40);
});

it("starts again at 001 at the store's local midnight, wherever the server is", async () => {
  // 23:59:50 in Amsterdam (CET, UTC+1) is 22:59:50 UTC.
  const fake = { now: Date.parse('2026-11-24T22:59:50.000Z') };
  stack.clock.offsetMs = fake.now - Date.now();
  const started = Date.now();
  const wallClock = () => fake.now + (Date.now() - started);
  // Time passes for every clock of the kiosk alike.
  const monotonicClock = () => fake.now - Date.parse('2026-11-24T22:59:50.000Z') + (Date.now() - started);
  const kiosk = await stack.terminal('kiosk', { wallClock, monotonicClock });
  const menu = (await eventually(() => kiosk.core.api.getMenu())) as MenuView;

  const before = [await place(kiosk, menu.versionId), await place(kiosk, menu.versionId)];
  fake.now += 20_000;
  stack.clock.offsetMs += 20_000;
  const after = await place(kiosk, menu.versionId);

  expect(before.map((o) => o.number)).toEqual(['A001', 'A002']);
  expect(after.number).toBe('A001');
  await eventually(async () => (await stack.db.order.count()) === 3);
  const days = await stack.db.order.findMany({ select: { number: true, businessDay: true }, orderBy: { placedAt: 'asc' } });
  expect(days).toEqual([
    { number: 'A001', businessDay: '2026-11-24' },
    { number: 'A002', businessDay: '2026-11-24' },
    { number: 'A001', businessDay: '2026-11-25' },
  ]);
});
