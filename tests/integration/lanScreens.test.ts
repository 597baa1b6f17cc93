// A terminal serving its screen to the shop's network (TILLSYNC_HOST_BIND=0.0.0.0), driven from
// another device: a network namespace with its own address. Without the PIN shown on the
// terminal's own screen it gets nothing; with it, the screen works but can never pair or re-pair
// the terminal nor read the PIN; a new PIN shuts it out again; guessing is slow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../electron/host/webHost';
import { createLanNamespace, lanNamespaceUnavailable, type LanNamespace } from '../support/lanNamespace';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

const unavailable = lanNamespaceUnavailable();
if (unavailable) console.warn(`\nThe LAN screen tests are skipped: ${unavailable}.\n`);

let stack: TestStack;
let kitchen: TestTerminal;
let host: WebHost;
let device: LanNamespace;
let base: string;

beforeAll(async () => {
  if (unavailable) return;
  device = createLanNamespace();
  stack = await startTestStack();
  kitchen = await stack.terminal('kitchen');
  await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online');
  host = await startWebHost({ core: kitchen.core, rendererDir: stack.dir, host: '0.0.0.0' });
  base = `http://${device.hostAddress}:${host.port}`;
}, 60_000);
afterAll(async () => {
  if (unavailable) return;
  await host.close();
  await stack.close();
  device.close();
});

type Step = { kind: 'get'; path: string; host?: string } | { kind: 'pin'; pin: string } | { kind: 'call'; op: string; input?: unknown };
const fromTheTablet = async (steps: Step[]) => JSON.parse(await device.runTs('tests/support/lanScreenClient.ts', [base, JSON.stringify(steps)])) as Array<Record<string, unknown>>;
const pin = async () => ((await kitchen.core.call('getScreenAccess', undefined)) as { ok: true; data: { pin: string; urls: string[] } }).data;

describe.skipIf(unavailable)('a screen on another device of the network', () => {
  it('gets nothing without the PIN, and the terminal\'s own screen shows the PIN and where to open it', async () => {
    const access = await pin();
    expect(access.pin).toMatch(/^\d{6}$/);
    expect(access.urls).toContain(base);
    const [screenAccess, status] = await fromTheTablet([{ kind: 'get', path: '/screen-access' }, { kind: 'call', op: 'getStatus' }]);
    expect(screenAccess).toEqual({ status: 200, body: { local: false, granted: false } });
    expect(status).toEqual({ refused: 401 });
  });

  it('works once it gave the PIN, but may never pair the terminal or read the PIN', async () => {
    const right = (await pin()).pin;
    const wrong = right === '000000' ? '111111' : '000000';
    const [miss, hit, tickets, pairing, reading, again] = await fromTheTablet([
      { kind: 'pin', pin: wrong },
      { kind: 'pin', pin: right },
      { kind: 'call', op: 'listTickets' },
      { kind: 'call', op: 'pair', input: { serverUrl: 'http://10.0.0.66:4000', code: 'EVIL-C0DE' } },
      { kind: 'call', op: 'getScreenAccess' },
      { kind: 'get', path: '/screen-access' },
    ]);
    expect(miss).toMatchObject({ status: 403, cookie: null });
    expect(hit).toMatchObject({ status: 204 });
    expect(String(hit!.cookie)).toMatch(/^tillsync_screen=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(tickets).toMatchObject({ ok: true, data: { active: [] } });
    expect(pairing).toMatchObject({ ok: false, error: { code: 'LOCAL_ONLY' } });
    expect(reading).toMatchObject({ ok: false, error: { code: 'LOCAL_ONLY' } });
    expect(again).toEqual({ status: 200, body: { local: false, granted: true } });
  });

  it('is shut out again by a new PIN', async () => {
    const old = (await pin()).pin;
    const [hit] = await fromTheTablet([{ kind: 'pin', pin: old }]);
    expect(hit).toMatchObject({ status: 204 });
    const renewed = await kitchen.core.call('renewScreenPin', undefined);
    expect(renewed).toMatchObject({ ok: true, data: { screens: 0 } });
    const [, before] = await fromTheTablet([{ kind: 'pin', pin: old }, { kind: 'call', op: 'getStatus' }]);
    expect(before).toEqual({ refused: 401 });
  });

  it('makes guessing slow: after five wrong PINs even the right one waits', async () => {
    const right = (await pin()).pin;
    const guesses = Array.from({ length: 5 }, (_, i) => ({ kind: 'pin' as const, pin: String((Number(right) + i + 1) % 1_000_000).padStart(6, '0') }));
    // A right PIN first: it clears the wrong ones before it.
    const answers = await fromTheTablet([{ kind: 'pin', pin: right }, ...guesses, { kind: 'pin', pin: right }]);
    expect(answers.slice(1, 6).map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(answers[6]).toMatchObject({ status: 429 });
  });

  it('refuses a name that is not this machine\'s, and reaches nothing of a terminal that serves only itself', async () => {
    const [rebound] = await fromTheTablet([{ kind: 'get', path: '/screen-access', host: `evil.example:${host.port}` }]);
    expect(rebound).toMatchObject({ status: 421 });
    const own = await startWebHost({ core: kitchen.core, rendererDir: stack.dir });
    try {
      const [unreachable] = JSON.parse(await device.runTs('tests/support/lanScreenClient.ts', [`http://${device.hostAddress}:${own.port}`, JSON.stringify([{ kind: 'get', path: '/screen-access' }])])) as Array<{ status: number }>;
      expect(unreachable!.status).toBe(0);
    } finally {
      await own.close();
    }
  });
});
