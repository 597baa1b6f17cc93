// Head office sees a store's internet outage and when it healed: each terminal's hello after an
// outage says since when it could not reach the server, and the server makes of the store's
// reports one outage naming every terminal that lived through it — across a restart too.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Result } from '#protocol/errors';
import { InternetSwitch } from '../../electron/internetSwitch';
import { OUTAGE_MIN_MS } from '../../electron/core/cloudOutage';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { OUTAGES_PAGE } from '../../sync-server/stores/storeOutages';
import { createStore } from '../../sync-server/stores/stores';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let internet: InternetSwitch;
let storeServerUrl: string;
beforeEach(async () => {
  stack = await startTestStack();
  internet = new InternetSwitch({ host: '127.0.0.1', port: Number(new URL(stack.url).port) });
  storeServerUrl = await internet.listen();
});
afterEach(async () => {
  await internet.close();
  await stack.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const linkOf = async (terminal: TestTerminal) => (await terminal.core.api.getStatus()).link.state;
const untilLink = (terminal: TestTerminal, state: 'cloud' | 'alone') => eventually(async () => (await linkOf(terminal)) === state, 20_000);
/** Long enough to be an outage, not a blip. */
const outlast = () => sleep(OUTAGE_MIN_MS + 1_000);
const outages = () => stack.db.storeOutage.findMany({ where: { storeId: stack.storeId }, orderBy: { startedAt: 'asc' } });

it("a store's kiosk and kitchen lose the line and come back: one outage naming both, from the cut to the return; head office reads it", { timeout: 60_000 }, async () => {
  const kiosk = await stack.terminal('kiosk', { serverUrl: storeServerUrl });
  const kitchen = await stack.terminal('kitchen', { serverUrl: storeServerUrl });
  for (const terminal of [kiosk, kitchen]) await untilLink(terminal, 'cloud');

  const cutAt = Date.now();
  internet.cut();
  for (const terminal of [kiosk, kitchen]) await untilLink(terminal, 'alone');
  await outlast();
  const backAt = Date.now();
  internet.restore();

  const [outage] = await eventually(async () => {
    const found = await outages();
    return found.length === 1 && found[0]!.devices.length === 2 && found;
  }, 20_000);
  expect([...outage!.devices].sort()).toEqual([kiosk.deviceId, kitchen.deviceId].sort());
  expect(Math.abs(outage!.startedAt.getTime() - cutAt)).toBeLessThan(3_000);
  expect(outage!.endedAt.getTime() - backAt).toBeGreaterThanOrEqual(0);
  expect(outage!.endedAt.getTime() - backAt).toBeLessThan(10_000);

  // Told once: the next sessions (a plain reconnect) add nothing.
  await stack.restartServer();
  for (const terminal of [kiosk, kitchen]) await untilLink(terminal, 'cloud');
  expect(await outages()).toHaveLength(1);

  const owner = await adminClient(stack.db, stack.url);
  const { status, body } = await owner.request<{ outages: Array<{ startedAt: string; endedAt: string; devices: string[] }>; nextBefore: string | null }>('GET', `/api/stores/${stack.storeId}/outages`);
  expect(status).toBe(200);
  expect(body).toEqual({ outages: [{ id: outage!.id, startedAt: outage!.startedAt.toISOString(), endedAt: outage!.endedAt.toISOString(), devices: outage!.devices }], nextBefore: null });
  // A manager of another store learns nothing of this one.
  const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
  const stranger = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [other.id] });
  expect((await stranger.request('GET', `/api/stores/${stack.storeId}/outages`)).status).toBe(404);
});

it("a terminal restarted during the outage still reports the outage's start", { timeout: 60_000 }, async () => {
  const kiosk = await stack.terminal('kiosk', { serverUrl: storeServerUrl });
  await untilLink(kiosk, 'cloud');
  const cutAt = Date.now();
  internet.cut();
  await untilLink(kiosk, 'alone');
  await sleep(2_000);
  await kiosk.close();
  const again = await stack.reopen(kiosk);
  await untilLink(again, 'alone');
  await outlast();
  internet.restore();
  const [outage] = await eventually(async () => {
    const found = await outages();
    return found.length === 1 && found;
  }, 20_000);
  expect(Math.abs(outage!.startedAt.getTime() - cutAt)).toBeLessThan(1_500);
  expect(outage!.devices).toEqual([kiosk.deviceId]);
});

it('a new terminal starting without the server has no outage to tell', { timeout: 60_000 }, async () => {
  internet.cut();
  const kiosk = await stack.terminal('kiosk', { serverUrl: storeServerUrl });
  await untilLink(kiosk, 'alone');
  await outlast();
  internet.restore();
  await untilLink(kiosk, 'cloud');
  await sleep(500);
  expect(await outages()).toEqual([]);
});

it('an offlineSince in the future or months back is ignored, and the hello still works', async () => {
  const { device, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Door' });
  const client = await connectProtocolClient(stack.url, { token });
  try {
    const now = Date.now();
    for (const offlineSince of [new Date(now + 3600_000), new Date(now - 90 * 24 * 3600_000)]) {
      const answer = (await client.request('session:hello', { protocolVersion: 1, cursor: 0, offlineSince: offlineSince.toISOString() })) as Result<unknown>;
      expect(answer.ok).toBe(true);
    }
    expect(await outages()).toEqual([]);
    const refused = (await client.request('session:hello', { protocolVersion: 1, cursor: 0, offlineSince: 'yesterday' })) as Result<unknown>;
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    // A plausible one is kept, as the device's.
    const answer = (await client.request('session:hello', { protocolVersion: 1, cursor: 0, offlineSince: new Date(now - 600_000).toISOString() })) as Result<unknown>;
    expect(answer.ok).toBe(true);
    expect((await outages()).map((o) => o.devices)).toEqual([[device.id]]);
  } finally {
    client.close();
  }
});

it('head office pages back through a long history, fifty at a time; a malformed `before` is refused', async () => {
  const owner = await adminClient(stack.db, stack.url);
  const day = 86_400_000;
  const now = Date.now();
  await stack.db.storeOutage.createMany({
    data: Array.from({ length: OUTAGES_PAGE + 1 }, (_, i) => ({ storeId: stack.storeId, startedAt: new Date(now - (i + 1) * day), endedAt: new Date(now - (i + 1) * day + 600_000), devices: [] })),
  });
  type Page = { outages: Array<{ startedAt: string }>; nextBefore: string | null };
  const first = await owner.request<Page>('GET', `/api/stores/${stack.storeId}/outages`);
  expect(first.status).toBe(200);
  expect(first.body.outages).toHaveLength(OUTAGES_PAGE);
  expect(first.body.outages[0]!.startedAt).toBe(new Date(now - day).toISOString());
  expect(first.body.nextBefore).toBe(first.body.outages.at(-1)!.startedAt);
  const older = await owner.request<Page>('GET', `/api/stores/${stack.storeId}/outages?before=${encodeURIComponent(first.body.nextBefore!)}`);
  expect(older.body).toEqual({ outages: [expect.objectContaining({ startedAt: new Date(now - (OUTAGES_PAGE + 1) * day).toISOString() })], nextBefore: null });
  expect(await owner.request('GET', `/api/stores/${stack.storeId}/outages?before=last%20week`)).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'before' } } });
});
