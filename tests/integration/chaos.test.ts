// Kiosks place hundreds of orders and kitchens bump them while a proxy between every terminal and
// the server cuts, stalls and delays connections at random. Once the network heals, every
// terminal's SQLite and the server's PostgreSQL agree exactly: every order once, every status the same.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { ChaosProxy } from '../support/chaosProxy';
import { differencesFromServer, readTerminal } from '../support/terminalState';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

const KIOSKS = 3;
const ORDERS_PER_KIOSK = 100;
const CHAOS_MS = 20_000;

let stack: TestStack;
let proxy: ChaosProxy;
beforeEach(async () => {
  stack = await startTestStack();
  proxy = new ChaosProxy(Number(new URL(stack.url).port));
});
afterEach(async () => {
  await proxy.close();
  await stack.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ITEMS = [
  { itemId: 'espresso', quantity: 1, optionIds: [] as string[] },
  { itemId: 'latte', quantity: 2, optionIds: ['size-large', 'milk-oat'] },
  { itemId: 'cookie', quantity: 3, optionIds: ['serve-warm'] },
];

it('converges exactly after random cuts, stalls and delays', { timeout: 120_000 }, async () => {
  const via = await proxy.listen();
  const kiosks: TestTerminal[] = [];
  for (let i = 0; i < KIOSKS; i++) kiosks.push(await stack.terminal('kiosk', { serverUrl: via }));
  const kitchens = [await stack.terminal('kitchen', { serverUrl: via }), await stack.terminal('kitchen', { serverUrl: via })];
  const board = await stack.terminal('board', { serverUrl: via });
  const menu = (await eventually(() => kiosks[0]!.core.api.getMenu())) as MenuView;
  // Every terminal starts from a snapshot, which carries orders and their statuses but not their
  // status history. Chaos starts once all are live, so each one sees every status event after that.
  const terminals = [...kiosks, ...kitchens, board];
  for (const terminal of terminals) await eventually(async () => (await terminal.core.api.getStatus()).connection === 'online', 30_000);

  proxy.startChaos();
  const deadline = Date.now() + CHAOS_MS;
  const placing = kiosks.map(async (kiosk, k) => {
    for (let i = 0; i < ORDERS_PER_KIOSK; i++) {
      const line = ITEMS[(i + k) % ITEMS.length]!;
      const total = line.itemId === 'espresso' ? 260 : line.itemId === 'latte' ? 2 * 490 : 3 * 250;
      await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [line], expectedTotalCents: total });
      await sleep(Math.max(5, (deadline - Date.now()) / (ORDERS_PER_KIOSK - i) / 2));
    }
  });
  let cooking = true;
  const bumping = kitchens.map(async (kitchen) => {
    while (cooking) {
      const { active } = await kitchen.core.api.listTickets();
      const ticket = active[Math.floor(Math.random() * active.length)];
      if (ticket) {
        // Mostly forward; now and then a recall, as a real pass does.
        const action = ticket.status === 'ready' && Math.random() < 0.15 ? 'recallTicket' : 'bumpTicket';
        await kitchen.core.api[action]({ orderId: ticket.id }).catch(() => {}); // the other kitchen may have moved it
      }
      await sleep(15 + Math.random() * 40);
    }
  });
  await Promise.all(placing);
  while (Date.now() < deadline) await sleep(100);
  cooking = false;
  await Promise.all(bumping);
  proxy.heal();

  const headSeq = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
  await eventually(async () => {
    const head = await headSeq();
    return terminals.every((t) => {
      const state = readTerminal(t.databaseFile);
      return state.outbox === 0 && state.cursor === head;
    });
  }, 60_000);

  const orders = await stack.db.order.findMany({ select: { id: true, number: true, businessDay: true, status: true, totalCents: true } });
  const events = await stack.db.orderStatusEvent.findMany({ select: { orderId: true, hlc: true } });
  console.log(`chaos: ${orders.length} orders, ${events.length} status events, faults ${JSON.stringify(proxy.faults)}`);
  expect(proxy.faults.cuts).toBeGreaterThan(10);

  // Every order placed is on the server once, with a number of its own.
  expect(orders).toHaveLength(KIOSKS * ORDERS_PER_KIOSK);
  expect(new Set(orders.map((o) => `${o.businessDay} ${o.number}`)).size).toBe(orders.length);
  // The server refused nothing: no terminal holds a refused order or was told of a refused change.
  for (const terminal of terminals) expect(await terminal.core.api.getStatus()).toMatchObject({ rejectedOrders: [], problem: null });

  // Every terminal holds exactly the server's orders, with the server's statuses and totals, and
  // the whole status history.
  const differences = differencesFromServer(terminals.map((t) => t.databaseFile), orders, events);
  expect(differences.slice(0, 20)).toEqual([]);
});
