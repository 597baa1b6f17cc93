// Invariant 4 with clocks that lie. Rule: a terminal stamps bumps with the server's time, read at
// every hello and answer and carried on by its monotonic clock; the server refuses a status change
// stamped more than 2 s ahead of its own clock (CLOCK_DRIFT), and the terminal then withdraws it.
// Hybrid clocks keep causality whatever the wall clocks say.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketList } from '#terminal-api/contract';
import { MAX_CLOCK_AHEAD_MS } from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, placeEspresso, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

const HOURS_3 = 3 * 3600_000;
let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

const online = (t: TestTerminal) => eventually(async () => (await t.core.api.getStatus()).connection === 'online');


const statusOn = async (t: TestTerminal, orderId: string) => {
  const list: TicketList = await t.core.api.listTickets();
  return [...list.active, ...list.recent].find((x) => x.id === orderId)?.status;
};

describe('clocks that are hours off', () => {
  it('corrects a terminal whose clock is 3 hours fast, so its earlier bump does not beat a later one it never saw', async () => {
    const kiosk = await stack.terminal('kiosk');
    const fast = await stack.terminal('kitchen', { wallClock: () => Date.now() + HOURS_3 });
    const right = await stack.terminal('kitchen');
    await Promise.all([online(fast), online(right)]);
    const orderId = await placeEspresso(kiosk);
    await eventually(async () => (await statusOn(fast, orderId)) && (await statusOn(right, orderId)));
    await right.core.api.bumpTicket({ orderId }); // ready
    await eventually(async () => (await statusOn(fast, orderId)) === 'ready');

    // The link drops: neither kitchen sees what the other does next.
    await stack.stopServer();
    await fast.core.api.bumpTicket({ orderId }); // served, at real time T
    // A second later: each kitchen knows the server's time to within half a round trip, which on a
    // busy machine can be tens of milliseconds; a second apart, the order is beyond doubt.
    await new Promise((r) => setTimeout(r, 1000));
    await right.core.api.recallTicket({ orderId }); // back to preparing, at T + 1 s
    await stack.startServer();

    // Wait until both uploads are in and both kitchens have heard of each other's.
    await eventually(async () => (await stack.db.orderStatusEvent.count({ where: { orderId } })) === 3, 15_000);
    await eventually(async () => (await fast.core.api.getStatus()).pendingUploads + (await right.core.api.getStatus()).pendingUploads === 0);
    const history = await stack.db.orderStatusEvent.findMany({ where: { orderId }, orderBy: { hlc: 'asc' } });
    for (const terminal of [fast, right]) await eventually(async () => (await statusOn(terminal, orderId)) === history.at(-1)!.status);

    // The recall happened last. Stamped with its own clock, the fast kitchen's bump would have won
    // for three hours; corrected by its offset to the server, it sorts where it happened.
    expect(history.map((e) => e.status)).toEqual(['ready', 'served', 'preparing']);
    expect((await stack.db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe('preparing');
    expect((await fast.core.api.getStatus()).problem).toBeNull();
  });

  it('keeps stamping the server\'s time when the machine\'s clock jumps while it runs', async () => {
    const kiosk = await stack.terminal('kiosk');
    let skew = 0;
    const kitchen = await stack.terminal('kitchen', { wallClock: () => Date.now() + skew });
    await online(kitchen);
    const orderId = await placeEspresso(kiosk);
    await eventually(() => statusOn(kitchen, orderId));

    skew = HOURS_3; // NTP, or someone at the settings, moves the clock three hours on
    await kitchen.core.api.bumpTicket({ orderId });
    await eventually(async () => (await kitchen.core.api.getStatus()).pendingUploads === 0);
    const [event] = await stack.db.orderStatusEvent.findMany({ where: { orderId } });
    expect(Math.abs(Date.parse(event!.hlc.slice(0, 24)) - Date.now())).toBeLessThan(2000);
    expect((await kitchen.core.api.getStatus()).problem).toBeNull();
  });

  it('refuses a bump stamped hours ahead of the server, and the terminal takes it back and says why', async () => {
    const kiosk = await stack.terminal('kiosk');
    const kitchen = await stack.terminal('kitchen');
    await online(kitchen);
    const orderId = await placeEspresso(kiosk);
    await eventually(() => statusOn(kitchen, orderId));

    // The kitchen restarts while the server is out of reach, with its clock three hours fast (a flat
    // clock battery): until it reads the server's clock again it has nothing better than its own.
    await stack.stopServer();
    await kitchen.close();
    const restarted = await stack.reopen(kitchen, { wallClock: () => Date.now() + HOURS_3 });
    await restarted.core.api.bumpTicket({ orderId });
    await stack.startServer();
    const status = await eventually(async () => {
      const s = await restarted.core.api.getStatus();
      return s.problem?.code === 'CLOCK_DRIFT' && s;
    });
    expect(status.problem!.message).toMatch(/clock/i);
    expect(await statusOn(restarted, orderId)).toBe('preparing');
    expect(await stack.db.orderStatusEvent.count()).toBe(0);
    expect(status.pendingUploads).toBe(0);
    // Back on the server's time, its next bump goes through.
    await restarted.core.api.bumpTicket({ orderId });
    await eventually(() => stack.db.orderStatusEvent.count());
  });

  it(`refuses a bump stamped more than ${MAX_CLOCK_AHEAD_MS / 1000} s ahead of the server's clock, and takes one within it`, async () => {
    const kiosk = await stack.terminal('kiosk');
    const orderId = await placeEspresso(kiosk);
    await eventually(() => stack.db.order.count({ where: { id: orderId } }));
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'k' });
    const client = await connectProtocolClient(stack.url, { token });
    const at = (aheadMs: number, counter = 0) => formatHlc({ millis: Date.now() + aheadMs, counter, deviceId: device.id });
    const answer = await client.request('mutations:push', {
      mutations: [
        // 59 s ahead once won every bump for a minute.
        { id: 1, kind: 'order.status', orderId, status: 'ready', hlc: at(59_000) },
        { id: 2, kind: 'order.status', orderId, status: 'ready', hlc: at(MAX_CLOCK_AHEAD_MS + 1000) },
        { id: 3, kind: 'order.status', orderId, status: 'ready', hlc: at(MAX_CLOCK_AHEAD_MS / 2) },
      ],
    });
    expect(answer).toMatchObject({
      ok: true,
      data: {
        results: [
          { id: 1, outcome: 'rejected', error: { code: 'CLOCK_DRIFT' } },
          { id: 2, outcome: 'rejected', error: { code: 'CLOCK_DRIFT' } },
          { id: 3, outcome: 'applied' },
        ],
      },
    });
    client.close();
  });

  it('refuses a clock that names another device, and one stamped far ahead, from a bare client', async () => {
    const kiosk = await stack.terminal('kiosk');
    const orderId = await placeEspresso(kiosk);
    await eventually(() => stack.db.order.count({ where: { id: orderId } }));
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'k' });
    const client = await connectProtocolClient(stack.url, { token });
    const ahead = formatHlc({ millis: Date.now() + HOURS_3, counter: 0, deviceId: device.id });
    const impostor = formatHlc({ millis: Date.now(), counter: 0, deviceId: kiosk.deviceId });
    const answer = await client.request('mutations:push', {
      mutations: [
        { id: 1, kind: 'order.status', orderId, status: 'ready', hlc: ahead },
        { id: 2, kind: 'order.status', orderId, status: 'ready', hlc: impostor },
      ],
    });
    expect(answer).toMatchObject({
      ok: true,
      data: { results: [{ id: 1, outcome: 'rejected', error: { code: 'CLOCK_DRIFT' } }, { id: 2, outcome: 'rejected', error: { code: 'INVALID_PAYLOAD' } }] },
    });
    client.close();
  });
});

describe('converging merges', () => {
  it('lets two kitchens bumping the same ticket at once end with the same status everywhere', async () => {
    const kiosk = await stack.terminal('kiosk');
    const one = await stack.terminal('kitchen');
    const two = await stack.terminal('kitchen');
    const board = await stack.terminal('board');
    await Promise.all([online(one), online(two), online(board)]);
    const orderIds = await Promise.all(Array.from({ length: 10 }, () => placeEspresso(kiosk)));
    for (const id of orderIds) await eventually(async () => (await statusOn(one, id)) && (await statusOn(two, id)));

    // Both bump every ticket at the same moment; one also bumps it on to served.
    await Promise.all(orderIds.flatMap((orderId) => [one.core.api.bumpTicket({ orderId }), two.core.api.bumpTicket({ orderId })]));
    await Promise.all(orderIds.slice(0, 5).map((orderId) => two.core.api.bumpTicket({ orderId })));

    await eventually(async () => (await one.core.api.getStatus()).pendingUploads + (await two.core.api.getStatus()).pendingUploads === 0);
    const final = async (t: TestTerminal) => Promise.all(orderIds.map((id) => statusOn(t, id)));
    const server = async () => Promise.all(orderIds.map(async (id) => (await stack.db.order.findUniqueOrThrow({ where: { id } })).status));
    const expected = await eventually(async () => {
      const [a, b, s] = [await final(one), await final(two), await server()];
      return JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(a) === JSON.stringify(s) && s;
    });
    expect(expected.every((s) => s === 'ready' || s === 'served')).toBe(true);
    // Every bump is in the history, even those that lost.
    expect(await stack.db.orderStatusEvent.count()).toBeGreaterThanOrEqual(20);
  });
});
