// Head office changes a store's settings: every bad field is named at once and nothing changes;
// a currency its menu is not priced in is refused; a new tax rate reaches the store's terminals on
// the feed, their next orders are priced with it and accepted, and an order a kiosk priced offline
// under the old rate is accepted all the same (invariant 1). Terminals from before `store.changed`
// keep their cursor whole and take the new settings from a new hello.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuView, TerminalStatus } from '#terminal-api/contract';
import { connectServerDatabase } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { HelloResponse, PullResponse, SnapshotResponse } from '#protocol/events';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { createServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, call, type AdminClient } from '../support/adminClient';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
beforeEach(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  await stack.close();
});

/** From 9 % included in the prices to 21 % added on top: the same espresso costs more. */
const NEW_TAX = { taxRateBp: 2100, pricesIncludeTax: false };
const ESPRESSO = { itemId: 'espresso', quantity: 1, optionIds: [] };
/** 260 with 9 % included: tax 21. 260 plus 21 % on top: tax 55, total 315. */
const OLD_PRICE = { subtotalCents: 260, taxCents: 21, totalCents: 260 };
const NEW_PRICE = { subtotalCents: 260, taxCents: 55, totalCents: 315 };

async function menuOf(terminal: TestTerminal): Promise<MenuView | null> {
  const result = await terminal.core.call('getMenu', undefined);
  return result.ok ? (result.data as MenuView | null) : null;
}

const storeRow = () => stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } });
const auditOf = (storeId: string) => stack.db.auditEvent.findMany({ where: { storeId, action: 'store-changed' } });

describe('changing a store', () => {
  it('names every bad field at once and changes nothing', async () => {
    const before = await storeRow();
    const answer = await owner.request<{ error: { code: string; problems: Array<{ path: string; message: string }> } }>('PATCH', `/api/stores/${stack.storeId}`, {
      name: '   ',
      address: 'x'.repeat(201),
      timeZone: 'Mars/Olympus_Mons',
      currency: 'eur',
      taxRateBp: 10_001,
      pricesIncludeTax: 'yes',
      owner: 'me',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_PAYLOAD');
    expect(answer.body.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'name: a name is needed' },
        { path: 'address', message: 'address: at most 200 characters' },
        { path: 'timeZone', message: 'timeZone: an IANA time zone such as Europe/Amsterdam' },
        { path: 'currency', message: 'currency: an ISO 4217 code such as EUR' },
        { path: 'taxRateBp', message: 'taxRateBp: a tax rate from 0 to 100 %, in basis points (900 = 9 %)' },
        { path: 'pricesIncludeTax', message: expect.stringMatching(/^pricesIncludeTax: /) },
        { path: '', message: expect.stringContaining('"owner"') },
      ]),
    );
    expect(answer.body.error.problems).toHaveLength(7);
    expect(await storeRow()).toEqual(before);
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(0);
    expect(await auditOf(stack.storeId)).toEqual([]);
  });

  it('changes only what it is given, says who changed what, and changing nothing changes nothing', async () => {
    const changed = await owner.request('PATCH', `/api/stores/${stack.storeId}`, { name: '  Tillsync Café Amsterdam-Zuid ', address: 'Beethovenstraat 1, 1077 HM Amsterdam' });
    expect(changed).toMatchObject({
      status: 200,
      body: { id: stack.storeId, name: 'Tillsync Café Amsterdam-Zuid', address: 'Beethovenstraat 1, 1077 HM Amsterdam', taxRateBp: 900, currency: 'EUR', menuVersionId: stack.menuVersionId },
    });
    const [event] = await auditOf(stack.storeId);
    expect(event).toMatchObject({
      actorType: 'admin',
      detail: { before: { name: DEMO_STORE.name, address: '', taxRateBp: 900 }, after: { name: 'Tillsync Café Amsterdam-Zuid', address: 'Beethovenstraat 1, 1077 HM Amsterdam', taxRateBp: 900 } },
    });
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { name: 'Tillsync Café Amsterdam-Zuid' })).status).toBe(200);
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, {})).status).toBe(200);
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(1);
    expect(await auditOf(stack.storeId)).toHaveLength(1);
  });

  it('refuses a currency the store\'s menu is not priced in, and allows it in a store without a menu', async () => {
    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, { currency: 'GBP', taxRateBp: 2000 })).toMatchObject({
      status: 409,
      body: { error: { code: 'CURRENCY_MISMATCH', path: 'currency', message: expect.stringMatching(/priced in EUR.*Keep EUR, or add a new store that sells in GBP\.$/) } },
    });
    expect(await storeRow()).toMatchObject({ currency: 'EUR', taxRateBp: 900 });
    expect(await stack.db.storeChange.count({ where: { kind: 'store.changed' } })).toBe(0);

    const empty = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync London' });
    expect(await owner.request('PATCH', `/api/stores/${empty.id}`, { currency: 'GBP', timeZone: 'Europe/London', taxRateBp: 2000 })).toMatchObject({
      status: 200,
      body: { currency: 'GBP', timeZone: 'Europe/London', taxRateBp: 2000 },
    });
  });

  it('is for owners: a manager of the store is refused, a manager of another store is told there is no such store', async () => {
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    const ours = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    const theirs = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [other.id] });
    expect(await ours.request('PATCH', `/api/stores/${stack.storeId}`, { taxRateBp: 0 })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect(await theirs.request('PATCH', `/api/stores/${stack.storeId}`, { taxRateBp: 0 })).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    expect(await owner.request('PATCH', '/api/stores/not-a-store', { taxRateBp: 0 })).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    expect(await call(stack.url, 'PATCH', `/api/stores/${stack.storeId}`, { taxRateBp: 0 })).toMatchObject({ status: 401 });
    expect(await storeRow()).toMatchObject({ taxRateBp: 900 });
  });
});

describe('a new tax rate', () => {
  it('reaches a connected terminal on the feed, and its next order is priced with it and accepted', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(() => menuOf(kiosk));
    // An order first, so that the server holds the old rate in its copy of the store's rules.
    expect(await kiosk.core.call('placeOrder', { menuVersionId: stack.menuVersionId, lines: [ESPRESSO], expectedTotalCents: OLD_PRICE.totalCents })).toMatchObject({ ok: true, data: OLD_PRICE });
    await eventually(() => stack.db.order.count());

    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, { ...NEW_TAX, name: 'Tillsync Café Amsterdam-Zuid' })).toMatchObject({ status: 200 });
    const menu = await eventually(async () => {
      const shown = await menuOf(kiosk);
      return shown?.tax.taxRateBp === NEW_TAX.taxRateBp && shown;
    });
    expect(menu.tax).toEqual(NEW_TAX);
    expect(((await kiosk.core.call('getStatus', undefined)) as { data: TerminalStatus }).data.store).toMatchObject({ name: 'Tillsync Café Amsterdam-Zuid' });

    const placed = await kiosk.core.call('placeOrder', { menuVersionId: stack.menuVersionId, lines: [ESPRESSO], expectedTotalCents: NEW_PRICE.totalCents });
    expect(placed).toMatchObject({ ok: true, data: NEW_PRICE });
    const order = await eventually(() => stack.db.order.findUnique({ where: { id: (placed as { data: { id: string } }).data.id } }));
    expect(order).toMatchObject(NEW_PRICE);
    const status = ((await kiosk.core.call('getStatus', undefined)) as { data: TerminalStatus }).data;
    expect(status.rejectedOrders).toEqual([]);
    // The kiosk asked for the new rate in its handshake, so it never needed to connect again for it.
    expect(await stack.db.storeChange.findFirstOrThrow({ where: { kind: 'store.changed' } })).toMatchObject({ payload: { store: { ...NEW_TAX, timeZone: DEMO_STORE.timeZone } } });
  });

  it('still accepts an order a kiosk priced offline under the old rate, uploaded after the change', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(() => menuOf(kiosk));
    await stack.stopServer();
    await eventually(async () => ((await kiosk.core.call('getStatus', undefined)) as { data: TerminalStatus }).data.connection === 'offline');
    const placed = await kiosk.core.call('placeOrder', { menuVersionId: stack.menuVersionId, lines: [ESPRESSO], expectedTotalCents: OLD_PRICE.totalCents });
    expect(placed).toMatchObject({ ok: true, data: OLD_PRICE });

    // Head office changes the rate through another server node while this kiosk cannot reach its own.
    const node = connectServerDatabase(stack.databaseUrl);
    const other = await createServer(node);
    try {
      const { url } = await other.listen(0);
      const signedIn = await call<{ token: string }>(url, 'POST', '/api/sessions', { email: (await stack.db.adminUser.findFirstOrThrow()).email, password: 'correct horse battery staple' });
      expect(await call(url, 'PATCH', `/api/stores/${stack.storeId}`, NEW_TAX, signedIn.body.token)).toMatchObject({ status: 200 });
    } finally {
      await other.close();
      await node.close();
    }

    await stack.startServer();
    const order = await eventually(() => stack.db.order.findUnique({ where: { id: (placed as { data: { id: string } }).data.id } }), 20_000);
    expect(order).toMatchObject(OLD_PRICE);
    await eventually(async () => (await menuOf(kiosk))?.tax.taxRateBp === NEW_TAX.taxRateBp);
    // Its outbox empties once the kiosk has the server's answer, a moment after the order is stored.
    const status = await eventually(async () => {
      const { data } = (await kiosk.core.call('getStatus', undefined)) as { data: TerminalStatus };
      return data.pendingUploads === 0 && data;
    });
    expect(status.rejectedOrders).toEqual([]);
    // What no rate the store ever had gives is still refused.
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'made-up tax' });
    const liar = await connectProtocolClient(stack.url, { token, changeKinds: ['store.changed'] });
    const { device } = ((await liar.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 })) as { data: HelloResponse }).data;
    const now = new Date();
    const upload = {
      id: '0195f3c8-0000-7000-8000-0000000000aa',
      number: `${device.orderPrefix}001`,
      businessDay: new Intl.DateTimeFormat('en-CA', { timeZone: DEMO_STORE.timeZone }).format(now),
      placedAt: now.toISOString(),
      menuVersionId: stack.menuVersionId,
      lines: [{ ...ESPRESSO, unitPriceCents: 260, lineTotalCents: 260 }],
      subtotalCents: 260,
      taxCents: 0,
      totalCents: 260,
    };
    expect(await liar.request('mutations:push', { mutations: [{ id: 1, kind: 'order.place', order: upload }] })).toMatchObject({
      ok: true,
      data: { results: [{ id: 1, outcome: 'rejected', error: { code: 'PRICE_MISMATCH' } }] },
    });
    liar.close();
  });
});

describe('terminals from before store.changed', () => {
  it('get a change they apply as nothing under the same seq, and the new settings from a new hello', async () => {
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Kitchen from last year' });
    const old = await connectProtocolClient(stack.url, { token, menuFormats: [1, 2] });
    const hello = (await old.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 })) as { data: HelloResponse };
    const snapshot = (await old.request<SnapshotResponse>('feed:snapshot', {})) as { data: SnapshotResponse };
    expect(snapshot.data).not.toHaveProperty('store');
    const { token: newToken } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Kitchen of this year' });
    const current = await connectProtocolClient(stack.url, { token: newToken, changeKinds: ['store.changed'] });

    expect(await owner.request('PATCH', `/api/stores/${stack.storeId}`, NEW_TAX)).toMatchObject({ status: 200 });
    const seq = hello.data.headSeq + 1;
    await eventually(() => current.live.find((c) => c.seq === seq));
    expect(current.live.find((c) => c.seq === seq)).toMatchObject({ kind: 'store.changed', store: { ...NEW_TAX, name: DEMO_STORE.name, address: '' } });
    // The old terminal is sent away to say hello again; its pull has the seq, as a change it ignores.
    await eventually(() => !old.socket.connected);
    const again = await connectProtocolClient(stack.url, { token, menuFormats: [1, 2] });
    const rehello = (await again.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: snapshot.data.seq })) as { data: HelloResponse };
    expect(rehello.data.store).toMatchObject(NEW_TAX);
    const pulled = (await again.request<PullResponse>('feed:pull', { after: snapshot.data.seq })) as { data: PullResponse };
    expect(pulled.data.changes).toEqual([{ seq, at: expect.any(String), kind: 'device.revoked', deviceId: '00000000-0000-0000-0000-000000000000' }]);
    // A terminal that applies store changes finds the settings in its snapshot, as of its seq.
    const fresh = (await current.request<SnapshotResponse>('feed:snapshot', {})) as { data: SnapshotResponse };
    expect(fresh.data).toMatchObject({ seq, store: { ...NEW_TAX, timeZone: DEMO_STORE.timeZone, currency: 'EUR' } });
    again.close();
    current.close();
  });
});
