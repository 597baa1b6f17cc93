// The store keeps cooking with its internet down (invariant 10): kiosks, kitchen displays and a
// board, each a real terminal core on its own SQLite file with its peer link on its own loopback
// address, reach the server only through the store's internet line. With the line cut, orders
// reach the kitchens over the LAN and bumps the board; once the line is back, the server holds
// each order once, every screen agrees with it, and every screen says cloud again.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView, TerminalStatus } from '#terminal-api/contract';
import { InternetSwitch } from '../../electron/internetSwitch';
import { createStoreAuthority } from '../../sync-server/devices/storeAuthority';
import { adminClient } from '../support/adminClient';
import { certifyAs, dialAs } from '../support/peerDial';
import { differencesFromServer, readTerminal } from '../support/terminalState';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let internet: InternetSwitch;
let storeServerUrl: string;
beforeEach(async () => {
  stack = await startTestStack();
  internet = new InternetSwitch({ host: '127.0.0.1', port: Number(new URL(stack.url).port) });
  storeServerUrl = await internet.listen();
});
afterEach(async () => {
  await internet.close();
  await stack.close();
});

let hosts = 0;
const lanOf = new Map<string, { host: string; port: number }>();
/** A terminal of the store: behind the internet line, its peer link on a loopback address of its own. */
async function storeTerminal(role: 'kiosk' | 'kitchen' | 'board', serverUrl = storeServerUrl): Promise<TestTerminal> {
  const lan = { host: `127.0.0.${20 + ++hosts}`, port: 0 };
  const terminal = await stack.terminal(role, { serverUrl, core: { lan } });
  lanOf.set(terminal.databaseFile, lan);
  return terminal;
}
/** The same terminal after a crash or a reboot: its file, its address. */
async function restart(terminal: TestTerminal): Promise<TestTerminal> {
  await terminal.close();
  return stack.reopen(terminal, { core: { lan: lanOf.get(terminal.databaseFile)! } });
}
const statusOf = (terminal: TestTerminal): Promise<TerminalStatus> => terminal.core.api.getStatus();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until each terminal reaches the server and has its links to the peers it takes changes from up. */
async function untilLinked(terminals: ReadonlyArray<{ terminal: TestTerminal; links: number }>, state: 'cloud' | 'lan'): Promise<void> {
  for (const { terminal, links } of terminals) {
    await eventually(async () => {
      const { link } = await statusOf(terminal);
      return link.state === state && link.peers === links;
    }, 30_000);
  }
}

it('an order placed with the internet cut reaches the kitchen and its bump the board over the LAN; once back, the server holds it once', { timeout: 60_000 }, async () => {
  const kiosk = await storeTerminal('kiosk');
  const kitchen = await storeTerminal('kitchen');
  const board = await storeTerminal('board');
  // Certified, on the server's list of the store's devices, and linked: kitchen ← kiosk; board ← kiosk, kitchen; kiosk ← kitchen.
  await untilLinked([{ terminal: kiosk, links: 1 }, { terminal: kitchen, links: 1 }, { terminal: board, links: 2 }], 'cloud');
  const menu = (await eventually(() => kiosk.core.api.getMenu())) as MenuView;

  internet.cut();
  for (const terminal of [kiosk, kitchen, board]) await eventually(async () => (await statusOf(terminal)).link.state === 'lan', 10_000);
  const cutAt = Date.parse((await statusOf(kitchen)).link.since);

  const started = performance.now();
  const placed = await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
  const ticket = await eventually(async () => (await kitchen.core.api.listTickets()).active.find((t) => t.id === placed.id), 2_000);
  const deliveredMs = performance.now() - started;
  expect(deliveredMs).toBeLessThan(1_000);
  expect(ticket.number).toBe(placed.number);
  expect(await stack.db.order.count({ where: { id: placed.id } })).toBe(0);

  await kitchen.core.api.bumpTicket({ orderId: placed.id });
  await eventually(async () => (await board.core.api.getBoard()).ready.some((r) => r.number === placed.number), 2_000);
  expect((await statusOf(kitchen)).link).toMatchObject({ state: 'lan', peers: 1 });

  internet.restore();
  const server = await eventually(async () => {
    const order = await stack.db.order.findUnique({ where: { id: placed.id } });
    return order?.status === 'ready' && order;
  }, 20_000);
  expect(server.number).toBe(placed.number);
  expect(await stack.db.order.count()).toBe(1);
  for (const terminal of [kiosk, kitchen, board]) {
    const { link } = await eventually(async () => {
      const status = await statusOf(terminal);
      return status.link.state === 'cloud' && status.pendingUploads === 0 && status;
    }, 20_000);
    expect(Date.parse(link.since)).toBeGreaterThanOrEqual(cutAt);
    const held = readTerminal(terminal.databaseFile).orders.get(placed.id);
    expect(held).toMatchObject({ number: placed.number, status: 'ready' });
  }
});

it('a line that dies without a word is noticed within seconds, and so is its return', { timeout: 90_000 }, async () => {
  const kiosk = await storeTerminal('kiosk');
  const kitchen = await storeTerminal('kitchen');
  await untilLinked([{ terminal: kiosk, links: 1 }, { terminal: kitchen, links: 1 }], 'cloud');
  const menu = (await eventually(() => kiosk.core.api.getMenu())) as MenuView;

  // Connections stall and new ones are never answered: only the terminals' own timeouts tell.
  internet.cut('silent');
  const cut = performance.now();
  const placed = await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
  await eventually(async () => (await kitchen.core.api.listTickets()).active.some((t) => t.id === placed.id), 2_000);
  await eventually(async () => (await statusOf(kitchen)).link.state === 'lan', 25_000);
  const noticedMs = performance.now() - cut;

  internet.restore();
  const restored = performance.now();
  await eventually(async () => (await statusOf(kitchen)).link.state === 'cloud' && (await statusOf(kiosk)).pendingUploads === 0, 30_000);
  const backMs = performance.now() - restored;
  console.log(`silent cut: noticed after ${(noticedMs / 1000).toFixed(1)} s, back ${(backMs / 1000).toFixed(1)} s after the line returned`);
  expect(noticedMs).toBeLessThan(20_000);
  expect(backMs).toBeLessThan(20_000);
  expect(await stack.db.order.count({ where: { id: placed.id } })).toBe(1);
});

it('a partial partition works both ways: the kitchen cut off while the kiosk is online, then the kiosk cut off while the kitchen is', { timeout: 90_000 }, async () => {
  // Each on a line of its own: the kiosk behind a second switch, the kitchen behind the store's.
  const kioskLine = new InternetSwitch({ host: '127.0.0.1', port: Number(new URL(stack.url).port) });
  const kiosk = await storeTerminal('kiosk', await kioskLine.listen());
  const kitchen = await storeTerminal('kitchen');
  try {
    await untilLinked([{ terminal: kiosk, links: 1 }, { terminal: kitchen, links: 1 }], 'cloud');
    const menu = (await eventually(() => kiosk.core.api.getMenu())) as MenuView;
    const espresso = () => kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
    const serverStatus = async (id: string) => (await stack.db.order.findUnique({ where: { id } }))?.status;
    const onKitchen = (id: string) => eventually(async () => (await kitchen.core.api.listTickets()).active.some((t) => t.id === id), 2_000);

    // The kitchen cannot reach the server, the kiosk can: the order reaches both, the bump waits in the kitchen.
    internet.cut();
    await eventually(async () => (await statusOf(kitchen)).link.state === 'lan', 10_000);
    const first = await espresso();
    await onKitchen(first.id);
    await eventually(async () => (await serverStatus(first.id)) === 'preparing', 10_000);
    await kitchen.core.api.bumpTicket({ orderId: first.id });
    expect(await serverStatus(first.id)).toBe('preparing');
    internet.restore();
    await eventually(async () => (await serverStatus(first.id)) === 'ready', 20_000);

    // The kiosk cannot reach the server, the kitchen can: the kitchen bumps an order the server has
    // not got; its bump waits (ORDER_NOT_YET_HELD) and goes once the kiosk's upload arrived.
    kioskLine.cut();
    await eventually(async () => (await statusOf(kiosk)).link.state === 'lan', 10_000);
    const second = await espresso();
    await onKitchen(second.id);
    await kitchen.core.api.bumpTicket({ orderId: second.id });
    // The server has answered by now (the kitchen pushes at once); the bump holds, the ticket does not jump back.
    await sleep(1_500);
    expect(await serverStatus(second.id)).toBeUndefined();
    expect((await kitchen.core.api.listTickets()).active.some((t) => t.id === second.id)).toBe(false);
    expect((await statusOf(kitchen)).pendingUploads).toBe(1);
    kioskLine.restore();
    await eventually(async () => (await serverStatus(second.id)) === 'ready', 30_000);
    for (const terminal of [kiosk, kitchen]) {
      await eventually(async () => (await statusOf(terminal)).pendingUploads === 0, 20_000);
      expect(readTerminal(terminal.databaseFile).orders.get(second.id)).toMatchObject({ status: 'ready' });
    }
    expect(await stack.db.order.count()).toBe(2);
  } finally {
    await kioskLine.close();
  }
});

const ORDERS_PER_KIOSK = 250;
const ITEMS = [
  { line: { itemId: 'espresso', quantity: 1, optionIds: [] as string[] }, total: 260 },
  { line: { itemId: 'latte', quantity: 2, optionIds: ['size-large', 'milk-oat'] }, total: 2 * 490 },
  { line: { itemId: 'cookie', quantity: 3, optionIds: ['serve-warm'] }, total: 3 * 250 },
];

it('with the line cut, 2 kiosks place 500 orders while 2 kitchens bump at random and terminals restart, and a stolen kiosk and a forger knock: every order reaches both kitchens, none of theirs; once back, all agree with the server', { timeout: 240_000 }, async () => {
  const kiosks = [await storeTerminal('kiosk'), await storeTerminal('kiosk')];
  const kitchens = [await storeTerminal('kitchen'), await storeTerminal('kitchen')];
  const board = await storeTerminal('board');
  // A third kiosk, certified and linked like the others, is stolen: head office removes it while it is off.
  let stolen = await storeTerminal('kiosk');
  await untilLinked([{ terminal: stolen, links: 2 }], 'cloud');
  await stolen.close();
  const owner = await adminClient(stack.db, stack.url);
  expect(await owner.request('POST', `/api/devices/${stolen.deviceId}/revoke`)).toMatchObject({ status: 200 });
  // A kitchen takes from both kiosks and the other kitchen; the board from all four; a kiosk from both kitchens.
  const links = (terminal: TestTerminal) => (terminal === board ? 4 : kitchens.includes(terminal) ? 3 : 2);
  const everyone = () => [...kiosks, ...kitchens, board];
  await untilLinked(everyone().map((terminal) => ({ terminal, links: links(terminal) })), 'cloud');
  // The removal is on every screen's list of the store's devices before the line goes.
  const head = (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
  await eventually(() => everyone().every((t) => readTerminal(t.databaseFile).cursor >= head));
  const menu = (await eventually(() => kiosks[0]!.core.api.getMenu())) as MenuView;

  internet.cut();
  await untilLinked(everyone().map((terminal) => ({ terminal, links: links(terminal) })), 'lan');

  // The stolen kiosk is switched on in the shop, never told it was removed, and sells.
  const stolenLog: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  stolen = await stack.reopen(stolen, { log: (message, fields) => stolenLog.push({ message, fields }), core: { lan: lanOf.get(stolen.databaseFile)! } });
  // A forger's certificate, from an authority of its own, for a kitchen of this store (kitchens take every order).
  const forged = await certifyAs(await createStoreAuthority(stack.storeId, new Date()), { deviceId: randomUUID(), storeId: stack.storeId, role: 'kitchen' });
  const { certificatePem: storeAuthorityPem } = await stack.db.storeAuthority.findUniqueOrThrow({ where: { storeId: stack.storeId } });
  const addresses = await stack.db.device.findMany({ where: { storeId: stack.storeId, lanPort: { not: null } }, select: { id: true, lanHosts: true, lanPort: true } });

  const placed: string[] = [];
  const sold: string[] = [];
  const selling = (async () => {
    for (let i = 0; i < 20; i++) {
      sold.push((await stolen.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [ITEMS[0]!.line], expectedTotalCents: ITEMS[0]!.total })).id);
      await sleep(50);
    }
  })();
  const knocking = (async () => {
    for (const { id, lanHosts, lanPort } of addresses) {
      if (id === stolen.deviceId) continue;
      expect(await dialAs({ host: lanHosts[0]!, port: lanPort! }, forged, storeAuthorityPem), `the forger at ${id}'s door`).not.toBe('connected');
    }
  })();
  const placing = kiosks.map(async (_, k) => {
    for (let i = 0; i < ORDERS_PER_KIOSK; i++) {
      // Half-way through, this kiosk crashes and comes back on its own file.
      if (i === ORDERS_PER_KIOSK / 2) kiosks[k] = await restart(kiosks[k]!);
      const { line, total } = ITEMS[(i + k) % ITEMS.length]!;
      const order = await eventually(() => kiosks[k]!.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [line], expectedTotalCents: total }), 5_000);
      placed.push(order.id);
      await sleep(5 + Math.random() * 20);
    }
  });
  let cooking = true;
  const bumping = kitchens.map(async (_, k) => {
    let rounds = 0;
    while (cooking) {
      if (++rounds === 60) kitchens[k] = await restart(kitchens[k]!);
      const { active } = await kitchens[k]!.core.api.listTickets().catch(() => ({ active: [] }));
      const ticket = active[Math.floor(Math.random() * active.length)];
      if (ticket) {
        const action = ticket.status === 'ready' && Math.random() < 0.15 ? 'recallTicket' : 'bumpTicket';
        await kitchens[k]!.core.api[action]({ orderId: ticket.id }).catch(() => {}); // the other kitchen may have moved it
      }
      await sleep(10 + Math.random() * 30);
    }
  });
  await Promise.all([...placing, selling, knocking]);
  cooking = false;
  await Promise.all(bumping);

  // Every order reached both kitchens over the LAN while the line was down; none of the stolen kiosk's
  // reached any screen, and it was told why when it knocked.
  await untilLinked(everyone().map((terminal) => ({ terminal, links: links(terminal) })), 'lan');
  await eventually(() => kitchens.every((kitchen) => placed.every((id) => readTerminal(kitchen.databaseFile).orders.has(id))), 10_000);
  expect(await stack.db.order.count()).toBe(0);
  for (const terminal of everyone()) expect(sold.filter((id) => readTerminal(terminal.databaseFile).orders.has(id))).toEqual([]);
  expect(stolenLog.filter((l) => l.message === 'could not reach peer').map((l) => l.fields?.error)).toContain('This device was removed from its store.');
  expect((await statusOf(stolen)).link.peers).toBe(0);

  const restoredAt = performance.now();
  internet.restore();
  const headSeq = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
  await eventually(async () => {
    const head = await headSeq();
    if ((await stack.db.order.count()) !== placed.length) return false;
    return everyone().every((t) => {
      const state = readTerminal(t.databaseFile);
      return state.outbox === 0 && state.cursor === head;
    });
  }, 120_000);
  const convergedMs = performance.now() - restoredAt;
  for (const terminal of everyone()) expect((await statusOf(terminal)).link.state).toBe('cloud');

  const orders = await stack.db.order.findMany({ select: { id: true, number: true, businessDay: true, status: true, totalCents: true } });
  const events = await stack.db.orderStatusEvent.findMany({ select: { orderId: true, hlc: true } });
  console.log(`store continuity: ${orders.length} orders, ${events.length} status events; converged ${(convergedMs / 1000).toFixed(1)} s after the line came back`);
  expect(orders.map((o) => o.id).sort()).toEqual([...placed].sort());
  expect(new Set(orders.map((o) => `${o.businessDay} ${o.number}`)).size).toBe(orders.length);
  for (const terminal of everyone()) expect(await statusOf(terminal)).toMatchObject({ rejectedOrders: [], problem: null });
  expect(differencesFromServer(everyone().map((t) => t.databaseFile), orders, events).slice(0, 20)).toEqual([]);
  // Back on the line, the stolen kiosk is refused by the server too: none of its sales are taken.
  await eventually(async () => (await statusOf(stolen)).connection === 'revoked', 20_000);
  expect(await stack.db.order.count({ where: { id: { in: sold } } })).toBe(0);
});
