import { afterEach, describe, expect, it } from 'vitest';
import type { TicketList } from '#terminal-api/contract';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { adminClient } from '../support/adminClient';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, placeEspresso, startTestStack, type TestStack } from '../support/testStack';

const TOKEN = 'metrics-token-for-the-tests-0123456789';
let stack: TestStack;
afterEach(async () => {
  await stack.close();
});

const scrape = (token?: string) => fetch(`${stack.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one sample of Prometheus's text format, e.g. `tillsync_orders_total{outcome="applied"}`. */
async function sample(name: string): Promise<number | undefined> {
  const text = await (await scrape(TOKEN)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('/metrics', () => {
  it('counts orders, pushes, terminals by role, feed lag, pool use and store-wide fan-outs', async () => {
    stack = await startTestStack(undefined, { metricsToken: TOKEN });
    const kiosk = await stack.terminal('kiosk');
    const kitchen = await stack.terminal('kitchen');
    const orderId = await placeEspresso(kiosk);
    await eventually(async () => {
      const list = await kitchen.core.call('listTickets', undefined);
      return list.ok && (list.data as TicketList).active.some((t) => t.id === orderId);
    });
    // A board that applied the first change and then nothing more.
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'board', name: 'stuck board' });
    const board = await connectProtocolClient(stack.url, { token });
    board.socket.emit('feed:applied', { seq: 1 });
    const admin = await adminClient(stack.db, stack.url);
    expect(await admin.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: false })).toMatchObject({ status: 200 });

    const response = await scrape(TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    await eventually(async () => (await sample('tillsync_orders_total{outcome="applied"}')) === 1);
    expect(await sample('tillsync_terminals_connected{role="kiosk"}')).toBe(1);
    expect(await sample('tillsync_terminals_connected{role="kitchen"}')).toBe(1);
    expect(await sample('tillsync_terminals_connected{role="board"}')).toBe(1);
    expect(await sample('tillsync_push_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(await sample('tillsync_fanout_seconds_count{kind="item.availability"}')).toBe(1);
    // The terminals apply every change and say so; the board is behind by what came after its report.
    await eventually(async () => (await sample('tillsync_feed_lag_changes{role="kitchen"}')) === 0 && (await sample('tillsync_feed_lag_changes{role="kiosk"}')) === 0);
    const head = (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
    expect(head).toBeGreaterThan(1);
    expect(await sample('tillsync_feed_lag_changes{role="board"}')).toBe(head - 1);
    board.close();
    expect(await sample('tillsync_db_pool_connections{pool="terminals",state="open"}')).toBeGreaterThanOrEqual(1);
    expect(await sample('tillsync_db_pool_connections{pool="admin",state="waiting"}')).toBe(0);
    expect(await sample('tillsync_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('answers only a scraper with the token, and is not there without one configured', async () => {
    stack = await startTestStack(undefined, { metricsToken: TOKEN });
    expect(await (await scrape()).json()).toMatchObject({ error: { code: 'AUTH_REQUIRED' } });
    const wrong = await scrape(`${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'AUTH_INVALID' } });
    await stack.close();

    stack = await startTestStack();
    const absent = await scrape(TOKEN);
    expect(absent.status).toBe(404);
    expect(await absent.json()).toMatchObject({ error: { code: 'UNKNOWN_OPERATION' } });
  });
});
