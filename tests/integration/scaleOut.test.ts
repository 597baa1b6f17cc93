// Two server nodes on one PostgreSQL, sharing live changes through the Socket.IO PostgreSQL adapter
// (websocket transport, no sticky sessions): a terminal on one node sees what happens on the other.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MenuView, TicketList } from '#terminal-api/contract';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { connectServerDatabase, createServerDb, type ServerDb } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { silentLogger } from '../../sync-server/log';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import { postgresFanout } from '../../sync-server/runtime';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer, type SyncServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient } from '../support/adminClient';
import { createTestDatabase } from '../support/testDatabase';
import { eventually } from '../support/testStack';

const stops: Array<() => Promise<unknown>> = [];
let db: ServerDb;
let nodes: Array<{ server: SyncServer; url: string }>;
let storeId: string;
let dir: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  stops.push(database.drop);
  db = createServerDb(database.url);
  stops.push(() => db.$disconnect());
  dir = await mkdtemp(join(tmpdir(), 'tillsync-nodes-'));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  nodes = [];
  for (let i = 0; i < 2; i++) {
    const fanout = postgresFanout(database.url, silentLogger);
    const node = connectServerDatabase(database.url);
    const server = await createServer({ ...node, adapter: fanout.adapter });
    const { url } = await server.listen(0);
    nodes.push({ server, url });
    stops.push(node.close, fanout.close, () => server.close());
  }
  const store = await createStore(db, DEMO_STORE);
  storeId = store.id;
  const version = await createMenuVersion(db, await loadDemoMenuDocument());
  await db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function terminalOn(node: number, role: 'kiosk' | 'kitchen', name: string): Promise<{ core: TerminalCore; deviceId: string }> {
  const { device, token } = await registerDevice(db, { storeId, role, name });
  const core = await createTerminalCore({ databaseFile: join(dir, `${name}.db`), serverUrl: nodes[node]!.url, deviceToken: token });
  stops.push(() => core.close());
  await eventually(async () => (await core.api.getStatus()).connection === 'online');
  return { core, deviceId: device.id };
}

it('delivers an order uploaded through one node, and a bump made through the other, to terminals on both', async () => {
  const kiosk = await terminalOn(0, 'kiosk', 'kiosk-a');
  const kitchenA = await terminalOn(0, 'kitchen', 'kitchen-a');
  const kitchenB = await terminalOn(1, 'kitchen', 'kitchen-b');
  const menu = (await kiosk.core.api.getMenu()) as MenuView;

  const placed = await kiosk.core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
  await eventually(async () => (await kitchenB.core.api.listTickets()).active.some((t) => t.id === placed.id), 5000);

  await kitchenB.core.api.bumpTicket({ orderId: placed.id });
  const onA = await eventually(async () => {
    const list: TicketList = await kitchenA.core.api.listTickets();
    // Ready, it has left the kitchen's main view for the recall drawer.
    return list.recent.find((t) => t.id === placed.id && t.status === 'ready');
  }, 5000);
  expect(onA.status).toBe('ready');
});

it('applies admin changes made through one node to terminals on the other, revocation included', async () => {
  const kiosk = await terminalOn(1, 'kiosk', 'kiosk-b');
  const admin = await adminClient(db, nodes[0]!.url);
  expect((await admin.request('PUT', `/api/stores/${storeId}/items/latte/availability`, { available: false })).status).toBe(200);
  await eventually(async () => (await kiosk.core.api.getMenu())?.items.find((i) => i.id === 'latte')?.available === false, 5000);

  expect((await admin.request('POST', `/api/devices/${kiosk.deviceId}/revoke`)).status).toBe(200);
  await eventually(async () => (await kiosk.core.api.getStatus()).connection === 'revoked', 5000);
});
