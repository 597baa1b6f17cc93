// Head office's heavy moments, each beside a baseline from the same run:
// - menuPublish: a 1,000-item menu with a picture on every item published to a store of 100 real
//   terminal cores (ten to a process), timed until each has applied it, first with every picture
//   new to them (each kiosk fetches 2,000 files before it shows the menu) and then as later
//   publishes whose pictures they keep. Baseline: a raw Socket.IO broadcast of the same bytes.
// - csvImport: a 5,000-row spreadsheet checked in the browser's own function and through the API.
//   Baseline: the CSV parser alone reading the same file.
// - menuEditorLoad: the admin app's editor opened on a 1,000-item draft in Chromium until its
//   outline and problem list show. Baseline: the app's Stores page in the same browser.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import Papa from 'papaparse';
import sharp from 'sharp';
import { exportItemsCsv, importItemsCsv } from '#menus/itemsCsv';
import type { MenuDocument } from '#protocol/menu';
import { adminClient, uploadPicture, type AdminClient } from '../support/adminClient';
import { bigMenu } from '../support/bigMenu';
import { runTs, type Child } from '../support/childProcess';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser';
import { eventually } from '../support/testStack';
import { startWorld, type BenchCluster, type BenchWorld } from './benchStack';
import { broadcastBaseline } from './menuFanOut';
import { ms, percentile, report } from './stats';

const TERMINALS = 100;
const FLEET_SIZE = 10;
const LATER_ROUNDS = 5;

/** A 1,000-item menu whose every item has a picture of its own, uploaded to the server. */
async function photographedMenu(world: BenchWorld, admin: AdminClient, items: number): Promise<MenuDocument> {
  const { menu } = bigMenu(items);
  const queue = [...menu.items.keys()];
  // Small photos of their own colour: the conversion is not what is measured, the fan-out is.
  const upload = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const photo = await sharp({ create: { width: 160, height: 120, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: (i * 13) % 256 } } }).png().toBuffer();
      menu.items[i]!.image = await uploadPicture(world.url, admin.token, photo, `item-${i}.png`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, upload));
  for (const item of menu.items) item.storePrices = {};
  return menu;
}

/**
 * Publishes `versionId` and answers, for each core, when it applied the change (stored it and
 * acknowledged it: its first menu event) and when its screens switched to it (its second: a kiosk
 * shows a new version once its pictures have been fetched).
 */
async function publishTo(fleets: Child[], admin: AdminClient, versionId: string, storeId: string): Promise<{ applied: number[]; shown: number[] }> {
  const epoch = () => performance.timeOrigin + performance.now();
  const started = epoch();
  const seen = fleets.map((fleet) => fleet.lines.length);
  const answer = await admin.request('POST', `/api/menus/${versionId}/publish`, { storeIds: [storeId] });
  if (answer.status !== 200) throw new Error(`publish failed: ${JSON.stringify(answer.body)}`);
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      const events = new Map<string, number[]>();
      fleets.forEach((fleet, f) => {
        for (const line of fleet.lines.slice(seen[f])) {
          const [kind, core, at] = line.split(' ');
          if (kind === 'menu') events.set(`${f}/${core}`, [...(events.get(`${f}/${core}`) ?? []), Number(at) - started]);
        }
      });
      const both = [...events.values()].filter((times) => times.length >= 2);
      if (both.length < TERMINALS) return;
      clearInterval(poll);
      resolve({ applied: both.map((times) => times[0]!), shown: both.map((times) => times[1]!) });
    }, 5);
  });
}

export async function menuPublish(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 1);
  try {
    const [storeId] = world.stores;
    const admin = await adminClient(world.database.db, world.url);
    const menu = await photographedMenu(world, admin, 1000);
    const versions: string[] = [];
    // One more round of versions for a kiosk core alone, at the end.
    for (let round = 0; round <= LATER_ROUNDS * 2; round++) {
      menu.name = `Chain menu ${round}`;
      menu.items[0]!.priceCents += 10;
      const created = await admin.request<{ id: string }>('POST', '/api/menus', menu);
      if (created.status !== 201) throw new Error(`menu refused: ${JSON.stringify(created.body).slice(0, 500)}`);
      versions.push(created.body.id);
    }
    const fleets: Child[] = [];
    for (let i = 0; i < TERMINALS; i += FLEET_SIZE) {
      const tokens = await Promise.all(Array.from({ length: FLEET_SIZE }, async () => (await world.device(storeId!, 'kiosk')).token));
      fleets.push(runTs('tests/bench/terminalFleet.ts', { SERVER_URL: world.url, TOKENS: tokens.join(','), DIR: cluster.dir }));
    }
    await Promise.all(fleets.map((fleet) => fleet.waitFor(/^ready$/, 60_000)));
    const first = await publishTo(fleets, admin, versions[0]!, storeId!);
    const later = { applied: [] as number[], shown: [] as number[] };
    for (const version of versions.slice(1, LATER_ROUNDS + 1)) {
      const round = await publishTo(fleets, admin, version, storeId!);
      later.applied.push(...round.applied);
      later.shown.push(...round.shown);
    }
    await Promise.all(fleets.map((fleet) => fleet.kill()));
    // The same publishes to one kiosk core with the machine to itself: what a kiosk, which has its
    // own processor, spends; the figures above share this machine's two cores among a hundred.
    const alone = await world.core(storeId!, 'kiosk');
    // Its first menu comes with the snapshot; timed from when it shows it, pictures and all.
    await eventually(async () => (await alone.api.getMenu())?.versionId === versions[LATER_ROUNDS], 120_000);
    const single: number[] = [];
    for (const version of versions.slice(LATER_ROUNDS + 1)) {
      const started = performance.now();
      let stop = () => {};
      const shown = new Promise<void>((resolve) => (stop = alone.onEvent((event) => event.type === 'menu' && resolve())));
      await admin.request('POST', `/api/menus/${version}/publish`, { storeIds: [storeId] });
      await shown;
      stop();
      single.push(performance.now() - started);
    }
    const bytes = JSON.stringify(menu).length;
    const base = await broadcastBaseline(TERMINALS, bytes, LATER_ROUNDS);
    const baseline = `raw Socket.IO broadcast of ${Math.round(bytes / 1024)} KiB with acknowledgement to ${TERMINALS} sockets: p50 ${ms(percentile(base, 50))}, p99 ${ms(percentile(base, 99))}`;
    report([
      {
        name: `1,000-item menu (${Math.round(bytes / 1024)} KiB, 1,000 pictures new to the kiosks) published to ${TERMINALS} kiosk cores: applied (stored, acknowledged) / shown with its 2,000 picture files fetched`,
        value: `applied p50 ${ms(percentile(first.applied, 50))}, p99 ${ms(percentile(first.applied, 99))}; shown p50 ${ms(percentile(first.shown, 50))}, p99 ${ms(percentile(first.shown, 99))}`,
        baseline,
      },
      {
        name: `the same menu published again with a new price (${LATER_ROUNDS} publishes, pictures kept) to ${TERMINALS} kiosk cores: applied / shown`,
        value: `applied p50 ${ms(percentile(later.applied, 50))}, p99 ${ms(percentile(later.applied, 99))}; shown p50 ${ms(percentile(later.shown, 50))}, p99 ${ms(percentile(later.shown, 99))}`,
        baseline,
      },
      {
        name: `${LATER_ROUNDS} publishes of the same menu to one kiosk core alone, until shown (pictures kept)`,
        value: `p50 ${ms(percentile(single, 50))}, max ${ms(Math.max(...single))}`,
        baseline,
      },
    ]);
  } finally {
    await world.close();
  }
}

export async function csvImport(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 1);
  try {
    const admin = await adminClient(world.database.db, world.url);
    const { menu, pictures } = bigMenu(5000);
    for (const item of menu.items) delete item.image;
    const csv = exportItemsCsv(menu, { pictures });
    // The same file with every price changed: an import that changes 5,000 items.
    const changed = csv.replace(/,(\d+)\.(\d\d),/g, (_, whole: string, cents: string) => `,${Number(whole) + 1}.${cents},`);
    const time = (work: () => void, rounds = 5) => {
      const samples: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const started = performance.now();
        work();
        samples.push(performance.now() - started);
      }
      return samples;
    };
    const parseOnly = time(() => Papa.parse(changed, { header: true, skipEmptyLines: true }));
    const local = time(() => {
      const result = importItemsCsv(menu, changed);
      if (result.problems.length > 0) throw new Error(`import found problems: ${JSON.stringify(result.problems.slice(0, 3))}`);
    });
    const draft = await admin.request<{ id: string; revision: number }>('POST', '/api/menu-drafts', { name: 'Bench', currency: menu.currency });
    const saved = await admin.request<{ revision: number }>('PUT', `/api/menu-drafts/${draft.body.id}`, { revision: draft.body.revision, document: menu });
    if (saved.status !== 200) throw new Error(`draft refused: ${JSON.stringify(saved.body).slice(0, 300)}`);
    const overApi: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await fetch(new URL(`/api/menu-drafts/${draft.body.id}/items-csv`, world.url), { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin.token}` }, body: changed });
      const body = (await response.json()) as { counts?: { changed: number } };
      if (body.counts?.changed !== 5000) throw new Error(`API import: ${JSON.stringify(body).slice(0, 300)}`);
      overApi.push(performance.now() - started);
    }
    const baseline = `papaparse alone reading the same ${Math.round(changed.length / 1024)} KiB file: p50 ${ms(percentile(parseOnly, 50))}`;
    report([
      { name: 'CSV import of 5,000 rows (every price changed), checked in the browser\'s function (5 runs)', value: `p50 ${ms(percentile(local, 50))}, max ${ms(Math.max(...local))}`, baseline },
      { name: 'the same file previewed through the API (POST items-csv, 5 runs)', value: `p50 ${ms(percentile(overApi, 50))}, max ${ms(Math.max(...overApi))}`, baseline },
    ]);
  } finally {
    await world.close();
  }
}

export async function menuEditorLoad(cluster: BenchCluster): Promise<void> {
  // The app is served from its build; build it when this checkout has none.
  if (!existsSync('dist/admin/index.html')) execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.admin.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  const world = await startWorld(cluster, 1);
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS });
  try {
    const admin = await adminClient(world.database.db, world.url, { name: 'Bench admin' });
    const { menu } = bigMenu(1000);
    for (const item of menu.items) delete item.image;
    const draft = await admin.request<{ id: string; revision: number }>('POST', '/api/menu-drafts', { name: 'Bench', currency: menu.currency });
    await admin.request('PUT', `/api/menu-drafts/${draft.body.id}`, { revision: draft.body.revision, document: menu });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // Signed in as the app signs in: a cookie session.
    const signIn = await page.request.post(`${world.url}/api/sessions`, { data: { email: (await world.database.db.adminUser.findFirstOrThrow({ where: { name: 'Bench admin' } })).email, password: 'correct horse battery staple', cookie: true } });
    if (signIn.status() !== 201) throw new Error(`sign-in failed: ${signIn.status()}`);
    const open = async (path: string, shown: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 6; i++) {
        const started = performance.now();
        await page.goto(`${world.url}/admin${path}`);
        await page.locator(shown).first().waitFor();
        if (i > 0) samples.push(performance.now() - started); // the first warms the browser's cache, as a day's work would
      }
      return samples;
    };
    const stores = await open('/stores', '[data-store]');
    const editor = await open(`/menus/drafts/${draft.body.id}`, '[data-testid="problem-count"]');
    // Typing in the editor re-checks the whole 1,000-item document: the time until the list shows the problem.
    const retyped: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await page.getByTestId('item-price').fill(i % 2 ? '2.50' : '-1');
      await page.getByTestId('item-price').blur();
      await page.getByTestId('problem-count').filter({ hasText: i % 2 ? '0' : '1' }).waitFor();
      retyped.push(performance.now() - started);
    }
    await context.close();
    const baseline = `the app's Stores page in the same browser: p50 ${ms(percentile(stores, 50))}`;
    report([
      { name: 'menu editor opened on a 1,000-item draft until its outline and problems show (5 loads, warm cache)', value: `p50 ${ms(percentile(editor, 50))}, max ${ms(Math.max(...editor))}`, baseline },
      { name: 'a price typed in that editor until the whole document is checked again and the problem listed (5 edits)', value: `p50 ${ms(percentile(retyped, 50))}, max ${ms(Math.max(...retyped))}`, baseline: 'the editor waits 150 ms after the last change before it checks' },
    ]);
  } finally {
    await browser.close();
    await world.close();
  }
}
