// A menu change reaching every terminal of a store: made by head office through the admin API,
// committed, pushed, applied and acknowledged. 100 real terminal cores (each with its own SQLite
// file, ten to a process); 1,000 light protocol clients that validate each change with the
// protocol's schemas and acknowledge it. Baseline: a raw Socket.IO broadcast of a payload of the same size to the same
// number of sockets, acknowledged by each.
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { runTs, type Child } from '../support/childProcess';
import { LiveChangesSchema } from '#protocol/events';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { loopbackAddress } from '../support/addresses';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { startWorld, type BenchCluster, type BenchWorld } from './benchStack';
import { ms, percentile, report } from './stats';

const ROUNDS = 10;

/** A raw Socket.IO broadcast of `payloadBytes` to `sockets` clients, each acknowledging: the floor a change's fan-out is compared with. */
export async function broadcastBaseline(sockets: number, payloadBytes: number, rounds = ROUNDS): Promise<number[]> {
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
  for (let round = 0; round < rounds; round++) {
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

type Change = 'sold-out toggle' | 'new menu version';

/**
 * Makes ROUNDS changes of one kind through the admin API; `arrivals` resolves with each
 * terminal's latency for the round. New menu versions are created beforehand: publishing is timed.
 */
async function changeRounds(world: BenchWorld, storeId: string, kind: Change, arrivals: (started: number) => Promise<number[]>): Promise<number[]> {
  const admin = await adminClient(world.database.db, world.url);
  const versions: string[] = [];
  if (kind === 'new menu version') {
    const document = await loadDemoMenuDocument();
    for (let round = 0; round < ROUNDS; round++) {
      document.name = `Bench menu ${round}`;
      document.items[0]!.priceCents += 10;
      versions.push((await admin.request<{ id: string }>('POST', '/api/menus', document)).body.id);
    }
  }
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const arrived = arrivals(started);
    const answer =
      kind === 'new menu version'
        ? await admin.request('POST', `/api/menus/${versions[round]}/publish`, { storeIds: [storeId] })
        : await admin.request('PUT', `/api/stores/${storeId}/items/croissant/availability`, { available: round % 2 === 1 });
    if (answer.status !== 200) throw new Error(`change failed: ${JSON.stringify(answer.body)}`);
    samples.push(...(await arrived));
  }
  return samples;
}

const FLEET_SIZE = 10;

async function withRealCores(world: BenchWorld, storeId: string, count: number, kind: Change, dir: string): Promise<number[]> {
  const fleets: Child[] = [];
  for (let i = 0; i < count; i += FLEET_SIZE) {
    const tokens = await Promise.all(Array.from({ length: FLEET_SIZE }, async () => (await world.device(storeId, 'kiosk')).token));
    const fleet = runTs('tests/bench/terminalFleet.ts', { SERVER_URL: world.url, TOKENS: tokens.join(','), DIR: dir });
    fleets.push(fleet);
  }
  await Promise.all(fleets.map((fleet) => fleet.waitFor(/^ready$/, 60_000)));
  const epoch = () => performance.timeOrigin + performance.now();
  const samples = await changeRounds(world, storeId, kind, async () => {
    const started = epoch();
    // Each core prints when it has applied the change (and so acknowledged it): take each core's
    // first report after the change was made.
    return new Promise<number[]>((resolve) => {
      const poll = setInterval(() => {
        const firsts = new Map<string, number>();
        fleets.forEach((fleet, f) => {
          for (const line of fleet.lines) {
            const [, core, at] = line.split(' ');
            const key = `${f}/${core}`;
            if (line.startsWith('menu ') && Number(at) >= started && !firsts.has(key)) firsts.set(key, Number(at) - started);
          }
        });
        if (firsts.size < count) return;
        clearInterval(poll);
        resolve([...firsts.values()]);
      }, 2);
    });
  });
  await Promise.all(fleets.map((fleet) => fleet.kill()));
  return samples;
}

async function withLightClients(world: BenchWorld, storeId: string, count: number, kind: Change): Promise<number[]> {
  const clients: ProtocolClient[] = [];
  for (let i = 0; i < count; i += 50) {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
          const { token } = await world.device(storeId, 'board');
          return connectProtocolClient(world.url, { token }, { keepLive: false, localAddress: loopbackAddress(i + j) });
        }),
      )),
    );
  }
  const samples = await changeRounds(world, storeId, kind, (started) =>
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
  const world = await startWorld(cluster, 4);
  try {
    const menuBytes = JSON.stringify(await loadDemoMenuDocument()).length;
    const rows = [];
    for (const [i, kind] of (['sold-out toggle', 'new menu version'] as const).entries()) {
      const bytes = kind === 'new menu version' ? menuBytes : 120;
      const hundred = await withRealCores(world, world.stores[i * 2]!, 100, kind, cluster.dir);
      const thousand = await withLightClients(world, world.stores[i * 2 + 1]!, 1000, kind);
      const [base100, base1000] = [await broadcastBaseline(100, bytes), await broadcastBaseline(1000, bytes)];
      const row = (n: number, samples: number[], base: number[], target: number, who: string) => ({
        name: `${kind} applied and acknowledged by ${n} ${who} (${ROUNDS} changes)`,
        value: `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`,
        baseline: `raw Socket.IO broadcast of ${bytes} bytes with acknowledgement to ${n} sockets: p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}`,
        target: `p99 ≤ ${target} ms`,
        verdict: (percentile(samples, 99) <= target ? 'met' : 'missed') as 'met' | 'missed',
      });
      rows.push(row(100, hundred, base100, 50, 'terminal cores (10 processes)'), row(1000, thousand, base1000, 250, 'protocol clients'));
    }
    report(rows);
  } finally {
    await world.close();
  }
}
