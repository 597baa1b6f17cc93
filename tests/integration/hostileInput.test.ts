// Hundreds of malformed, oversized, wrongly typed and hostile payloads for every event. The server
// stays up, answers each request with a known error code, and stores nothing; a socket that is not
// signed in, or whose device was revoked, gets nothing at all.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { ERROR_CODES } from '#protocol/errors';
import { indexMenu } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { loopbackAddress } from '../support/addresses';
import { LATTE, orderUpload } from '../support/orderUploads';
import { connectProtocolClient, refusalOf, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

const RUNS = 250;
const KNOWN_CODES = new Set(Object.keys(ERROR_CODES));

let stack: TestStack;
let kiosk: ProtocolClient;
let kitchen: ProtocolClient;
let kioskToken: string;
let validPush: { mutations: unknown[] };

beforeAll(async () => {
  stack = await startTestStack();
  kioskToken = (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk' })).token;
  const kitchenToken = (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'kitchen' })).token;
  kiosk = await connectProtocolClient(stack.url, { token: kioskToken });
  kitchen = await connectProtocolClient(stack.url, { token: kitchenToken });
  const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  validPush = { mutations: [{ id: 1, kind: 'order.place', order: orderUpload(menu, 'A001', [LATTE]) }] };
}, 60_000);

afterAll(async () => {
  kiosk?.close();
  kitchen?.close();
  await stack.close();
});

/** Values that have broken servers before: wrong types, edge numbers, long and strange strings. */
const nasty = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5 }),
  fc.constantFrom(null, true, 0, -1, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 0.5, '', ' ', '0', 'null', '__proto__', 'constructor', '💥', '\u0000'),
  fc.string({ maxLength: 20 }).map((s) => s.repeat(500)),
  fc.constant({ __proto__: { admin: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
  fc.array(fc.integer(), { maxLength: 300 }),
);

/** A valid payload with one value somewhere inside replaced by something nasty. */
function corrupt(valid: unknown): fc.Arbitrary<unknown> {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    paths.push(path);
    if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) walk(child, [...path, Array.isArray(node) ? Number(key) : key]);
  };
  walk(valid, []);
  return fc.tuple(fc.constantFrom(...paths.filter((p) => p.length > 0)), nasty, fc.boolean()).map(([path, value, addKey]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    if (addKey) node['surprise'] = value;
    else node[path.at(-1)!] = value;
    return copy;
  });
}

async function expectRefused(client: ProtocolClient, event: string, payload: unknown) {
  const answer = (await client.request(event, payload, 5000)) as { ok: boolean; error?: { code: string }; data?: unknown };
  if (answer.ok) return answer; // some corruptions are still valid requests; the checks below cover what they may change
  expect(KNOWN_CODES.has(answer.error!.code), JSON.stringify(answer)).toBe(true);
  return answer;
}

describe('every event, fuzzed', () => {
  it('session:hello, feed:pull and feed:snapshot refuse what is not theirs to answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, corrupt({ protocolVersion: 1, cursor: 0 })), async (payload) => {
        await expectRefused(kiosk, 'session:hello', payload);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, corrupt({ after: 0, limit: 10 })), async (payload) => {
        const answer = await expectRefused(kiosk, 'feed:pull', payload);
        // A pull that happens to be valid still only ever returns this store's feed.
        if (answer.ok) expect((answer.data as { changes: unknown[] }).changes.length).toBeLessThanOrEqual(1000);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(nasty.filter((p) => JSON.stringify(p) !== '{}'), async (payload) => {
        await expectRefused(kiosk, 'feed:snapshot', payload);
      }),
      { numRuns: 100 },
    );
  });

  it('mutations:push stores nothing from broken orders or status changes', async () => {
    const placedBefore = await stack.db.order.count();
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, corrupt(validPush)), async (payload) => {
        const answer = await expectRefused(kiosk, 'mutations:push', payload);
        if (answer.ok) {
          // Still a well-formed push: whatever was not refused must have been a genuinely valid order.
          for (const result of (answer.data as { results: Array<{ outcome: string; error?: { code: string } }> }).results) {
            if (result.outcome === 'rejected') expect(KNOWN_CODES.has(result.error!.code)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS * 2 },
    );
    // Valid corruptions (a different but correct option, say) may place an order; nothing else may.
    const orders = await stack.db.order.findMany({ include: { lines: true } });
    for (const order of orders.slice(placedBefore)) expect(order.totalCents).toBeGreaterThanOrEqual(0);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(nasty, corrupt({ mutations: [{ id: 1, kind: 'order.status', orderId: '0195f3c8-0000-7000-8000-000000000001', status: 'ready', hlc: '2026-11-22T10:00:00.000Z-0000-0195f3c8-0000-7000-8000-000000000001' }] })),
        async (payload) => {
          await expectRefused(kitchen, 'mutations:push', payload);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await stack.db.orderStatusEvent.count()).toBe(0);
  });

  it('ignores fire-and-forget reports, unknown events and requests without an acknowledgement', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, fc.string({ maxLength: 30 }), async (payload, event) => {
        kiosk.socket.emit('feed:applied', payload);
        kiosk.socket.emit(event || 'nothing', payload);
        kiosk.socket.emit('mutations:push', payload); // no callback: nothing to answer
      }),
      { numRuns: RUNS },
    );
    // Still up, still answering.
    expect(await kiosk.request('feed:pull', { after: 0, limit: 1 })).toMatchObject({ ok: true });
    const device = await stack.db.device.findFirstOrThrow({ where: { role: 'kiosk' } });
    expect(device.cursor).toBeLessThanOrEqual((await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq);
  });

  it('closes a connection that sends more than 1 MB, and stays up for the others', async () => {
    const big = await connectProtocolClient(stack.url, { token: kioskToken });
    const closed = new Promise((resolve) => big.socket.once('disconnect', resolve));
    big.socket.emit('mutations:push', { mutations: [{ blob: 'x'.repeat(2 * 1024 * 1024) }] }, () => {});
    await closed;
    big.close();
    expect(await kiosk.request('feed:pull', { after: 0, limit: 1 })).toMatchObject({ ok: true });
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  });
});

describe('sockets that are not signed in', () => {
  let handshakes = 0;
  it('refuses every hostile handshake, with a code whenever the handshake can carry one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nasty, fc.record({ token: nasty }), fc.record({ token: fc.string({ minLength: 16, maxLength: 100 }) })), async (auth) => {
        // From many addresses: one address gets only so many handshakes (deviceBudgets.test.ts).
        const code = await refusalOf(stack.url, auth, { localAddress: loopbackAddress(++handshakes) });
        // Socket.IO drops a handshake whose auth is not an object before our code sees it.
        const expected = auth !== null && typeof auth === 'object' && !Array.isArray(auth) ? ['AUTH_REQUIRED', 'AUTH_INVALID'] : ['AUTH_REQUIRED', 'CONNECTION_CLOSED'];
        expect(expected, JSON.stringify(auth)).toContain(code);
      }),
      { numRuns: 60 },
    );
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  });

  it('gives a revoked device nothing, not even the changes of its store', async () => {
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'revoked board' });
    const board = await connectProtocolClient(stack.url, { token });
    await stack.db.device.update({ where: { id: device.id }, data: { revokedAt: new Date() } });
    stack.server.terminals.in(`device:${device.id}`).disconnectSockets(true);
    await eventually(() => !board.socket.connected);
    expect(await refusalOf(stack.url, { token })).toBe('DEVICE_REVOKED');
    const before = board.live.length;
    // A change the store's other terminals receive…
    const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
    await kiosk.request('mutations:push', { mutations: [{ id: 999, kind: 'order.place', order: orderUpload(menu, 'A999', [LATTE]) }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(board.live.length).toBe(before);
    board.close();
  });
});
