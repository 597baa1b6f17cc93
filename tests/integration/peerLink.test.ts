// The store's LAN: terminals take each other's orders and bumps straight from each other, over
// mutual TLS with certificates signed by the store's authority, on real SQLite files and real
// sockets on 127.0.0.1. Only the store's devices get in, each speaks only for itself and its role,
// and what also comes by the server's feed lands once.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTerminalDb, type TerminalDb } from '../../electron/core/db/terminalDb';
import { sendToKitchen } from '../../electron/core/orders/placeOrder';
import { mergeStatusEvents } from '../../electron/core/orders/orderRows';
import { PEER_FEED_KEPT_MS, publishToPeers, type PeerChange } from '../../electron/core/peers/peerFeed';
import { PeerLink } from '../../electron/core/peers/peerLink';
import type { PeerIdentity, StorePeer } from '../../electron/core/peers/peerRules';
import type { TerminalEvent } from '../../electron/core/api/contract';
import { applyChanges } from '../../electron/core/sync/applyChanges';
import { TerminalClock } from '../../electron/core/terminalClock';
import { terminalMigrationsDir } from '../../electron/core/terminalCore';
import { createStoreAuthority, type StoreAuthority } from '../../sync-server/devices/storeAuthority';
import type { DeviceRole } from '#protocol/events';
import { uuidv7 } from '#protocol/ids';
import type { OrderRecord } from '#protocol/orders';
import { certifyAs, connectAs, dialAs } from '../support/peerDial';
import { eventually } from '../support/testStack';

interface Terminal {
  identity: PeerIdentity;
  db: TerminalDb;
  clock: TerminalClock;
  link: PeerLink | null;
  logged: Array<{ message: string; fields?: Record<string, unknown> }>;
  /** What the screens were told to re-read. */
  told: TerminalEvent[];
}

const STORE = randomUUID();
let dir: string;
let authority: StoreAuthority;
/** The store's device list every terminal reads, as the server's `store.peers` would give it. */
let directory: StorePeer[];
let terminals: Terminal[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-peers-'));
  authority = await createStoreAuthority(STORE, new Date());
  directory = [];
  terminals = [];
});
afterEach(async () => {
  for (const t of terminals) {
    await t.link?.stop();
    await t.db.close();
  }
  await rm(dir, { recursive: true, force: true });
});

const certify = (role: DeviceRole, { by = authority, storeId = STORE, deviceId = randomUUID() } = {}): Promise<PeerIdentity> => certifyAs(by, { deviceId, storeId, role });

/** A terminal on its own SQLite file, its peer link listening on 127.0.0.1 and listed in the store's directory. */
async function terminal(role: DeviceRole, options: Parameters<typeof certify>[1] & { listedAs?: DeviceRole; identity?: PeerIdentity; file?: string } = {}): Promise<Terminal> {
  const identity = options.identity ?? (await certify(role, options));
  const db = await openTerminalDb(join(dir, options.file ?? `${identity.deviceId}.db`), terminalMigrationsDir);
  const t: Terminal = { identity, db, clock: new TerminalClock(identity.deviceId, 0, null), link: null, logged: [], told: [] };
  terminals.push(t);
  await startLink(t, options.listedAs ?? role);
  return t;
}

async function startLink(t: Terminal, listedAs: DeviceRole = t.identity.role): Promise<void> {
  t.link = new PeerLink({
    sql: t.db.write,
    identity: t.identity,
    peers: () => directory,
    log: (message, fields) => t.logged.push({ message, fields }),
    emit: (event) => t.told.push(event),
    clock: () => t.clock,
    host: '127.0.0.1',
  });
  await t.link.start();
  directory = [
    ...directory.filter((p) => p.deviceId !== t.identity.deviceId),
    { deviceId: t.identity.deviceId, role: listedAs, name: `${listedAs} ${directory.length + 1}`, hosts: ['127.0.0.1'], port: t.link.port, revoked: false },
  ];
  for (const other of terminals) other.link?.refresh();
}

let numbers = 0;
function orderOf(kiosk: Terminal, deviceId = kiosk.identity.deviceId): OrderRecord {
  const placedAt = new Date();
  return {
    id: uuidv7(placedAt.getTime()),
    deviceId,
    number: `K${String(++numbers).padStart(3, '0')}`,
    businessDay: placedAt.toISOString().slice(0, 10),
    placedAt: placedAt.toISOString(),
    menuVersionId: randomUUID(),
    currency: 'EUR',
    lines: [
      { lineNo: 1, itemId: 'latte', name: 'Latte', quantity: 1, unitPriceCents: 350, lineTotalCents: 350, modifiers: [] },
      { lineNo: 2, itemId: 'cookie', name: 'Cookie', quantity: 2, unitPriceCents: 200, lineTotalCents: 400, modifiers: [] },
    ],
    subtotalCents: 750,
    taxCents: 0,
    totalCents: 750,
    status: 'preparing',
    statusHlc: null,
  };
}

/** The kiosk's own path: the order, its outbox entry and its peer feed entry in one transaction. */
function place(kiosk: Terminal, order = orderOf(kiosk)): OrderRecord {
  kiosk.db.write.transaction(() => sendToKitchen(kiosk.db.write, order));
  return order;
}

/** A kitchen moves an order, as tickets.ts does: locally, in its outbox, in its peer feed. */
function move(kitchen: Terminal, orderId: string, status: 'ready' | 'served') {
  const deviceId = kitchen.identity.deviceId;
  const hlc = kitchen.clock.tick();
  kitchen.db.write.transaction(() => {
    mergeStatusEvents(kitchen.db.write, [{ orderId, hlc, deviceId, status }]);
    publishToPeers(kitchen.db.write, { kind: 'order.status', orderId, status, hlc, deviceId });
  });
}

/** A kiosk and a kitchen that has taken one of its orders over the LAN. */
async function kioskAndKitchen() {
  const kiosk = await terminal('kiosk');
  const kitchen = await terminal('kitchen');
  const order = place(kiosk);
  await eventually(() => ordersOf(kitchen, order.id) === 1);
  return { kiosk, kitchen, order };
}

const ordersOf = (t: Terminal, id: string) => t.db.write.get<{ n: number }>('SELECT count(*) AS n FROM "Order" WHERE id = ?', id)!.n;
const linesOf = (t: Terminal, id: string) => t.db.write.get<{ n: number }>('SELECT count(*) AS n FROM OrderLine WHERE orderId = ?', id)!.n;
const statusOf = (t: Terminal, id: string) => t.db.write.get<{ status: string }>('SELECT status FROM "Order" WHERE id = ?', id)?.status;
const cursorOf = (t: Terminal, publisher: Terminal) => t.db.write.get<{ epoch: string; seq: number }>('SELECT epoch, seq FROM PeerCursor WHERE deviceId = ?', publisher.identity.deviceId);
const linkUp = (t: Terminal, to: Terminal) => t.link!.status().peers.find((p) => p.deviceId === to.identity.deviceId)?.up;
const loggedBreach = (t: Terminal) => t.logged.find((l) => l.message.startsWith('peer broke the rules'));

describe('delivery', () => {
  it("puts a kiosk's order on a kitchen once, even when the server's feed brings it too", async () => {
    const { kiosk, kitchen, order } = await kioskAndKitchen();
    expect(linesOf(kitchen, order.id)).toBe(2);
    expect(kitchen.told).toContainEqual({ type: 'orders' });

    // The same order by the cloud's path: still one ticket, with its lines once.
    applyChanges(kitchen.db.write, kitchen.clock, kitchen.identity.deviceId, [{ seq: 1, at: new Date().toISOString(), kind: 'order.placed', order }]);
    expect(ordersOf(kitchen, order.id)).toBe(1);
    expect(linesOf(kitchen, order.id)).toBe(2);
    expect(cursorOf(kitchen, kiosk)?.seq).toBe(1);
    expect(kitchen.link!.status().linksUp).toBe(1);
  });

  it("takes a kitchen's bump to the board and to the other kitchen", async () => {
    const kiosk = await terminal('kiosk');
    const grill = await terminal('kitchen');
    const expo = await terminal('kitchen');
    const board = await terminal('board');
    const order = place(kiosk);
    await eventually(() => [grill, expo, board].every((t) => ordersOf(t, order.id) === 1));

    move(expo, order.id, 'ready');
    await eventually(() => statusOf(board, order.id) === 'ready' && statusOf(grill, order.id) === 'ready');
    // The kiosk takes kitchens' changes too (payments at the pass); a board is nobody's publisher.
    expect(linkUp(kiosk, expo)).toBe(true);
    expect(board.link!.status().peers.map((p) => p.role).sort()).toEqual(['kiosk', 'kitchen', 'kitchen']);
    expect(kiosk.link!.status().peers.every((p) => p.role === 'kitchen')).toBe(true);
  });

  it('catches a subscriber up from its cursor after a restart', async () => {
    const { kiosk, kitchen } = await kioskAndKitchen();
    await kitchen.link!.stop();

    const missed = [place(kiosk), place(kiosk)];
    // Were it to subscribe from 0 instead of its cursor, the kitchen would be sent the first entry
    // again: made a breach here, to be seen.
    kiosk.db.write.run('UPDATE PeerFeed SET body = ? WHERE seq = 1', JSON.stringify({ ...JSON.parse(kiosk.db.write.get<{ body: string }>('SELECT body FROM PeerFeed WHERE seq = 1')!.body), kind: 'order.placed', order: orderOf(kiosk, randomUUID()) }));
    await startLink(kitchen);
    await eventually(() => missed.every((o) => ordersOf(kitchen, o.id) === 1));
    expect(cursorOf(kitchen, kiosk)?.seq).toBe(3);
    expect(loggedBreach(kitchen)).toBeUndefined();
  });

  it("starts again from 0 when the publisher's feed is a new one (its file was replaced)", async () => {
    const kiosk = await terminal('kiosk', { file: 'kiosk-before.db' });
    const kitchen = await terminal('kitchen');
    const before = [place(kiosk), place(kiosk)];
    await eventually(() => before.every((o) => ordersOf(kitchen, o.id) === 1));
    const oldEpoch = cursorOf(kitchen, kiosk)!.epoch;

    // The kiosk comes back on a fresh file: its feed numbers start at 1 again, under a new epoch.
    await kiosk.link!.stop();
    await kiosk.db.close();
    kiosk.db = await openTerminalDb(join(dir, 'kiosk-after.db'), terminalMigrationsDir);
    await startLink(kiosk);
    const after = place(kiosk);
    await eventually(() => ordersOf(kitchen, after.id) === 1);
    expect(cursorOf(kitchen, kiosk)).toEqual({ epoch: expect.not.stringMatching(oldEpoch), seq: 1 });
  });
});

/** A bare subscriber: dials a terminal's peer server as `identity`, trusting the store's authority alone. */
/** A subscriber at the door of `publisher`'s peer link. */
const connectTo = (publisher: Terminal, identity: PeerIdentity) => connectAs({ host: '127.0.0.1', port: publisher.link!.port }, identity, authority.certificatePem);

describe('subscribing', () => {
  it('sends the feed from where the subscriber says it is, then live', async () => {
    const kiosk = await terminal('kiosk');
    const orders = [place(kiosk), place(kiosk)];
    const socket = connectTo(kiosk, await certify('kitchen'));
    const seen: number[] = [];
    socket.on('peer:changes', ({ changes }) => seen.push(...changes.map((c) => c.seq)));
    const subscribed = await eventually(() => socket.connected && socket.emitWithAck('peer:subscribe', { epoch: null, after: 0 }));
    expect(subscribed).toMatchObject({ ok: true, data: { epoch: expect.any(String) } });
    await eventually(() => seen.length === 2);
    const epoch = (subscribed as { data: { epoch: string } }).data.epoch;
    // Where it stands in this epoch: only what follows.
    seen.length = 0;
    await socket.emitWithAck('peer:subscribe', { epoch, after: 1 });
    orders.push(place(kiosk));
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([2, 3]);
    expect(await socket.emitWithAck('peer:subscribe', { epoch: 'not an epoch', after: -1 } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    socket.close();
  });
});

describe('the feed', () => {
  it('forgets what is older than 2 days, now and then', async () => {
    const kiosk = await terminal('kiosk');
    const sql = kiosk.db.write;
    const longAgo = new Date(Date.now() - PEER_FEED_KEPT_MS - 60_000);
    const order = orderOf(kiosk);
    for (let i = 1; i < 256; i++) publishToPeers(sql, { kind: 'order.paid', orderId: order.id, paidAt: longAgo.toISOString(), deviceId: kiosk.identity.deviceId }, longAgo);
    expect(sql.get<{ n: number }>('SELECT count(*) AS n FROM PeerFeed')!.n).toBe(255);
    publishToPeers(sql, { kind: 'order.placed', order });
    expect(sql.all<{ seq: number }>('SELECT seq FROM PeerFeed')).toEqual([{ seq: 256 }]);
  });
});

describe('who is let in', () => {
  const dialTo = (kitchen: Terminal, identity: PeerIdentity) => dialAs({ host: '127.0.0.1', port: kitchen.link!.port }, identity, authority.certificatePem);

  it('lets a device of the store in', async () => {
    const kitchen = await terminal('kitchen');
    expect(await dialTo(kitchen, await certify('kiosk'))).toBe('connected');
  });

  it('refuses at TLS a certificate from another authority, and will not take its feed', async () => {
    const kitchen = await terminal('kitchen');
    const rogueAuthority = await createStoreAuthority(STORE, new Date());
    const rogue = await terminal('kiosk', { by: rogueAuthority });
    expect(await dialTo(kitchen, rogue.identity)).not.toBe('connected');
    const order = place(rogue);
    await eventually(() => kitchen.logged.some((l) => l.message === 'could not reach peer' && l.fields?.peer === rogue.identity.deviceId));
    expect(ordersOf(kitchen, order.id)).toBe(0);
    expect(linkUp(kitchen, rogue)).toBe(false);
  });

  it('refuses a removed device and a device of another store', async () => {
    const kitchen = await terminal('kitchen');
    const removed = await certify('kiosk');
    directory.push({ deviceId: removed.deviceId, role: 'kiosk', name: 'old kiosk', hosts: [], port: null, revoked: true });
    expect(await dialTo(kitchen, removed)).toBe('This device was removed from its store.');
    expect(await dialTo(kitchen, await certify('kiosk', { storeId: randomUUID() }))).toBe('The credentials are not valid.');
  });

  it('will not take a feed from a device other than the one listed at that address', async () => {
    const { kiosk, kitchen } = await kioskAndKitchen();
    // Another kiosk's entry now points at this kiosk's address.
    await kitchen.link!.stop();
    const other = await certify('kiosk');
    directory = [{ ...directory.find((p) => p.deviceId === kiosk.identity.deviceId)!, deviceId: other.deviceId }, ...directory.filter((p) => p.deviceId !== kiosk.identity.deviceId)];
    await startLink(kitchen);
    const later = place(kiosk);
    await eventually(() => kitchen.logged.some((l) => l.message === 'could not reach peer' && l.fields?.peer === other.deviceId));
    expect(ordersOf(kitchen, later.id)).toBe(0);
    expect(kitchen.link!.status().linksUp).toBe(0);
  });
});

describe('what a peer may publish', () => {
  it("drops a board's order, even when the store's list calls it a kiosk: its certificate decides", async () => {
    const board = await terminal('board', { listedAs: 'kiosk' });
    const kitchen = await terminal('kitchen');
    const order = place(board);
    await eventually(() => loggedBreach(kitchen));
    expect(loggedBreach(kitchen)!.fields).toMatchObject({ breach: 'a board may not publish order.placed' });
    expect(ordersOf(kitchen, order.id)).toBe(0);
    expect(cursorOf(kitchen, board)).toBeUndefined();
  });

  it("drops a kiosk's status change, and the whole page it came in", async () => {
    const { kiosk, kitchen, order } = await kioskAndKitchen();
    await kitchen.link!.stop();
    const status: PeerChange = { kind: 'order.status', orderId: order.id, status: 'served', hlc: kiosk.clock.tick(), deviceId: kiosk.identity.deviceId };
    const later = orderOf(kiosk);
    kiosk.db.write.transaction(() => publishToPeers(kiosk.db.write, status));
    place(kiosk, later);
    await startLink(kitchen);
    await eventually(() => loggedBreach(kitchen));
    expect(loggedBreach(kitchen)!.fields).toMatchObject({ breach: 'a kiosk may not publish order.status' });
    expect(statusOf(kitchen, order.id)).toBe('preparing');
    expect(ordersOf(kitchen, later.id)).toBe(0);
    expect(cursorOf(kitchen, kiosk)?.seq).toBe(1);
  });

  it("drops an order a kiosk passes off as another kiosk's", async () => {
    const kiosk = await terminal('kiosk');
    const kitchen = await terminal('kitchen');
    const order = place(kiosk, orderOf(kiosk, randomUUID()));
    await eventually(() => loggedBreach(kitchen));
    expect(String(loggedBreach(kitchen)!.fields?.breach)).toContain('not by the publisher');
    expect(ordersOf(kitchen, order.id)).toBe(0);
  });
});
