// Invariant 9: one device cannot hurt the others. A flooding kiosk is cut to its budget and told
// when to come back, while other kiosks' orders go through; one kitchen asking for twenty
// snapshots at once gets one; a device's copies cannot pile up sockets; an address cannot open
// connections without end; and head office's /health answers throughout.
import { afterEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { connectServerDatabase } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';
import type { PushResponse, SnapshotResponse } from '#protocol/events';
import { indexMenu } from '#protocol/menu';
import type { Result } from '#protocol/errors';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { publishMenuVersion } from '#menus/menuCatalog';
import { LoadKiosk } from '../support/loadKiosk';
import { connectProtocolClient, refusalOf, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type StackOptions, type TestStack } from '../support/testStack';

let stack: TestStack;
const clients: Array<{ close(): void }> = [];
async function start(options: StackOptions = {}) {
  stack = await startTestStack(undefined, options);
  return stack;
}
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stack?.close();
});

async function loadKiosk(storeId = stack.storeId) {
  const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  const { token, device } = await registerDevice(stack.db, { storeId, role: 'kiosk', name: 'kiosk' });
  const kiosk = await LoadKiosk.connect(stack.url, token, device.orderPrefix!, menu);
  clients.push(kiosk);
  return { kiosk, token, device };
}

async function otherStore() {
  const store = await createStore(stack.db, { ...DEMO_STORE, name: 'Next door' });
  await stack.db.$transaction((tx) => publishMenuVersion(tx, stack.menuVersionId, [store.id]));
  return store.id;
}

const health = async () => (await fetch(`${stack.url}/health`)).status;

describe('a device that floods', () => {
  it('is cut to its budget and told when to come back, while other kiosks order as usual', { timeout: 60_000 }, async () => {
    await start();
    const { steady, burst } = DEFAULT_LIMITS.mutations;
    const { kiosk: flooder, token, device } = await loadKiosk();
    const second = await connectProtocolClient(stack.url, { token }, { keepLive: false });
    clients.push(second);
    const { kiosk: neighbour } = await loadKiosk(await otherStore());

    let flooding = true;
    const refusals: Array<{ code: string; retryAfterMs?: number }> = [];
    let accepted = 0;
    // Two sockets of the flooding kiosk send pushes of 100, never waiting when told to, until
    // the server cuts them off for it.
    const flood = [flooder.client, second].map(async (socket) => {
      while (flooding && socket.socket.connected) {
        const answer = (await socket.request<PushResponse>('mutations:push', { mutations: flooder.build(100) }).catch(() => null)) as Result<PushResponse> | null;
        if (!answer) break;
        if (answer.ok) accepted += answer.data.results.filter((r) => r.outcome === 'applied').length;
        else refusals.push(answer.error);
      }
    });
    const neighbourOrders: number[] = [];
    for (let i = 0; i < 40; i++) {
      neighbourOrders.push(await neighbour.push(neighbour.build(1)));
      await new Promise((r) => setTimeout(r, 25));
    }
    await eventually(() => refusals.length > 5, 30_000);
    flooding = false;
    await Promise.all(flood);
    // Ignoring every wait it was given, the flooder was cut off.
    await eventually(() => !flooder.client.socket.connected && !second.socket.connected, 15_000);

    // The flood got its burst and its steady budget, no more.
    expect(accepted).toBeGreaterThanOrEqual(burst.points);
    expect(accepted).toBeLessThanOrEqual(burst.points + steady.points);
    expect(await stack.db.order.count({ where: { deviceId: device.id } })).toBe(accepted);
    // Every refusal says why and how long to wait.
    expect(refusals.every((r) => r.code === 'RATE_LIMITED' && r.retryAfterMs! > 0)).toBe(true);
    // The neighbour's orders all went through.
    expect(neighbourOrders).toEqual(Array(40).fill(1));
    expect(await health()).toBe(200);
    // The audit log says which budget ran out, and for whom.
    await eventually(() => stack.db.auditEvent.count({ where: { action: 'limit-tripped' } }), 5000);
    const [tripped] = await stack.db.auditEvent.findMany({ where: { action: 'limit-tripped' } });
    expect(tripped!.detail).toMatchObject({ budget: 'mutations', key: device.id });
  });

  it('is obeyed by the terminal: a backlog bigger than the budget arrives whole, nothing refused', { timeout: 60_000 }, async () => {
    // Small budgets (a push of 100 must still fit in one window), so a few hundred orders meet them.
    await start({ limits: { ...DEFAULT_LIMITS, mutations: { steady: { points: 100, seconds: 2 }, burst: { points: 100, seconds: 3600 } } } });
    const kiosk = await stack.terminal('kiosk');
    const menu = (await eventually(() => kiosk.core.api.getMenu())) as MenuView;
    await stack.stopServer();
    const placed = [];
    for (let i = 0; i < 400; i++) placed.push((await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 })).id);
    await stack.startServer();
    await eventually(async () => (await kiosk.core.api.getStatus()).pendingUploads === 0, 30_000);
    expect(await stack.db.order.count()).toBe(400);
    expect((await kiosk.core.api.getStatus()).rejectedOrders).toEqual([]);
  });
});

describe('a device that sends one order a push', () => {
  it('gets its budget whole and no more, through two server nodes', { timeout: 60_000 }, async () => {
    // Each node takes a device's points from the shared budget ten at a time (budgets.ts): what it
    // has taken and not spent must never let the device past the budget, on either node.
    const limits = { ...DEFAULT_LIMITS, mutations: { steady: { points: 40, seconds: 60 }, burst: { points: 20, seconds: 3600 } } };
    await start({ limits });
    const secondNode = connectServerDatabase(stack.databaseUrl);
    const node = await createServer({ ...secondNode, limits });
    const { url } = await node.listen(0);
    try {
      const { kiosk, token, device } = await loadKiosk();
      const onSecondNode = await connectProtocolClient(url, { token }, { keepLive: false });
      clients.push(onSecondNode);
      const budget = limits.mutations.steady.points + limits.mutations.burst.points;
      let applied = 0;
      const refusals: string[] = [];
      await Promise.all(
        [kiosk.client, onSecondNode].map(async (socket) => {
          // Each socket alone would have sent its whole budget and more.
          for (let sent = 0; sent <= budget; sent++) {
            const answer = await socket.request<PushResponse>('mutations:push', { mutations: kiosk.build(1) });
            if (!answer.ok) return void refusals.push(answer.error.code);
            applied += answer.data.results.filter((r) => r.outcome === 'applied').length;
          }
        }),
      );
      expect(refusals).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      expect(applied).toBeLessThanOrEqual(budget);
      expect(applied).toBeGreaterThanOrEqual(budget - 10);
      expect(await stack.db.order.count({ where: { deviceId: device.id } })).toBe(applied);
    } finally {
      await node.close();
      await secondNode.close();
    }
  });
});

describe('feed reads', () => {
  it('gives one kitchen one snapshot at a time, and /health answers while twenty kitchens take theirs', { timeout: 90_000 }, async () => {
    await start();
    const { kiosk } = await loadKiosk();
    for (let i = 0; i < 20; i++) await kiosk.push(kiosk.build(100));

    const kitchen = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'kitchen' });
    const client = await connectProtocolClient(stack.url, { token: kitchen.token }, { keepLive: false });
    clients.push(client);
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.request<SnapshotResponse>('feed:snapshot', {}, 30_000)));
    const served = answers.filter((a) => a.ok);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeLessThan(20);
    expect(answers.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'RATE_LIMITED' && a.error.retryAfterMs! > 0)).toBe(true);

    const kitchens: ProtocolClient[] = [];
    for (let i = 0; i < 20; i++) {
      const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: `kitchen ${i}` });
      kitchens.push(await connectProtocolClient(stack.url, { token }, { keepLive: false }));
    }
    clients.push(...kitchens);
    const statuses: number[] = [];
    let taking = true;
    const probing = (async () => {
      while (taking) statuses.push(await health());
    })();
    const all = await Promise.all(kitchens.map((k) => k.request<SnapshotResponse>('feed:snapshot', {}, 60_000)));
    taking = false;
    await probing;
    expect(all.filter((a) => !a.ok)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

describe('connections', () => {
  it('keeps only a device\'s two newest sockets', async () => {
    await start();
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'kitchen' });
    const sockets: ProtocolClient[] = [];
    for (let i = 0; i < 4; i++) {
      sockets.push(await connectProtocolClient(stack.url, { token }, { keepLive: false }));
      await new Promise((r) => setTimeout(r, 20));
    }
    clients.push(...sockets);
    await eventually(() => sockets.filter((s) => s.socket.connected).length === DEFAULT_LIMITS.socketsPerDevice, 5000);
    expect(sockets.map((s) => s.socket.connected)).toEqual([false, false, true, true]);
  });

  it('lets one address open only so many connections, and others connect meanwhile', async () => {
    await start({ limits: { ...DEFAULT_LIMITS, handshakes: { points: 20, seconds: 60 } } });
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'board' });
    const codes: Array<string | null> = [];
    for (let i = 0; i < 25; i++) codes.push(await refusalOf(stack.url, { token }, { localAddress: '127.0.0.5' }));
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(null));
    expect(codes.slice(20)).toEqual(Array(5).fill('RATE_LIMITED'));
    // Even an unknown token costs a try: guessing tokens is no way around the budget.
    expect(await refusalOf(stack.url, { token: 'tsd_not-a-token-at-all-really' }, { localAddress: '127.0.0.5' })).toBe('RATE_LIMITED');
    expect(await refusalOf(stack.url, { token }, { localAddress: '127.0.0.6' })).toBeNull();
  });
});
