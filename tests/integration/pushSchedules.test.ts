// Invariant 1 over thousands of generated schedules. A kiosk's real outbox (SQLite, the terminal's
// own enqueue/settle/renumber code) talks to the real server over two sockets, while fast-check
// picks what happens: orders placed, pushes sent in any order and subset, concurrently, with their
// answers lost; backups taken and restored; numbers far out of range sent by someone holding the
// token. After the kiosk's next session has drained its outbox, the server holds exactly the
// orders it ever applied plus those the kiosk still holds, and never said "duplicate" for content
// it does not hold.
import fc from 'fast-check';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalSql } from '../../electron/core/db/localSql';
import { migrateTerminalDatabase } from '../../electron/core/db/migrateTerminalDatabase';
import { insertOrders, uploadOf } from '../../electron/core/orders/orderRows';
import { enqueue, nextBatch, numberOutboxAfter, settle } from '../../electron/core/sync/outbox';
import { terminalMigrationsDir } from '../../electron/core/terminalCore';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { HelloResponse, Mutation, MutationResult, PushResponse } from '#protocol/events';
import { indexMenu, type MenuIndex } from '#protocol/menu';
import type { OrderRecord } from '#protocol/orders';
import { priceOrder } from '#protocol/pricing';
import { publishMenuVersion } from '#menus/menuCatalog';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { orderUpload } from '../support/orderUploads';
import { loopbackAddress } from '../support/addresses';
import { connectProtocolClient } from '../support/protocolClient';
import { startTestStack, type TestStack } from '../support/testStack';

const RUNS = Number(process.env.TILLSYNC_SCHEDULE_RUNS ?? 2000);

type Step =
  | { kind: 'place'; count: number }
  | { kind: 'push'; socket: 0 | 1; size: number; shuffle: boolean; wait: boolean; loseAck: boolean }
  | { kind: 'backup' }
  | { kind: 'restore' }
  | { kind: 'hostile'; id: number }
  | { kind: 'session' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('place' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      socket: fc.constantFrom(0 as const, 1 as const),
      size: fc.integer({ min: 1, max: 6 }),
      shuffle: fc.boolean(),
      wait: fc.boolean(),
      loseAck: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('backup' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hostile' as const), id: fc.constantFrom(2 ** 31 - 1, Number.MAX_SAFE_INTEGER, 1_000_000, 3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('session' as const) }) },
);

let stack: TestStack;
let menu: MenuIndex;
let template: string;
let run = 0;
const stores = new Map<number, Promise<string>>();

/** A store with room for another kiosk's order prefix: a new one every 500 kiosks. */
function storeFor(kiosk: number): Promise<string> {
  const block = Math.floor(kiosk / 500);
  let store = stores.get(block);
  if (!store) {
    store = (async () => {
      const created = await createStore(stack.db, { ...DEMO_STORE, name: `Schedules ${block}` });
      await stack.db.$transaction((tx) => publishMenuVersion(tx, stack.menuVersionId, [created.id]));
      return created.id;
    })();
    stores.set(block, store);
  }
  return store;
}

beforeAll(async () => {
  stack = await startTestStack();
  menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  template = join(stack.dir, 'template.db');
  await migrateTerminalDatabase(template, terminalMigrationsDir);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** One kiosk: its SQLite outbox, two sockets to the server, and a record of every answer it got. */
async function kiosk() {
  const n = ++run;
  const { device, token } = await registerDevice(stack.db, { storeId: await storeFor(n), role: 'kiosk', name: `schedule ${n}` });
  const file = join(stack.dir, `schedule-${n}.db`);
  copyFileSync(template, file);
  // Each kiosk from an address of its own, as if in a store of its own: connections are budgeted per address.
  const from = { keepLive: false, localAddress: loopbackAddress(n) };
  const sockets = [await connectProtocolClient(stack.url, { token }, from), await connectProtocolClient(stack.url, { token }, from)] as const;
  let sql = new LocalSql(file);
  let counter = 0;
  const applied = new Set<string>();
  const saidDuplicate = new Set<string>();
  const refused: MutationResult[] = [];
  const contentOf = (m: Mutation) => (m.kind === 'order.place' ? m.order.id : '');

  /** A push's answers, or null when the server asked it to wait (too many pushes at once): it goes again later. */
  async function push(socket: 0 | 1, mutations: Mutation[]): Promise<MutationResult[] | null> {
    const answer = await sockets[socket].request<PushResponse>('mutations:push', { mutations });
    if (!answer.ok && answer.error.code === 'RATE_LIMITED') return null;
    if (!answer.ok) throw new Error(`push refused whole: ${JSON.stringify(answer.error)}`);
    const byId = new Map(mutations.map((m) => [m.id, m]));
    for (const result of answer.data.results) {
      const orderId = contentOf(byId.get(result.id)!);
      if (result.outcome === 'applied') applied.add(orderId);
      else if (result.outcome === 'duplicate') saidDuplicate.add(orderId);
      else if (result.error?.code !== 'MUTATION_ID_REUSED') refused.push(result);
    }
    return answer.data.results;
  }

  return {
    device,
    file,
    applied,
    saidDuplicate,
    refused,
    get sql() {
      return sql;
    },
    place(count: number) {
      for (let i = 0; i < count; i++) {
        // Numbers come from the kiosk's counter, which the feed keeps past what the server holds.
        const upload = orderUpload(menu, `${device.orderPrefix}${String(++counter).padStart(3, '0')}`);
        const priced = priceOrder(menu, upload.lines, DEMO_STORE);
        const order: OrderRecord = { ...upload, deviceId: device.id, currency: priced.currency, lines: priced.lines, status: 'preparing', statusHlc: null };
        sql.transaction(() => {
          insertOrders(sql, [order], 'pending');
          enqueue(sql, { kind: 'order.place', order: uploadOf(order) });
        });
      }
    },
    push,
    settle(sent: Mutation[], results: MutationResult[]) {
      return settle(sql, sent, results);
    },
    /** A new session, as the terminal starts one: hello, then numbering on after the server's highest. */
    async session() {
      const hello = await sockets[0].request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
      if (!hello.ok) throw new Error(JSON.stringify(hello.error));
      numberOutboxAfter(sql, hello.data.lastMutationId);
    },
    backup(to: string) {
      sql.db.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(file, to);
    },
    restore(from: string) {
      sql.close();
      for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
      copyFileSync(from, file);
      sql = new LocalSql(file);
    },
    close() {
      sockets.forEach((s) => s.close());
      sql.close();
    },
  };
}

async function play(steps: Step[]): Promise<void> {
  const k = await kiosk();
  const backup = `${k.file}.backup`;
  let hasBackup = false;
  // Pushes in flight, and whether their answers may still be recorded (a restart loses them).
  let inFlight: Array<{ done: Promise<void>; lost: boolean }> = [];
  const dropInFlight = async () => {
    inFlight.forEach((p) => (p.lost = true));
    await Promise.all(inFlight.map((p) => p.done));
    inFlight = [];
  };
  try {
    for (const s of steps) {
      switch (s.kind) {
        case 'place':
          k.place(s.count);
          break;
        case 'push': {
          let batch = nextBatch(k.sql, s.size);
          if (batch.length === 0) break;
          if (s.shuffle) batch = [...batch].reverse();
          const entry = { lost: s.loseAck, done: Promise.resolve() };
          entry.done = k.push(s.socket, batch).then((results) => {
            if (results && !entry.lost) k.settle(batch, results);
          });
          // Handled where it is awaited; marked now, so a failure waiting for that is not "unhandled".
          entry.done.catch(() => {});
          inFlight.push(entry);
          if (s.wait) await entry.done;
          break;
        }
        case 'backup':
          await Promise.all(inFlight.map((p) => p.done));
          k.backup(backup);
          hasBackup = true;
          break;
        case 'restore':
          if (!hasBackup) break;
          // The terminal restarts on yesterday's file: answers on their way are lost with the process.
          await dropInFlight();
          k.restore(backup);
          await k.session();
          break;
        case 'hostile':
          // Someone holding the kiosk's token sends a number of their own choosing.
          await k.push(0, [{ id: s.id, kind: 'order.place', order: orderUpload(menu, `${k.device.orderPrefix}9${String(s.id % 99_999).padStart(5, '0')}`) }]);
          break;
        case 'session':
          await dropInFlight();
          await k.session();
          break;
      }
    }
    // The kiosk's next session drains its outbox, as the sync client does.
    await dropInFlight();
    await k.session();
    for (let rounds = 0; ; rounds++) {
      if (rounds > 50) throw new Error('the outbox does not drain');
      const batch = nextBatch(k.sql, 100);
      if (batch.length === 0) break;
      const results = await k.push(0, batch);
      if (!results) throw new Error('a lone push was told to wait');
      const { renumbered } = k.settle(batch, results);
      if (renumbered > 0) await k.session();
    }

    const server = new Set((await stack.db.order.findMany({ where: { deviceId: k.device.id }, select: { id: true } })).map((o) => o.id));
    const local = k.sql.all<{ id: string; syncState: string }>('SELECT id, syncState FROM "Order"');
    // Every order the kiosk holds is on the server, and the kiosk knows it.
    for (const o of local) {
      expect(server.has(o.id), `kiosk order ${o.id} missing on the server`).toBe(true);
      expect(o.syncState).toBe('synced');
    }
    // The server holds nothing else than what it applied; "duplicate" only ever named held orders.
    const expected = new Set([...k.applied, ...local.map((o) => o.id)]);
    expect([...server].sort()).toEqual([...expected].sort());
    for (const id of k.saidDuplicate) expect(server.has(id), `"duplicate" for ${id}, which the server does not hold`).toBe(true);
    // Nothing but the out-of-range numbers was refused.
    expect(k.refused.map((r) => r.error?.code).filter((code) => code !== 'MUTATION_ID_OUT_OF_RANGE')).toEqual([]);
  } finally {
    await Promise.all(inFlight.map((p) => p.done.catch(() => {})));
    k.close();
    rmSync(k.file, { force: true });
    rmSync(backup, { force: true });
  }
}

/** Kiosks whose schedules play at once, so their pushes also meet in the server's shared merges. */
const TOGETHER = 4;

it(`${RUNS} random schedules of pushes, lost answers, restores and stray numbers lose and double nothing`, { timeout: 600_000 }, async () => {
  const started = performance.now();
  const schedules = fc.array(fc.array(step, { minLength: 1, maxLength: 12 }), { minLength: TOGETHER, maxLength: TOGETHER });
  await fc.assert(
    fc.asyncProperty(schedules, async (together) => void (await Promise.all(together.map(play)))),
    { numRuns: Math.ceil(RUNS / TOGETHER) },
  );
  console.log(`push schedules: ${RUNS} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
});
