// One device misbehaving, the rest of the chain carrying on (invariant 9). A kiosk token floods the
// server with eight pushes of 100 orders in flight at once for 10 s, ignoring every request to
// wait, while 20 kiosks of 10 other stores order as usual; then kitchens ask for twenty snapshots
// of a store with 5,000 open orders at once while /health is probed. Baselines: the same kiosks'
// pushes before the flood, and /health before the snapshots.
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { PushResponse } from '#protocol/events';
import type { Result } from '#protocol/errors';
import { loopbackAddress } from '../support/addresses';
import { LoadKiosk } from '../support/loadKiosk';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { startWorld, type BenchCluster, type BenchWorld } from './benchStack';
import { ms, percentile, report } from './stats';

const FLOOD_SECONDS = 10;
const IN_FLIGHT = 8;
const NEIGHBOURS = 20;
const QUIET_SECONDS = 5;
const OPEN_ORDERS = 5000;
const SNAPSHOTS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Neighbours each push one order every 200 ms until stopped; returns each push's round trip. */
function keepOrdering(neighbours: LoadKiosk[]) {
  const samples: number[] = [];
  let running = true;
  const done = Promise.all(
    neighbours.map(async (kiosk, i) => {
      await sleep(i * 10);
      while (running) {
        const started = performance.now();
        await kiosk.push(kiosk.build(1));
        samples.push(performance.now() - started);
        await sleep(200);
      }
    }),
  );
  return {
    samples,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

async function healthTimes(url: string, whileRunning: () => boolean): Promise<{ times: number[]; failures: number }> {
  const times: number[] = [];
  let failures = 0;
  do {
    const started = performance.now();
    const status = (await fetch(`${url}/health`)).status;
    times.push(performance.now() - started);
    if (status !== 200) failures += 1;
    await sleep(20);
  } while (whileRunning());
  return { times, failures };
}

async function snapshotStorm(world: BenchWorld, storeId: string) {
  // A store with a very long day's open orders, uploaded by three kiosks.
  for (let k = 0; k < 3; k++) {
    const { token, orderPrefix } = await world.device(storeId, 'kiosk');
    const kiosk = await LoadKiosk.connect(world.url, token, orderPrefix!, world.menu, loopbackAddress(1000 + k));
    for (let sent = 0; sent < OPEN_ORDERS / 3; sent += 100) await kiosk.push(kiosk.build(100));
    kiosk.close();
  }
  const idle = await healthTimes(world.url, (() => {
    const until = performance.now() + 3000;
    return () => performance.now() < until;
  })());
  const kitchens: ProtocolClient[] = [];
  for (let i = 0; i < SNAPSHOTS; i++) {
    const { token } = await world.device(storeId, 'kitchen');
    kitchens.push(await connectProtocolClient(world.url, { token }, { keepLive: false, localAddress: loopbackAddress(2000 + i) }));
  }
  let storming = true;
  let refused = 0;
  let served = 0;
  const storm = (async () => {
    // One kitchen asks twenty times at once; twenty kitchens ask once each, at the same moment.
    const answers = await Promise.all([
      ...Array.from({ length: SNAPSHOTS }, () => kitchens[0]!.request('feed:snapshot', {}, 60_000)),
      ...kitchens.slice(1).map((k) => k.request('feed:snapshot', {}, 60_000)),
    ]);
    for (const answer of answers as Array<Result<unknown>>) {
      if (answer.ok) served += 1;
      else refused += 1;
    }
    storming = false;
  })();
  const busy = await healthTimes(world.url, () => storming);
  await storm;
  kitchens.forEach((k) => k.close());
  return { idle, busy, served, refused };
}

export async function flood(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 2 + NEIGHBOURS / 2);
  try {
    const [floodStore, snapshotStore, ...others] = world.stores;
    const neighbours = await Promise.all(
      Array.from({ length: NEIGHBOURS }, async (_, i) => {
        const { token, orderPrefix } = await world.device(others[i % others.length]!, 'kiosk');
        return LoadKiosk.connect(world.url, token, orderPrefix!, world.menu, loopbackAddress(i % others.length));
      }),
    );
    const quiet = keepOrdering(neighbours);
    await sleep(QUIET_SECONDS * 1000);
    await quiet.stop();

    const { device, token } = await registerDevice(world.database.db, { storeId: floodStore!, role: 'kiosk', name: 'flooding kiosk' });
    // The orders it floods with: numbered on, one after another, whichever socket sends them.
    const orders = await LoadKiosk.connect(world.url, token, device.orderPrefix!, world.menu, loopbackAddress(500));
    orders.close();
    const loud = keepOrdering(neighbours);
    let accepted = 0;
    let refusals = 0;
    let reconnects = 0;
    const until = performance.now() + FLOOD_SECONDS * 1000;
    // Two sockets, four pushes in flight on each; cut off, it connects again at once.
    await Promise.all(
      [0, 1].map(async () => {
        while (performance.now() < until) {
          const socket = await connectProtocolClient(world.url, { token }, { keepLive: false, localAddress: loopbackAddress(500) }).catch(() => null);
          if (!socket) {
            await sleep(50);
            continue;
          }
          reconnects += 1;
          await Promise.all(
            Array.from({ length: IN_FLIGHT / 2 }, async () => {
              while (performance.now() < until && socket.socket.connected) {
                const answer = (await socket.request<PushResponse>('mutations:push', { mutations: orders.build(100) }, 60_000).catch(() => null)) as Result<PushResponse> | null;
                if (answer?.ok) accepted += answer.data.results.filter((r) => r.outcome === 'applied').length;
                else refusals += 1;
              }
            }),
          );
          socket.close();
        }
      }),
    );
    await loud.stop();
    neighbours.forEach((k) => k.close());
    const stored = (await world.database.db.order.count({ where: { deviceId: device.id } })) as number;

    const storm = await snapshotStorm(world, snapshotStore!);
    report([
      {
        name: `orders accepted from one kiosk token flooding for ${FLOOD_SECONDS} s (${IN_FLIGHT} pushes of 100 in flight, ignoring every request to wait)`,
        value: `${accepted} orders (${stored} stored; ${refusals} pushes refused, ${reconnects} connections)`,
        baseline: 'its budget: a burst of 2,500 an hour, then 300 a minute',
        target: 'the budget, no more',
        verdict: accepted <= 2800 && stored === accepted ? 'met' : 'missed',
      },
      {
        name: `${NEIGHBOURS} kiosks of other stores, one order every 200 ms each, while the flood runs: push round trip`,
        value: `p50 ${ms(percentile(loud.samples, 50))}, p99 ${ms(percentile(loud.samples, 99))} (${loud.samples.length} pushes)`,
        baseline: `the same kiosks before the flood: p50 ${ms(percentile(quiet.samples, 50))}, p99 ${ms(percentile(quiet.samples, 99))}`,
      },
      {
        name: `GET /health while one kitchen asks for ${SNAPSHOTS} snapshots at once and ${SNAPSHOTS - 1} more kitchens for one each (${OPEN_ORDERS} open orders)`,
        value: `p95 ${ms(percentile(storm.busy.times, 95))}, ${storm.busy.failures} of ${storm.busy.times.length} not 200; snapshots served ${storm.served}, told to wait ${storm.refused}`,
        baseline: `/health with nothing else running: p95 ${ms(percentile(storm.idle.times, 95))}`,
        target: 'every /health answered 200',
        verdict: storm.busy.failures === 0 ? 'met' : 'missed',
      },
    ]);
  } finally {
    await world.close();
  }
}
