// A terminal joins a store with a one-time code; head office can remove it again at once.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalStatus } from '#terminal-api/contract';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { adminClient, call, type AdminClient } from '../support/adminClient';
import { connectProtocolClient, refusalOf } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let admin: AdminClient;
const cores: TerminalCore[] = [];
beforeEach(async () => {
  stack = await startTestStack();
  admin = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await stack.close();
});

async function newCode(role: string, name = `${role} terminal`) {
  const answer = await admin.request<{ code: string; expiresAt: string }>('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role, name });
  expect(answer.status).toBe(201);
  return answer.body.code;
}

async function unpairedTerminal(file: string) {
  const core = await createTerminalCore({ databaseFile: join(stack.dir, file) });
  cores.push(core);
  return core;
}

const statusOf = async (core: TerminalCore) => (await core.call('getStatus', undefined)) as { ok: true; data: TerminalStatus };

describe('pairing', () => {
  it('pairs a new terminal with the code typed on its screen, once', async () => {
    const code = await newCode('kitchen', 'Kitchen pass');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const terminal = await unpairedTerminal('kitchen.db');
    expect((await statusOf(terminal)).data).toMatchObject({ paired: false, connection: 'unpaired' });
    // Before pairing it can do nothing else.
    expect(await terminal.call('listTickets', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_PROVISIONED' } });

    // Staff type it as they read it: lower case, no dash.
    const paired = await terminal.call('pair', { serverUrl: stack.url, code: code.replace('-', '').toLowerCase() });
    expect(paired).toMatchObject({ ok: true, data: { paired: true } });
    const online = await eventually(async () => {
      const { data } = await statusOf(terminal);
      return data.connection === 'online' && data;
    });
    expect(online).toMatchObject({ provisioned: true, device: { role: 'kitchen', name: 'Kitchen pass' }, store: { id: stack.storeId } });
    expect(await terminal.call('pair', { serverUrl: stack.url, code })).toMatchObject({ ok: false, error: { code: 'ALREADY_PAIRED' } });

    // The code is spent: a second terminal cannot use it.
    const second = await unpairedTerminal('second.db');
    expect(await second.call('pair', { serverUrl: stack.url, code })).toMatchObject({ ok: false, error: { code: 'PAIRING_CODE_INVALID' } });
    expect(await stack.db.device.count()).toBe(1);
    expect(JSON.stringify(await stack.db.pairingCode.findMany())).not.toContain(code);
  });

  it('pairs from configuration, refuses expired codes, and tells staff when the server is unreachable', async () => {
    const configured = await createTerminalCore({ databaseFile: join(stack.dir, 'kiosk.db'), serverUrl: stack.url, pairingCode: await newCode('kiosk') });
    cores.push(configured);
    await eventually(async () => (await statusOf(configured)).data.connection === 'online');
    expect((await statusOf(configured)).data.device).toMatchObject({ role: 'kiosk', orderPrefix: 'A' });

    const late = await newCode('board');
    stack.clock.offsetMs = 16 * 60_000;
    const terminal = await unpairedTerminal('board.db');
    expect(await terminal.call('pair', { serverUrl: stack.url, code: late })).toMatchObject({ ok: false, error: { code: 'PAIRING_CODE_INVALID' } });
    expect(await terminal.call('pair', { serverUrl: 'http://127.0.0.1:9', code: late })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await terminal.call('pair', { serverUrl: 'not a url', code: late })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('slows down code guessing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call(stack.url, 'POST', '/api/pairing', { code: `AAAA-AAA${i % 10}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe('revocation', () => {
  it('disconnects a device at once, refuses its token from then on, and tells its store', async () => {
    const kitchen = await stack.terminal('kitchen');
    const board = await stack.terminal('board');
    await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online');
    await eventually(async () => (await board.core.api.getStatus()).connection === 'online');

    const revoked = await admin.request('POST', `/api/devices/${kitchen.deviceId}/revoke`);
    expect(revoked).toMatchObject({ status: 200, body: { device: { id: kitchen.deviceId, revokedAt: expect.any(String) } } });
    await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'revoked', 5000);
    expect(await refusalOf(stack.url, { token: kitchen.token })).toBe('DEVICE_REVOKED');
    // The rest of the store learns it through the feed.
    const watcher = await connectProtocolClient(stack.url, { token: board.token });
    const feed = await watcher.request<{ changes: Array<{ kind: string; deviceId?: string }> }>('feed:pull', { after: 0 });
    // (A terminal from before `store.peers`, it gets the list that follows as a change it applies as nothing.)
    expect(feed.ok && feed.data.changes.filter((c) => c.deviceId === kitchen.deviceId)).toEqual([expect.objectContaining({ kind: 'device.revoked' })]);
    watcher.close();
    expect((await board.core.api.getStatus()).connection).toBe('online');
    // Unknown devices are not found.
    expect((await admin.request('POST', '/api/devices/0195f3c8-0000-7000-8000-000000000000/revoke')).status).toBe(404);
  });
});
