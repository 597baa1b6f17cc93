// `npm start` keeps the demo running when one part fails: a hostile frame no longer takes a
// terminal down, and a terminal that dies anyway is named, explained and started again while the
// server and the other terminals carry on.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { runTs, type Child } from '../support/childProcess';
import { eventually } from '../support/testStack';

let dir: string;
let demo: Child;
let screens: Record<string, string>;
let server: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tillsync-demo-'));
  // Without DATABASE_URL: the demo runs its own embedded PostgreSQL, as on a fresh clone.
  const { DATABASE_URL: _external, ...env } = process.env;
  demo = runTs('electron/demo.ts', { ...(env as Record<string, string>), TILLSYNC_DATA_DIR: dir, TILLSYNC_NO_ELECTRON: '1' });
  await demo.waitFor(/Press Ctrl-C to stop/, 90_000);
  screens = Object.fromEntries(demo.lines.map((l) => /^\s+(kiosk|kitchen|board)\s+(http\S+)/.exec(l)).filter(Boolean).map((m) => [m![1]!, m![2]!]));
  server = /server\s+(http\S+)\/health/.exec(demo.lines.join('\n'))![1]!;
}, 120_000);
afterAll(async () => {
  await demo?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

const answers = async (url: string) => (await fetch(new URL('/screen-access', url)).catch(() => null))?.status === 200;

/** The process serving a terminal of the demo: found by the data folder in its environment. */
function terminalPid(role: string): number {
  const wanted = `TILLSYNC_DATA_DIR=${join(dir, 'terminals', role)}`;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(wanted)) return Number(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  throw new Error(`no process serves the ${role}`);
}

it('shrugs off a frame that once crashed a terminal', async () => {
  const ws = new WebSocket(`${new URL(screens.kiosk!).origin.replace('http', 'ws')}/api`, { origin: new URL(screens.kiosk!).origin });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const closed = new Promise((resolve) => ws.once('close', resolve));
  ws.send('x'.repeat(300 * 1024));
  await closed;
  expect(await answers(screens.kiosk!)).toBe(true);
  expect(demo.lines.join('\n')).not.toMatch(/stopped/);
});

it('says which terminal stopped and why, starts it again, and keeps the rest running', { timeout: 60_000 }, async () => {
  const pid = terminalPid('kitchen');
  process.kill(pid, 'SIGKILL');
  await demo.waitFor(/The kitchen display stopped \(killed by SIGKILL\)/, 10_000);
  await demo.waitFor(/Starting the kitchen display again/, 10_000);
  // The others never stopped, and the kitchen is back at the same address.
  expect(await answers(screens.kiosk!)).toBe(true);
  expect(await answers(screens.board!)).toBe(true);
  expect((await fetch(`${server}/health`)).status).toBe(200);
  await eventually(() => answers(screens.kitchen!), 30_000);
  expect(terminalPid('kitchen')).not.toBe(pid);
});
