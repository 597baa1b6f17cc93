// A new kitchen display's stations, changed by head office between its hello and its snapshot: the
// change is inside the snapshot's seqs, so not on the feed after it, and not in the snapshot
// either (a device's own settings come in the hello). The display says hello again and shows the
// new stations (PROTOCOL.md §4.2). The terminal's real sync client, against the real server; the
// change is made from the client's own hello callback, so it falls exactly in between.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HelloResponse } from '#protocol/events';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { adminClient, type AdminClient } from '../support/adminClient';
import { bareSyncClient } from '../support/bareSyncClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
let dir: string;
beforeAll(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url);
  dir = await mkdtemp(join(tmpdir(), 'tillsync-hello-'));
});
afterAll(async () => {
  await stack.close();
  await rm(dir, { recursive: true, force: true });
});

it('takes a display’s stations changed between its hello and its snapshot from a second hello', async () => {
  const { device: { id }, token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kitchen', name: 'Bar screen' });
  const hellos: HelloResponse[] = [];
  const { sync, sql } = await bareSyncClient(join(dir, 'bar.db'), {
    serverUrl: stack.url,
    token,
    async onHello(hello) {
      hellos.push(hello);
      if (hellos.length === 1) {
        // Head office moves the display to the bar before it has asked for its snapshot.
        const answer = await owner.request('PATCH', `/api/devices/${id}`, { stations: ['bar'], expo: false });
        expect(answer.status).toBe(200);
      }
    },
  });
  try {
    sync.start();
    await eventually(() => sync.connection === 'online', 15_000);
    expect(hellos[0]!.device.kitchen).toEqual({ stations: [], expo: false });
    expect(hellos.at(-1)!.device.kitchen).toEqual({ stations: ['bar'], expo: false });
  } finally {
    await sync.stop();
    sql.close();
  }
});
