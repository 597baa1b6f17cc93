// Invariant 7 at the server and at the terminal's WebSocket edge: a bad order is refused with a
// clear code, and nothing is stored.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebHost } from '../../electron/host/webHost';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PushResponse } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { LATTE, orderUpload } from '../support/orderUploads';
import { connectProtocolClient, refusalOf, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let menu: MenuIndex;
beforeEach(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
});
afterEach(async () => {
  await stack.close();
});

const broken: Array<[string, (order: OrderUpload) => unknown, string, string]> = [
  ['an unknown item', (o) => ({ ...o, lines: [{ ...o.lines[0]!, itemId: 'lobster-thermidor' }] }), 'UNKNOWN_ITEM', 'order.lines[0].itemId'],
  ['a required choice missing', (o) => ({ ...o, lines: [{ ...o.lines[0]!, optionIds: ['milk-whole'] }] }), 'MODIFIER_COUNT', 'order.lines[0].optionIds'],
  ['two milks', (o) => ({ ...o, lines: [{ ...o.lines[0]!, optionIds: ['size-regular', 'milk-whole', 'milk-oat'] }] }), 'MODIFIER_COUNT', 'order.lines[0].optionIds'],
  ['a negative quantity', (o) => ({ ...o, lines: [{ ...o.lines[0]!, quantity: -2, lineTotalCents: -760 }] }), 'INVALID_QUANTITY', 'order.lines[0].quantity'],
  ['a price the kiosk made up', (o) => ({ ...o, lines: [{ ...o.lines[0]!, unitPriceCents: 1, lineTotalCents: 1 }], subtotalCents: 1, totalCents: 1, taxCents: 0 }), 'PRICE_MISMATCH', 'order.lines[0].unitPriceCents'],
  ['a total the kiosk made up', (o) => ({ ...o, totalCents: 100 }), 'PRICE_MISMATCH', 'order.totalCents'],
  ['a menu this store never had', (o) => ({ ...o, menuVersionId: '0195f3c8-0000-7000-8000-00000000dead' }), 'MENU_VERSION_UNKNOWN', 'order.menuVersionId'],
];

describe('the server refuses bad orders and stores none of them', () => {
  let client: ProtocolClient;
  beforeEach(async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk' });
    client = await connectProtocolClient(stack.url, { token });
  });
  afterEach(() => client.close());

  it.each(broken)('%s', async (_, breakIt, code, path) => {
    const order = breakIt(orderUpload(menu, 'A001', [LATTE]));
    const answer = await client.request<PushResponse>('mutations:push', { mutations: [{ id: 1, kind: 'order.place', order }] });
    expect(answer).toEqual({ ok: true, data: { results: [{ id: 1, outcome: 'rejected', error: expect.objectContaining({ code, path }) }], serverTime: expect.any(Number) } });
    // A retry gets the same refusal, and the refusal does not hold up the kiosk's next order.
    const retry = await client.request<PushResponse>('mutations:push', { mutations: [{ id: 1, kind: 'order.place', order }] });
    expect(retry).toMatchObject({ ok: true, data: { results: [{ id: 1, outcome: 'rejected', error: { code } }] } });
    expect(await stack.db.order.count()).toBe(0);
    expect(await stack.db.storeChange.count({ where: { kind: 'order.placed' } })).toBe(0);
    const next = await client.request<PushResponse>('mutations:push', { mutations: [{ id: 2, kind: 'order.place', order: orderUpload(menu, 'A002', [LATTE]) }] });
    expect(next).toMatchObject({ ok: true, data: { results: [{ id: 2, outcome: 'applied' }] } });
  });

  it('refuses malformed payloads as a whole with INVALID_PAYLOAD', async () => {
    const good = orderUpload(menu, 'A001', [LATTE]);
    for (const payload of [
      null,
      'hello',
      { mutations: [] },
      { mutations: [{ id: 0, kind: 'order.place', order: good }] },
      { mutations: [{ id: 1, kind: 'order.explode', order: good }] },
      { mutations: [{ id: 1, kind: 'order.place', order: { ...good, id: 'not-a-uuid' } }] },
      { mutations: [{ id: 1, kind: 'order.place', order: { ...good, lines: 'lots' } }] },
      { mutations: [{ id: 1, kind: 'order.place', order: { ...good, extra: true } }] },
    ]) {
      const answer = await client.request('mutations:push', payload);
      expect(answer, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await stack.db.order.count()).toBe(0);
  });

  it('lets a kiosk place orders but not bump them', async () => {
    const answer = await client.request<PushResponse>('mutations:push', {
      mutations: [{ id: 1, kind: 'order.status', orderId: '0195f3c8-0000-7000-8000-000000000001', status: 'ready', hlc: `2026-11-22T10:00:00.000Z-0000-${'0'.repeat(8)}-0000-7000-8000-000000000000` }],
    });
    expect(answer).toMatchObject({ ok: true, data: { results: [{ id: 1, outcome: 'rejected', error: { code: 'FORBIDDEN_FOR_ROLE' } }] } });
  });
});

describe('devices sign in with a token of their own', () => {
  it('refuses a connection without a token, with a wrong one, or with a revoked one', async () => {
    expect(await refusalOf(stack.url, {})).toBe('AUTH_REQUIRED');
    expect(await refusalOf(stack.url, { token: 42 })).toBe('AUTH_REQUIRED');
    expect(await refusalOf(stack.url, { token: 'tsd_this-is-not-a-real-device-token' })).toBe('AUTH_INVALID');
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'board' });
    expect(await refusalOf(stack.url, { token })).toBeNull();
    await stack.db.device.update({ where: { id: device.id }, data: { revokedAt: new Date() } });
    expect(await refusalOf(stack.url, { token })).toBe('DEVICE_REVOKED');
  });

  it('stores only a hash of the token', async () => {
    const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk' });
    const row = await stack.db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
  });
});

describe("the terminal's WebSocket edge refuses bad orders and stores none of them", () => {
  it('answers each bad call with a code and leaves the SQLite file without orders', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await kiosk.core.api.getStatus()).provisioned && (await kiosk.core.api.getMenu()));
    const dir = await mkdtemp(join(tmpdir(), 'tillsync-renderer-'));
    const host = await startWebHost({ core: kiosk.core, rendererDir: dir });
    const origin = host.url;
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}/api`, { origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers = new Map<number | null, unknown>();
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id: number | null; result?: unknown };
      if ('result' in message) answers.set(message.id, message.result);
    });
    const call = async (id: number, op: string, input: unknown) => {
      ws.send(JSON.stringify({ id, op, input }));
      return eventually(() => answers.get(id));
    };
    const menuVersionId = stack.menuVersionId;
    const latte = { itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] };

    expect(await call(1, 'placeOrder', { menuVersionId, lines: [{ ...latte, itemId: 'lobster' }], expectedTotalCents: 380 })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ITEM' } });
    expect(await call(2, 'placeOrder', { menuVersionId, lines: [{ ...latte, optionIds: ['size-regular'] }], expectedTotalCents: 380 })).toMatchObject({ ok: false, error: { code: 'MODIFIER_COUNT' } });
    expect(await call(3, 'placeOrder', { menuVersionId, lines: [{ ...latte, quantity: -1 }], expectedTotalCents: 380 })).toMatchObject({ ok: false, error: { code: 'INVALID_QUANTITY' } });
    expect(await call(4, 'placeOrder', { menuVersionId, lines: [latte], expectedTotalCents: 1 })).toMatchObject({ ok: false, error: { code: 'PRICE_MISMATCH' } });
    expect(await call(5, 'placeOrder', { menuVersionId, lines: [{ ...latte, unitPriceCents: 1 }], expectedTotalCents: 380 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(6, 'placeOrder', 'an order please')).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(7, 'dropTables', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OPERATION' } });
    expect(await call(8, 'bumpTicket', { orderId: '0195f3c8-0000-7000-8000-000000000001' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_FOR_ROLE' } });
    ws.send('{not json');
    expect(await eventually(() => answers.get(null))).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    // Another web page must not drive the terminal.
    const foreign = new WebSocket(`${host.url.replace('http', 'ws')}/api`, { origin: 'http://evil.example' });
    await expect(new Promise((resolve, reject) => foreign.once('open', resolve).once('error', reject))).rejects.toThrow(/403/);

    ws.close();
    await host.close();
    await rm(dir, { recursive: true, force: true });
    const sqlite = new Database(kiosk.databaseFile, { readonly: true });
    expect(sqlite.prepare('SELECT COUNT(*) AS n FROM "Order"').get()).toEqual({ n: 0 });
    expect(sqlite.prepare('SELECT COUNT(*) AS n FROM OutboxEntry').get()).toEqual({ n: 0 });
    sqlite.close();
    expect(await stack.db.order.count()).toBe(0);
  });
});
