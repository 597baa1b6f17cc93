import { afterEach, expect, it } from 'vitest';
import { connectServerDatabase } from '../../sync-server/db/client';
import { freePort } from '../../sync-server/db/embeddedPostgres';
import { createServer, type SyncServer } from '../../sync-server/server';
import { createTestDatabase } from '../support/testDatabase';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  // Last started, first stopped: the server lets go of its database before the database is dropped
  // (dropping it first ends the server's connections under it).
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function serve(databaseUrl: string) {
  const database = connectServerDatabase(databaseUrl);
  const server: SyncServer = await createServer(database);
  const { url } = await server.listen(0);
  stops.push(async () => {
    await server.close();
    await database.close();
  });
  return url;
}

it('answers 200 with the database state when PostgreSQL answers', async () => {
  const database = await createTestDatabase();
  stops.push(database.drop);
  const response = await fetch(`${await serve(database.url)}/health`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    status: 'ok',
    failing: [],
    checks: { database: { state: 'up', latencyMs: expect.any(Number) } },
    terminalConnections: { open: expect.any(Number), idle: expect.any(Number), waiting: 0 },
    terminals: 0,
  });
});

it('answers 503 and names each check that failed when PostgreSQL does not answer', async () => {
  // A port nobody listens on: the server starts, and reports its database as down.
  const response = await fetch(`${await serve(`postgresql://postgres:x@127.0.0.1:${await freePort()}/none`)}/health`);
  expect(response.status).toBe(503);
  expect(await response.json()).toMatchObject({
    status: 'degraded',
    failing: ['database'],
    checks: { database: { state: 'down', error: expect.any(String) } },
  });
});

it('answers unknown addresses with a JSON 404 and wrong methods with 405', async () => {
  const database = await createTestDatabase();
  stops.push(database.drop);
  const url = await serve(database.url);
  expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  const post = await fetch(`${url}/health`, { method: 'POST' });
  expect(post.status).toBe(405);
  expect(await post.json()).toMatchObject({ error: { code: 'UNKNOWN_OPERATION' } });
});
