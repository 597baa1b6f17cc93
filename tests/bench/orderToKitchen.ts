// Kiosk place-order → ticket visible on a kitchen display, through the server with a durable
// PostgreSQL commit, while other stores upload 500 orders a second. Both ends are real terminal
// cores with their own SQLite files; the background load comes from light protocol clients.
// Baseline: a raw Socket.IO round trip plus a raw PostgreSQL commit, in the same run.
import pg from 'pg';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import type { MenuView, TicketList } from '#terminal-api/contract';
import type { TerminalCore } from '../../electron/core/terminalCore';
import { eventually } from '../support/testStack';
import { startWorld, type BenchCluster } from './benchStack';
import { loopbackAddress } from '../support/addresses';
import { LoadKiosk } from '../support/loadKiosk';
import { ms, percentile, report } from './stats';

const ORDERS = 300;
const BACKGROUND_PER_SECOND = 500;
const BACKGROUND_KIOSKS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function baseline(databaseUrl: string): Promise<number[]> {
  const server = new Server({ transports: ['websocket'] });
  server.on('connection', (socket) => socket.on('ping', (ack: () => void) => ack()));
  server.listen(0);
  const port = (server.httpServer!.address() as { port: number }).port;
  const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  await new Promise((r) => client.once('connect', () => r(undefined)));
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => {}); // the cluster may stop under it when a run fails
  await db.connect();
  await db.query('CREATE TABLE IF NOT EXISTS bench_commit (id serial PRIMARY KEY, body text)');
  const samples: number[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const start = performance.now();
    await client.emitWithAck('ping');
    await db.query('BEGIN');
    await db.query('INSERT INTO bench_commit (body) VALUES ($1)', ['x'.repeat(500)]);
    await db.query('COMMIT');
    samples.push(performance.now() - start);
  }
  client.close();
  await db.end();
  await new Promise((r) => server.close(() => r(undefined)));
  return samples;
}

/** Resolves once the kitchen shows the order, reading its tickets on each change as its screen does. */
export function visibleOn(kitchen: TerminalCore, orderId: () => string): Promise<void> {
  return new Promise((resolve) => {
    let reading = false;
    let again = false;
    const read = async () => {
      if (reading) return void (again = true);
      reading = true;
      do {
        again = false;
        const list = (await kitchen.call('listTickets', undefined)) as { ok: true; data: TicketList };
        if (orderId() && list.data.active.some((t) => t.id === orderId())) {
          stop();
          return resolve();
        }
      } while (again);
      reading = false;
    };
    const stop = kitchen.onEvent((event) => void (event.type === 'orders' && read()));
  });
}

export async function orderToKitchen(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 1 + BACKGROUND_KIOSKS / 2);
  try {
    const [measured, ...others] = world.stores;
    const kiosk = await world.core(measured!, 'kiosk');
    const kitchen = await world.core(measured!, 'kitchen');
    const menu = (await eventually(() => kiosk.api.getMenu())) as MenuView;

    // Background: 20 kiosks of 10 other stores, 25 orders a second each.
    const load = await Promise.all(
      Array.from({ length: BACKGROUND_KIOSKS }, async (_, i) => {
        const { token, orderPrefix } = await world.device(others[i % others.length]!, 'kiosk');
        return LoadKiosk.connect(world.url, token, orderPrefix!, world.menu, loopbackAddress(i % others.length));
      }),
    );
    let loading = true;
    let backgroundSent = 0;
    const backgroundStarted = performance.now();
    const interval = (1000 * BACKGROUND_KIOSKS) / BACKGROUND_PER_SECOND;
    const background = load.map(async (client, i) => {
      await sleep((interval * i) / BACKGROUND_KIOSKS);
      let next = performance.now();
      while (loading) {
        const applied = await client.push(client.build(1));
        backgroundSent += applied;
        next += interval;
        await sleep(Math.max(0, next - performance.now()));
      }
    });

    const samples: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      let placedId = '';
      const start = performance.now();
      const seen = visibleOn(kitchen, () => placedId);
      placedId = (await kiosk.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 })).id;
      await seen;
      samples.push(performance.now() - start);
      // Bump it through to served, as a kitchen does, so the screen stays the size of a real service.
      await kitchen.api.bumpTicket({ orderId: placedId });
      await kitchen.api.bumpTicket({ orderId: placedId });
      await sleep(50);
    }
    loading = false;
    await Promise.all(background);
    const backgroundRate = backgroundSent / ((performance.now() - backgroundStarted) / 1000);
    load.forEach((c) => c.close());
    const base = await baseline(await cluster.database());
    const p99 = percentile(samples, 99);
    report([
      {
        name: `kiosk place-order → visible on the kitchen display (${ORDERS} orders, ${backgroundRate.toFixed(0)} orders/s of background load on other stores)`,
        value: `p50 ${ms(percentile(samples, 50))}, p99 ${ms(p99)}`,
        baseline: `raw Socket.IO round trip + raw PostgreSQL commit: p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}`,
        target: 'p99 ≤ 10 ms',
        verdict: p99 <= 10 ? 'met' : 'missed',
      },
    ]);
  } finally {
    await world.close();
  }
}
