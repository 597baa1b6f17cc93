// A menu change reaching every terminal of a store: published by head office through the admin API,
// committed, pushed, applied and acknowledged. 100 real terminal cores (each with its own SQLite
// file); 1,000 light protocol clients that validate each change with the protocol's schemas and
// acknowledge it. Baseline: a raw Socket.IO broadcast of a payload of the same size to the same
// number of sockets, acknowledged by each.
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import type { TerminalCore } from '../../electron/core/terminalCore';
import { LiveChangesSchema } from '../../sync-server/protocol/events';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { startWorld, type BenchCluster, type BenchWorld } from './benchStack';
import { ms, percentile, report } from './stats';

const ROUNDS = 10;

async function baseline(sockets: number, payloadBytes: number): Promise<number[]> {
  const server = new Server({ transports: ['websocket'] });
  server.listen(0);
  const port = (server.httpServer!.address() as { port: number }).port;
  const clients: Socket[] = await Promise.all(
    Array.from({ length: sockets }, () => {
      const client = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
      client.on('change', (_payload: unknown, ack: () => void) => ack());
      return new Promise<Socket>((resolve) => client.once('connect', () => resolve(client)));
    }),
  );
  const payload = 'x'.repeat(payloadBytes);
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      let acked = 0;
      for (const socket of server.sockets.sockets.values()) {
        socket.emit('change', payload, () => {
          samples.push(performance.now() - started);
          if (++acked === sockets) resolve();
        });
      }
    });
  }
  clients.forEach((c) => c.close());
  await new Promise((r) => server.close(() => r(undefined)));
  return samples;
}

/** Publishes the menu again ROUNDS times; `arrivals` resolves with each terminal's latency. */
async function publishRounds(world: BenchWorld, storeId: string, waitForAll: (started: number) => Promise<number[]>): Promise<number[]> {
  const admin = await adminClient(world.database.db, world.url);
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const arrivals = waitForAll(started);
    const answer = await admin.request('POST', `/api/menus/${world.menuVersionId}/publish`, { storeIds: [storeId] });
    if (answer.status !== 200) throw new Error(`publish failed: ${JSON.stringify(answer.body)}`);
    samples.push(...(await arrivals));
  }
  return samples;
}

async function withRealCores(world: BenchWorld, storeId: string, count: number): Promise<number[]> {
  const cores: TerminalCore[] = [];
  for (let i = 0; i < count; i++) cores.push(await world.core(storeId, 'kiosk'));
  return publishRounds(world, storeId, (started) =>
    Promise.all(
      cores.map(
        (core) =>
          new Promise<number>((resolve) => {
            // The core reports "menu" once the change is applied in its SQLite file and acknowledged.
            const stop = core.onEvent((event) => {
              if (event.type !== 'menu') return;
              stop();
              resolve(performance.now() - started);
            });
          }),
      ),
    ),
  );
}

async function withLightClients(world: BenchWorld, storeId: string, count: number): Promise<number[]> {
  const clients: ProtocolClient[] = [];
  for (let i = 0; i < count; i += 50) {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async () => {
          const { token } = await world.device(storeId, 'board');
          return connectProtocolClient(world.url, { token }, { keepLive: false });
        }),
      )),
    );
  }
  const samples = await publishRounds(world, storeId, (started) =>
    Promise.all(
      clients.map(
        (client) =>
          new Promise<number>((resolve) => {
            client.socket.once('feed:changes', (batch: unknown) => {
              const { changes } = LiveChangesSchema.parse(batch);
              client.socket.emit('feed:applied', { seq: changes.at(-1)!.seq });
              resolve(performance.now() - started);
            });
          }),
      ),
    ),
  );
  clients.forEach((c) => c.close());
  return samples;
}

export async function menuFanOut(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 2);
  try {
    const payloadBytes = JSON.stringify(await loadDemoMenuDocument()).length;
    const hundred = await withRealCores(world, world.stores[0]!, 100);
    const thousand = await withLightClients(world, world.stores[1]!, 1000);
    const [base100, base1000] = [await baseline(100, payloadBytes), await baseline(1000, payloadBytes)];
    const row = (n: number, samples: number[], base: number[], target: number, who: string) => ({
      name: `menu publish applied and acknowledged by ${n} ${who} (${ROUNDS} publishes)`,
      value: `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`,
      baseline: `raw Socket.IO broadcast with acknowledgement to ${n} sockets: p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}`,
      target: `p99 ≤ ${target} ms`,
      verdict: (percentile(samples, 99) <= target ? 'met' : 'missed') as 'met' | 'missed',
    });
    report([row(100, hundred, base100, 50, 'terminal cores'), row(1000, thousand, base1000, 250, 'protocol clients')]);
  } finally {
    await world.close();
  }
}
