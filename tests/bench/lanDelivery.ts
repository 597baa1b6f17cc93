// The store's LAN with its internet cut (issue 11): kiosk place-order → ticket visible on every
// kitchen display, in a store of 2 kiosks, 3 kitchen displays and a board, all real terminal cores
// on one machine with their peer links on loopback addresses of their own. Baseline, same run and
// same terminals: the internet up, the order reaching the kitchens by both paths. Then the line
// comes back: how long until the server holds every order and every terminal has sent all it made.
import type { MenuView } from '#terminal-api/contract';
import type { TerminalCore } from '../../electron/core/terminalCore';
import { InternetSwitch } from '../../electron/internetSwitch';
import { eventually } from '../support/testStack';
import { startWorld, type BenchCluster } from './benchStack';
import { visibleOn } from './orderToKitchen';
import { ms, percentile, report } from './stats';

const ORDERS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every terminal is in `state` with its links up to the peers it takes changes from. */
async function linked(terminals: ReadonlyArray<{ core: TerminalCore; links: number }>, state: 'cloud' | 'lan'): Promise<void> {
  for (const { core, links } of terminals) {
    await eventually(async () => {
      const { link } = await core.api.getStatus();
      return link.state === state && link.peers === links;
    }, 60_000);
  }
}

export async function lanDelivery(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 1);
  const internet = new InternetSwitch({ host: '127.0.0.1', port: Number(new URL(world.url).port) });
  try {
    const serverUrl = await internet.listen();
    const [store] = world.stores;
    let host = 40;
    const terminal = (role: 'kiosk' | 'kitchen' | 'board') => world.core(store!, role, { serverUrl, lan: { host: `127.0.0.${++host}`, port: 0 } });
    const kiosks = [await terminal('kiosk'), await terminal('kiosk')];
    const kitchens = [await terminal('kitchen'), await terminal('kitchen'), await terminal('kitchen')];
    const board = await terminal('board');
    // A kitchen takes from 2 kiosks and 2 kitchens; the board from all 5; a kiosk from 3 kitchens.
    const everyone = [...kiosks.map((core) => ({ core, links: 3 })), ...kitchens.map((core) => ({ core, links: 4 })), { core: board, links: 5 }];
    await linked(everyone, 'cloud');
    const menu = (await eventually(() => kiosks[0]!.api.getMenu())) as MenuView;

    const placed: string[] = [];
    const measure = async (): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < ORDERS; i++) {
        let placedId = '';
        const start = performance.now();
        const seen = Promise.all(kitchens.map((kitchen) => visibleOn(kitchen, () => placedId)));
        placedId = (await kiosks[i % 2]!.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 })).id;
        await seen;
        samples.push(performance.now() - start);
        placed.push(placedId);
        // Through to served, as the pass does, so the screens stay the size of a real service.
        await kitchens[i % 3]!.api.bumpTicket({ orderId: placedId });
        await kitchens[i % 3]!.api.bumpTicket({ orderId: placedId });
        await sleep(20);
      }
      return samples;
    };

    const cloud = await measure();
    internet.cut();
    await linked(everyone, 'lan');
    const lan = await measure();

    const restored = performance.now();
    internet.restore();
    // Just reaching the server again, before anything is sent: the part of the wait that is reconnecting.
    const reconnectMs = await Promise.race(
      everyone.map(({ core }) => eventually(async () => (await core.api.getStatus()).link.state === 'cloud' && performance.now() - restored, 60_000)),
    );
    await eventually(async () => {
      if ((await world.database.db.order.count()) !== placed.length) return false;
      const statuses = await Promise.all(everyone.map(({ core }) => core.api.getStatus()));
      return statuses.every((s) => s.link.state === 'cloud' && s.pendingUploads === 0);
    }, 120_000);
    const convergedMs = performance.now() - restored;
    const served = await world.database.db.order.count({ where: { status: 'served' } });

    const p99 = percentile(lan, 99);
    report([
      {
        name: `kiosk place-order → visible on all 3 kitchen displays with the internet cut (2 kiosks, 3 kitchens, 1 board; ${ORDERS} orders)`,
        value: `p50 ${ms(percentile(lan, 50))}, p99 ${ms(p99)}`,
        baseline: `the same with the internet up (LAN and cloud): p50 ${ms(percentile(cloud, 50))}, p99 ${ms(percentile(cloud, 99))}`,
        target: 'p99 ≤ 1 s',
        verdict: p99 <= 1000 ? 'met' : 'missed',
      },
      {
        name: `after the line came back: the server holds all ${placed.length} orders (${served} served) and every terminal has sent what it made`,
        value: ms(convergedMs),
        baseline: `the first terminal reaching the server again: ${ms(reconnectMs)}`,
        target: 'within seconds',
        verdict: convergedMs <= 10_000 ? 'met' : 'missed',
      },
    ]);
  } finally {
    await internet.close();
    await world.close();
  }
}
