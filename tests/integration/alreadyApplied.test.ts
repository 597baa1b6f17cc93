// Invariant 1, decided by content: the server says "duplicate" only for an order or a status event
// it really holds. A mutation number is a device's label for a change, never proof that the change
// was stored: huge numbers, numbers out of order, numbers reused for other content and two sockets
// of one device pushing at once must all leave the server holding exactly what the terminal sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { HelloResponse, PushResponse } from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { publishMenuVersion } from '#menus/menuCatalog';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
const clients: ProtocolClient[] = [];
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stack.close();
});

async function kiosk(storeId = stack.storeId) {
  const { device, token } = await registerDevice(stack.db, { storeId, role: 'kiosk', name: 'kiosk' });
  const client = await connectProtocolClient(stack.url, { token });
  clients.push(client);
  const prefix = device.orderPrefix!;
  let counter = 0;
  return {
    device,
    token,
    client,
    /** A correctly priced order with this kiosk's next number. */
    order: () => orderUpload(menu, `${prefix}${String(++counter).padStart(3, '0')}`),
    push: async (...mutations: Array<{ id: number; order: unknown }>) => {
      const answer = await client.request<PushResponse>('mutations:push', { mutations: mutations.map((m) => ({ ...m, kind: 'order.place' })) });
      if (!answer.ok) throw new Error(JSON.stringify(answer.error));
      return answer.data.results;
    },
  };
}

const storedIds = async () => (await stack.db.order.findMany({ select: { id: true } })).map((o) => o.id).sort();

describe('"duplicate" only for what the server holds', () => {
  it('a push numbered 2147483647 does not make the kiosk\'s later orders "duplicates"', async () => {
    const k = await kiosk();
    const [huge, far, next] = [k.order(), k.order(), k.order()];
    // A number far beyond any the kiosk used is refused on its own, and holds nothing up.
    expect(await k.push({ id: 2_147_483_647, order: huge })).toEqual([{ id: 2_147_483_647, outcome: 'rejected', error: expect.objectContaining({ code: 'MUTATION_ID_OUT_OF_RANGE' }) }]);
    // One within reach is applied, and the kiosk's next, lower, number still counts.
    expect(await k.push({ id: 1_000_000, order: far })).toEqual([{ id: 1_000_000, outcome: 'applied' }]);
    expect(await k.push({ id: 2, order: next })).toEqual([{ id: 2, outcome: 'applied' }]);
    expect(await k.push({ id: 2_147_483_647, order: huge })).toMatchObject([{ outcome: 'rejected' }]);
    expect(await storedIds()).toEqual([far.id, next.id].sort());
  });

  it('stores an order pushed after one with a higher number', async () => {
    const k = await kiosk();
    const [later, earlier] = [k.order(), k.order()];
    expect(await k.push({ id: 5, order: later })).toEqual([{ id: 5, outcome: 'applied' }]);
    expect(await k.push({ id: 3, order: earlier })).toEqual([{ id: 3, outcome: 'applied' }]);
    expect(await storedIds()).toEqual([later.id, earlier.id].sort());
  });

  it('answers a repeated push "duplicate", and a number reused for other content MUTATION_ID_REUSED', async () => {
    const k = await kiosk();
    const [first, other] = [k.order(), k.order()];
    expect(await k.push({ id: 1, order: first })).toEqual([{ id: 1, outcome: 'applied' }]);
    expect(await k.push({ id: 1, order: first })).toEqual([{ id: 1, outcome: 'duplicate' }]);
    expect(await k.push({ id: 1, order: other })).toEqual([{ id: 1, outcome: 'rejected', error: expect.objectContaining({ code: 'MUTATION_ID_REUSED' }) }]);
    // The same order under a new number (a terminal that lost its counter) is known by its id.
    expect(await k.push({ id: 9, order: first })).toEqual([{ id: 9, outcome: 'duplicate' }]);
    expect(await storedIds()).toEqual([first.id]);
    // The other order is not lost: under a fresh number it is applied.
    expect(await k.push({ id: 10, order: other })).toEqual([{ id: 10, outcome: 'applied' }]);
  });

  it('tells a terminal the highest number it applied, so a restored terminal can number on from there', async () => {
    const k = await kiosk();
    await k.push({ id: 41, order: k.order() });
    const hello = await k.client.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
    expect(hello).toMatchObject({ ok: true, data: { lastMutationId: 41 } });
  });

  it('refuses an order id that is already another order, the same way whoever holds it', async () => {
    const mine = await kiosk();
    const neighbour = await kiosk();
    const otherStore = await createStore(stack.db, { ...DEMO_STORE, name: 'Another café' });
    await stack.db.$transaction((tx) => publishMenuVersion(tx, stack.menuVersionId, [otherStore.id]));
    const stranger = await kiosk(otherStore.id);

    const order = mine.order();
    expect(await mine.push({ id: 1, order })).toEqual([{ id: 1, outcome: 'applied' }]);
    // Same id, different content, from the same kiosk, another kiosk of the store, another store.
    const answers = [
      await mine.push({ id: 2, order: { ...order, number: mine.order().number } }),
      await neighbour.push({ id: 1, order: { ...neighbour.order(), id: order.id } }),
      await stranger.push({ id: 1, order: { ...stranger.order(), id: order.id } }),
    ];
    const errors = answers.map(([result]) => result!.error);
    expect(errors.map((e) => e?.code)).toEqual(['ORDER_ID_CONFLICT', 'ORDER_ID_CONFLICT', 'ORDER_ID_CONFLICT']);
    // Nothing about the order that holds the id leaks: one message for every caller.
    expect(new Set(errors.map((e) => e!.message)).size).toBe(1);
    expect(errors[2]!.message).not.toMatch(new RegExp(`${stack.storeId}|${order.number}|${mine.device.id}`));
    expect(await storedIds()).toEqual([order.id]);
  });

  it('stores every order when two sockets of one kiosk push at once', async () => {
    const k = await kiosk();
    const second = await connectProtocolClient(stack.url, { token: k.token });
    clients.push(second);
    const orders = Array.from({ length: 100 }, () => k.order());
    // The outbox numbered them 1–100; each socket sends every other push of ten, both at once.
    const sendHalf = async (socket: ProtocolClient, first: number) => {
      const results = [];
      for (let p = first; p < 10; p += 2) {
        const mutations = orders.slice(p * 10, p * 10 + 10).map((order, i) => ({ id: p * 10 + i + 1, kind: 'order.place', order }));
        const answer = await socket.request<PushResponse>('mutations:push', { mutations });
        if (answer.ok) results.push(...answer.data.results);
      }
      return results;
    };
    const results = (await Promise.all([sendHalf(k.client, 0), sendHalf(second, 1)])).flat();
    expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(100);
    expect(await storedIds()).toEqual(orders.map((o) => o.id).sort());
  });

  it('knows a status change by its event: the same one again is "duplicate", other content under its clock a conflict', async () => {
    const k = await kiosk();
    const order = k.order();
    await k.push({ id: 1, order });
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'kitchen' });
    const kitchen = await connectProtocolClient(stack.url, { token });
    clients.push(kitchen);
    const hlc = formatHlc({ millis: Date.now(), counter: 0, deviceId: device.id });
    const status = (id: number, value: string) => kitchen.request<PushResponse>('mutations:push', { mutations: [{ id, kind: 'order.status', orderId: order.id, status: value, hlc }] });
    expect(await status(1, 'ready')).toEqual({ ok: true, data: { results: [{ id: 1, outcome: 'applied' }], serverTime: expect.any(Number) } });
    expect(await status(2, 'ready')).toEqual({ ok: true, data: { results: [{ id: 2, outcome: 'duplicate' }], serverTime: expect.any(Number) } });
    expect(await status(3, 'served')).toMatchObject({ ok: true, data: { results: [{ id: 3, outcome: 'rejected', error: { code: 'STATUS_EVENT_CONFLICT' } }] } });
    expect(await stack.db.orderStatusEvent.findMany({ select: { status: true } })).toEqual([{ status: 'ready' }]);
  });

  it('keeps a bad mutation from blocking a good one in the same push, in any order', async () => {
    const k = await kiosk();
    const good = k.order();
    const bad = { ...k.order(), totalCents: 1 };
    const results = await k.push({ id: 7, order: good }, { id: 6, order: bad }, { id: 8, order: { ...k.order(), lines: [LATTE, COOKIE].map((l) => ({ ...l, unitPriceCents: 0, lineTotalCents: 0 })) } });
    expect(results.map((r) => [r.id, r.outcome]).sort()).toEqual([
      [6, 'rejected'],
      [7, 'applied'],
      [8, 'rejected'],
    ]);
    expect(await storedIds()).toEqual([good.id]);
  });
});
