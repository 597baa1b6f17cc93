// Kiosk place-order → ticket on a kitchen display, through the server with a durable PostgreSQL
// commit. Both ends are real terminal cores with their own SQLite files. Baseline: a raw Socket.IO
// round trip plus a raw PostgreSQL commit, measured on the same machine in the same run.
import pg from 'pg';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import type { MenuView, TicketList } from '../../electron/core/api/contract';
import { eventually } from '../support/testStack';
import type { BenchCluster } from './benchStack';
import { ms, percentile, report } from './stats';

const ORDERS = 300;

async function baseline(cluster: BenchCluster): Promise<number[]> {
  const server = new Server({ transports: ['websocket'] });
  server.on('connection', (socket) => socket.on('ping', (ack: () => void) => ack()));
  server.listen(0);
  const port = (server.httpServer.address() as { port: number }).port;
  const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  await new Promise((r) => client.once('connect', () => r(undefined)));
  const { url } = await cluster.database();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query('CREATE TABLE bench_commit (id serial PRIMARY KEY, body text)');
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

export async function orderToKitchen(cluster: BenchCluster): Promise<void> {
  const stack = await cluster.stack();
  try {
    const kiosk = await stack.terminal('kiosk');
    const kitchen = await stack.terminal('kitchen');
    const menu = await eventually(async () => {
      const result = await kiosk.core.call('getMenu', undefined);
      return result.ok && (result.data as MenuView | null);
    });
    await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online');

    const samples: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const start = performance.now();
      const seen = new Promise<void>((resolve) => {
        const stop = kitchen.core.onEvent(async (event) => {
          if (event.type !== 'orders') return;
          // What the kitchen screen does on the event: read its tickets.
          const list = (await kitchen.core.call('listTickets', undefined)) as { ok: true; data: TicketList };
          if (list.data.active.some((t) => t.id === placedId)) {
            stop();
            resolve();
          }
        });
      });
      let placedId = '';
      const placed = await kiosk.core.call('placeOrder', { menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
      if (!placed.ok) throw new Error(placed.error.code);
      placedId = (placed.data as { id: string }).id;
      await seen;
      samples.push(performance.now() - start);
      // Bump it away, so the kitchen's list stays the size of a real service.
      await kitchen.core.call('bumpTicket', { orderId: placedId });
      await kitchen.core.call('bumpTicket', { orderId: placedId });
    }
    const base = await baseline(cluster);
    report([
      {
        name: `kiosk place-order → visible on the kitchen display (${ORDERS} orders, no background load)`,
        value: `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`,
        baseline: `raw Socket.IO round trip + raw PostgreSQL commit: p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}`,
      },
    ]);
  } finally {
    await stack.close();
  }
}
