// Head office's live orders: the `/admin` Socket.IO namespace, signed in by the admin app's session
// cookie from the admin app's own origin, pushes every order change of the stores its admin may see
// (a manager their own, an owner all; a menu editor none) as the feed commits it, and closes when
// the session ends. GET /api/live-orders is the list a page starts from. All real: PostgreSQL,
// terminal cores, Socket.IO on port 0.
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_NAMESPACE, LiveOrderChangesSchema, LiveOrdersSchema, type LiveOrderChange } from '#admin-api';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import { DEFAULT_KITCHEN_SETTINGS } from '#protocol/events';
import type { MenuView, PlaceOrderInput } from '#terminal-api/contract';
import { createTerminalCore } from '../../electron/core/terminalCore';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { connectServerDatabase, createServerDb } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';
import { silentLogger } from '../../sync-server/log';
import { postgresFanout } from '../../sync-server/runtime';
import { createServer, type SyncServer } from '../../sync-server/server';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, call, cookieClient, type AdminClient } from '../support/adminClient';
import { createTestDatabase } from '../support/testDatabase';
import { eventually, placeEspresso, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

const PASSWORD = 'correct horse battery staple';
let stack: TestStack;
let owner: AdminClient;
let otherStoreId: string;
let kiosk: TestTerminal;
let kitchen: TestTerminal;
let otherKiosk: TestTerminal;
let admins = 0;

beforeAll(async () => {
  // A sign-in per admin and session this file opens: more than one address's budget a minute.
  stack = await startTestStack(undefined, { limits: { ...DEFAULT_LIMITS, signIns: { points: 200, seconds: 60 } } });
  owner = await adminClient(stack.db, stack.url);
  otherStoreId = (await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' })).id;
  await stack.db.$transaction((tx) => publishMenuVersion(tx, stack.menuVersionId, [otherStoreId]));
  kiosk = await stack.terminal('kiosk');
  kitchen = await stack.terminal('kitchen');
  otherKiosk = await stack.terminal('kiosk', { storeId: otherStoreId });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

interface AdminSession {
  /** The session's cookie, as the browser keeps it. */
  cookie: string;
  rest: AdminClient;
}

/** Signs an admin in as the admin app does: the session in a cookie. */
async function signIn(role: 'owner' | 'editor' | 'manager', storeIds: string[] = [], email = `live${++admins}@example.com`, password = PASSWORD): Promise<AdminSession> {
  if (!(await stack.db.adminUser.count({ where: { email } }))) await createAdmin(stack.db, { email, name: `${role} ${admins}`, password, role, storeIds });
  const started = await call(stack.url, 'POST', '/api/sessions', { email, password, cookie: true });
  expect(started.status).toBe(201);
  const rest = cookieClient(stack.url, started);
  return { cookie: rest.token, rest };
}

interface LiveSocket {
  socket: Socket;
  /** Every change received, each with its store. */
  changes: Array<LiveOrderChange & { storeId: string }>;
  /** Resolves with the reason when the server closes the socket. */
  closed: Promise<string>;
}

/** Opens the `/admin` namespace with these handshake headers, as a page of `origin` would. */
function connect(headers: Record<string, string>, serverUrl = stack.url): Promise<LiveSocket> {
  const socket = io(new URL(ADMIN_NAMESPACE, serverUrl).toString(), { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
  const changes: LiveSocket['changes'] = [];
  // What arrives is parsed as the admin app parses it.
  socket.on('orders:changes', (batch: unknown) => {
    const { storeId, changes: list } = LiveOrderChangesSchema.parse(batch);
    changes.push(...list.map((change) => ({ ...change, storeId })));
  });
  const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, changes, closed }));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => reject(Object.assign(new Error(error.message), { code: error.data?.code ?? 'NO_CODE' })));
  });
}
/** The changes of one kind about one order that `socket` received. */
const received = <K extends LiveOrderChange['kind']>(socket: LiveSocket, kind: K, orderId: string) =>
  socket.changes.filter((c): c is Extract<LiveOrderChange, { kind: K }> & { storeId: string } => c.kind === kind && ('order' in c ? c.order.id : c.orderId) === orderId);
const asPage = (session: AdminSession, origin = stack.url) => ({ cookie: session.cookie, origin });
const refusalOf = (headers: Record<string, string>) =>
  connect(headers).then(
    ({ socket }) => (socket.disconnect(), null),
    (error: { code: string; message: string }) => error,
  );

async function menuOf(terminal: TestTerminal): Promise<MenuView> {
  return eventually(async () => (await terminal.core.api.getMenu()) as MenuView | null);
}
/** A latte (bar) and two croissants (kitchen), to be paid at the counter. */
async function latteAndCroissants(terminal: TestTerminal): Promise<PlaceOrderInput> {
  return {
    menuVersionId: (await menuOf(terminal)).versionId,
    lines: [
      { itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] },
      { itemId: 'croissant', quantity: 2, optionIds: ['serve-warm'] },
    ],
    expectedTotalCents: 380 + 2 * 260,
    service: { mode: 'eat-in', table: '7' },
  };
}

describe('who may watch', () => {
  it('refuses a handshake without a session, from another origin, with an ended session, or from a menu editor', async () => {
    const manager = await signIn('manager', [stack.storeId]);
    expect(await refusalOf({ origin: stack.url })).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(await refusalOf({ cookie: 'tillsync_session=tsa_not-a-session-that-exists-anywhere', origin: stack.url })).toMatchObject({ code: 'AUTH_INVALID' });
    // Another site's page, which the browser would send the cookie from too; and a client naming no page at all.
    expect(await refusalOf(asPage(manager, 'https://evil.example'))).toMatchObject({ code: 'CSRF_INVALID', message: expect.stringContaining("this server's admin app") });
    expect(await refusalOf(asPage(manager, stack.url.replace('127.0.0.1', 'localhost')))).toMatchObject({ code: 'CSRF_INVALID' });
    expect(await refusalOf({ cookie: manager.cookie })).toMatchObject({ code: 'CSRF_INVALID' });
    expect(await refusalOf(asPage(await signIn('editor')))).toMatchObject({ code: 'FORBIDDEN_FOR_ROLE', message: "Only an owner or the store's manager may do this." });
    // A bearer token is no ambient credential, so a script needs no page origin.
    const script = await connect({ authorization: `Bearer ${owner.token}` });
    script.socket.disconnect();
    const page = await connect(asPage(manager));
    page.socket.disconnect();
  });

  it('lists today’s orders of the stores one may see, with their kitchen thresholds; another store is answered as none', async () => {
    await stack.db.store.update({ where: { id: stack.storeId }, data: { kitchen: { ...DEFAULT_KITCHEN_SETTINGS, warnMinutes: 3, lateMinutes: 7 } } });
    const mine = await placeEspresso(kiosk);
    const theirs = await placeEspresso(otherKiosk);
    await eventually(async () => (await stack.db.order.count({ where: { id: { in: [mine, theirs] } } })) === 2);

    const manager = await signIn('manager', [stack.storeId]);
    const list = await manager.rest.request<unknown>('GET', '/api/live-orders');
    expect(list.status).toBe(200);
    const answer = LiveOrdersSchema.parse(list.body);
    expect(answer.stores).toEqual([{ id: stack.storeId, name: DEMO_STORE.name, timeZone: DEMO_STORE.timeZone, warnMinutes: 3, lateMinutes: 7 }]);
    expect(answer.orders.map((o) => o.id)).toContain(mine);
    expect(answer.orders.map((o) => o.id)).not.toContain(theirs);
    expect(answer.orders.find((o) => o.id === mine)).toMatchObject({
      storeId: stack.storeId,
      status: 'preparing',
      statusHlc: null,
      lines: [{ lineNo: 1, name: 'Espresso', quantity: 1, done: false, doneHlc: null }],
      currency: 'EUR',
      totalCents: 260,
    });
    expect(Math.abs(Date.parse(answer.serverTime) - Date.now())).toBeLessThan(5000);

    // The owner sees both stores, or the one asked for.
    const both = LiveOrdersSchema.parse((await owner.request('GET', '/api/live-orders')).body);
    expect(both.orders.map((o) => o.id)).toEqual(expect.arrayContaining([mine, theirs]));
    const other = LiveOrdersSchema.parse((await owner.request('GET', `/api/live-orders?storeIds=${otherStoreId}`)).body);
    expect(other.stores.map((s) => s.id)).toEqual([otherStoreId]);
    expect(other.orders.every((o) => o.storeId === otherStoreId)).toBe(true);

    expect(await manager.rest.request('GET', `/api/live-orders?storeIds=${otherStoreId}`)).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    expect(await owner.request('GET', '/api/live-orders?storeIds=0195f3c8-0000-7000-8000-000000000001')).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    expect(await owner.request('GET', '/api/live-orders?storeIds=one,two')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'storeIds[0]' } } });
    expect(await (await signIn('editor')).rest.request('GET', '/api/live-orders')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect(await call(stack.url, 'GET', '/api/live-orders')).toMatchObject({ status: 401, body: { error: { code: 'AUTH_REQUIRED' } } });
  });
});

describe('live', () => {
  it('pushes an order placed, paid, bumped item by item and whole, to its store’s manager and to owners only', async () => {
    const manager = await connect(asPage(await signIn('manager', [stack.storeId])));
    const otherManager = await connect(asPage(await signIn('manager', [otherStoreId])));
    const chain = await connect(asPage(await signIn('owner')));
    // Held until staff take the money at the counter.
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { counterPayment: 'hold' } })).status).toBe(200);
    await eventually(async () => (await kiosk.core.api.getStatus()).kiosk?.counterPayment === 'hold');

    const placed = await kiosk.core.api.placeOrder(await latteAndCroissants(kiosk));
    const arrived = await eventually(() => received(manager, 'order.placed', placed.id)[0]);
    expect(arrived).toMatchObject({
      storeId: stack.storeId,
      order: {
        number: placed.number,
        status: 'preparing',
        startedAt: null,
        payment: { method: 'counter', paid: false, held: true },
        service: { mode: 'eat-in', table: '7' },
        totalCents: 900,
        lines: [
          { lineNo: 1, name: 'Caffè Latte', quantity: 1, done: false },
          { lineNo: 2, name: 'Butter Croissant', quantity: 2, done: false },
        ],
      },
    });

    const ticket = () => kitchen.core.api.listTickets().then((list) => list.active.find((t) => t.id === placed.id));
    await eventually(ticket);
    await kitchen.core.api.markPaid({ orderId: placed.id });
    const paid = await eventually(() => received(manager, 'order.paid', placed.id)[0]);
    expect(paid).toMatchObject({ storeId: stack.storeId, paidAt: expect.any(String) });

    await kitchen.core.api.bumpItem({ orderId: placed.id, lineNo: 2 });
    const lines = await eventually(() => received(manager, 'order.lines', placed.id)[0]);
    expect(lines).toMatchObject({ lineNos: [2], done: true, hlc: expect.any(String) });

    await kitchen.core.api.bumpTicket({ orderId: placed.id });
    await eventually(() => received(manager, 'order.status', placed.id).some((c) => c.status === 'ready'));

    // The owner got the same; another store's manager nothing of it.
    await eventually(() => received(chain, 'order.status', placed.id).length > 0);
    expect(chain.changes.filter((c) => c.storeId === stack.storeId).map((c) => c.kind)).toEqual(manager.changes.map((c) => c.kind));
    expect(otherManager.changes).toEqual([]);

    // The other store's order reaches its manager and the owner, not this store's manager.
    const elsewhere = await placeEspresso(otherKiosk);
    await eventually(() => otherManager.changes.some((c) => c.kind === 'order.placed' && c.order.id === elsewhere));
    await eventually(() => chain.changes.some((c) => c.kind === 'order.placed' && c.order.id === elsewhere));
    expect(manager.changes.every((c) => c.storeId === stack.storeId)).toBe(true);

    // What was pushed is what the list then says.
    const listed = LiveOrdersSchema.parse((await owner.request('GET', `/api/live-orders?storeIds=${stack.storeId}`)).body).orders.find((o) => o.id === placed.id);
    expect(listed).toMatchObject({ status: 'ready', payment: { method: 'counter', paid: true, held: true }, startedAt: expect.any(String) });
    expect(listed!.startedAt).toBe(new Date(paid.paidAt).toISOString());
    // Served, it stays listed for half an hour after its last bump, then leaves the list.
    await kitchen.core.api.bumpTicket({ orderId: placed.id });
    await eventually(() => received(manager, 'order.status', placed.id).some((c) => c.status === 'served'));
    const listedIds = async () => LiveOrdersSchema.parse((await owner.request('GET', '/api/live-orders')).body).orders.map((o) => o.id);
    expect(await listedIds()).toContain(placed.id);
    stack.clock.offsetMs = 31 * 60_000;
    try {
      expect(await listedIds()).not.toContain(placed.id);
    } finally {
      stack.clock.offsetMs = 0;
    }
    for (const socket of [manager, otherManager, chain]) socket.socket.disconnect();
    expect((await owner.request('PATCH', `/api/stores/${stack.storeId}`, { kiosk: { counterPayment: 'to-kitchen' } })).status).toBe(200);
  });
});

describe('a socket ends with its session', () => {
  it('on sign-out, on signing out everywhere, on a new password (the other sessions), on a new role, and at its expiry', async () => {
    const email = 'ends@example.com';
    const first = await signIn('manager', [stack.storeId], email);
    const signingOut = await connect(asPage(first));
    expect((await first.rest.request('DELETE', '/api/sessions')).status).toBe(204);
    expect(await signingOut.closed).toBe('io server disconnect');

    // A new password ends the other sessions, and their sockets, but not the one that changed it.
    const laptop = await signIn('manager', [stack.storeId], email);
    const phone = await signIn('manager', [stack.storeId], email);
    const onLaptop = await connect(asPage(laptop));
    const onPhone = await connect(asPage(phone));
    const password = 'a new password for the live page';
    expect((await laptop.rest.request('POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: password })).status).toBe(204);
    expect(await onPhone.closed).toBe('io server disconnect');
    expect(onLaptop.socket.connected).toBe(true);

    const again = await connect(asPage(laptop));
    expect((await laptop.rest.request('DELETE', '/api/me/sessions')).status).toBe(200);
    expect(await Promise.all([onLaptop.closed, again.closed])).toEqual(['io server disconnect', 'io server disconnect']);

    // An owner changes their role: every session of theirs ends.
    const demoted = await signIn('manager', [], email, password);
    const watching = await connect(asPage(demoted));
    const { id } = await stack.db.adminUser.findUniqueOrThrow({ where: { email } });
    expect((await owner.request('PATCH', `/api/admins/${id}`, { role: 'manager', storeIds: [otherStoreId] })).status).toBe(200);
    expect(await watching.closed).toBe('io server disconnect');

    // A session that runs out while its page watches.
    const expiring = await signIn('manager', [], email, password);
    await stack.db.adminSession.updateMany({ where: { user: { email } }, data: { expiresAt: new Date(Date.now() + 1500) } });
    const late = await connect(asPage(expiring));
    const started = Date.now();
    expect(await late.closed).toBe('io server disconnect');
    expect(Date.now() - started).toBeGreaterThan(1000);
  });
});

describe('across server nodes', () => {
  it('pushes an order committed on one node to a page on another, and closes that page when it signs out on the first', async () => {
    const database = await createTestDatabase();
    const nodes: Array<{ server: SyncServer; url: string; close(): Promise<void> }> = [];
    try {
      for (let i = 0; i < 2; i++) {
        const fanout = postgresFanout(database.url, silentLogger);
        const connection = connectServerDatabase(database.url);
        const server = await createServer({ ...connection, adapter: fanout.adapter });
        const { url } = await server.listen(0);
        nodes.push({ server, url, close: async () => (await server.close(), await fanout.close(), await connection.close()) });
      }
      const db = createServerDb(database.url);
      const store = await createStore(db, DEMO_STORE);
      const version = await createMenuVersion(db, await loadDemoMenuDocument());
      await db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
      await createAdmin(db, { email: 'nodes@example.com', name: 'Ann', password: PASSWORD, role: 'manager', storeIds: [store.id] });
      const started = await call(nodes[0]!.url, 'POST', '/api/sessions', { email: 'nodes@example.com', password: PASSWORD, cookie: true });
      const rest = cookieClient(nodes[0]!.url, started);
      const page = await connect({ cookie: rest.token, origin: nodes[1]!.url }, nodes[1]!.url);

      const { token } = await registerDevice(db, { storeId: store.id, role: 'kiosk', name: 'Door' });
      const core = await createTerminalCore({ databaseFile: join(stack.dir, 'nodes-kiosk.db'), serverUrl: nodes[0]!.url, deviceToken: token });
      try {
        const menu = await eventually(async () => (await core.api.getMenu()) as MenuView | null);
        const { id: orderId } = await core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
        await eventually(() => received(page, 'order.placed', orderId).length > 0);
      } finally {
        await core.close();
      }
      expect((await rest.request('DELETE', '/api/sessions')).status).toBe(204);
      expect(await page.closed).toBe('io server disconnect');
      await db.$disconnect();
    } finally {
      for (const node of nodes) await node.close();
      await database.drop();
    }
  });
});
