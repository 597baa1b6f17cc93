// The admin REST API: who may sign in, and who may see and change which store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, call } from '../support/adminClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';
import { APP_VERSION } from '../../electron/core/appVersion';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

describe('signing in', () => {
  it('gives a session for the right password, and nothing for a wrong one', async () => {
    await createAdmin(stack.db, { email: 'Owner@Example.com', name: 'Owner', password: 'a long enough secret', role: 'owner' });
    const good = await call<{ token: string; user: { role: string } }>(stack.url, 'POST', '/api/sessions', { email: 'owner@example.com', password: 'a long enough secret' });
    expect(good.status).toBe(201);
    expect(good.body.token).toMatch(/^tsa_/);
    expect(good.body.user.role).toBe('owner');
    const bad = await call(stack.url, 'POST', '/api/sessions', { email: 'owner@example.com', password: 'a long enough guess' });
    expect(bad).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID' } } });
    const unknown = await call(stack.url, 'POST', '/api/sessions', { email: 'nobody@example.com', password: 'a long enough secret' });
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID' } } });
    // The stored password is an argon2id hash.
    expect((await stack.db.adminUser.findFirstOrThrow()).passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses the API without a session, with a made-up one, and after signing out', async () => {
    expect(await call(stack.url, 'GET', '/api/stores')).toMatchObject({ status: 401, body: { error: { code: 'AUTH_REQUIRED' } } });
    expect(await call(stack.url, 'GET', '/api/stores', undefined, `tsa_${'x'.repeat(43)}`)).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID' } } });
    const admin = await adminClient(stack.db, stack.url);
    expect((await admin.request('GET', '/api/stores')).status).toBe(200);
    expect((await admin.request('DELETE', '/api/sessions')).status).toBe(204);
    expect((await admin.request('GET', '/api/stores')).status).toBe(401);
  });

  it('ends a session after 12 hours', async () => {
    const admin = await adminClient(stack.db, stack.url);
    stack.clock.offsetMs = 12 * 3600_000 + 1000;
    expect(await admin.request('GET', '/api/stores')).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID' } } });
  });

  it('slows down password guessing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(stack.url, 'POST', '/api/sessions', { email: 'x@example.com', password: `guess number ${i}` })).status);
    // Five tries at once; after that, each must wait (signInLimits.test.ts has the whole policy).
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('answers malformed bodies with INVALID_PAYLOAD', async () => {
    const admin = await adminClient(stack.db, stack.url);
    expect(await call(stack.url, 'POST', '/api/sessions', '{"email":')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD' } } });
    expect(await admin.request('POST', '/api/stores', { name: 'No zone', timeZone: 'Mars/Olympus', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_PAYLOAD', path: 'timeZone' } },
    });
    expect(await admin.request('POST', '/api/menus', { name: 'Empty', currency: 'EUR', categories: [], items: [] })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD' } } });
    expect((await stack.db.store.count())).toBe(1);
  });
});

describe('a store manager', () => {
  it('sees and changes only their own stores', async () => {
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    const stores = await manager.request<{ stores: Array<{ id: string }> }>('GET', '/api/stores');
    expect(stores.body.stores.map((s) => s.id)).toEqual([stack.storeId]);
    expect((await manager.request('GET', `/api/stores/${stack.storeId}/devices`)).status).toBe(200);
    expect(await manager.request('GET', `/api/stores/${other.id}/devices`)).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
    expect((await manager.request('POST', `/api/stores/${other.id}/pairing-codes`, { role: 'kiosk', name: 'x' })).status).toBe(404);
    expect((await manager.request('PUT', `/api/stores/${other.id}/items/latte/availability`, { available: false })).status).toBe(404);
    expect((await manager.request('POST', `/api/menus/${stack.menuVersionId}/publish`, { storeIds: [other.id] })).status).toBe(404);
    // Owners' business: new stores and new menus.
    expect(await manager.request('POST', '/api/stores', { ...DEMO_STORE, name: 'Mine now' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect(await stack.db.pairingCode.count()).toBe(0);
    expect(await stack.db.itemAvailability.count()).toBe(0);
  });
});

describe("a store's devices", () => {
  it('shows each terminal online now, when it was last seen and which app version it runs', async () => {
    const admin = await adminClient(stack.db, stack.url);
    const kiosk = await stack.terminal('kiosk');
    const list = () => admin.request<{ devices: Array<{ id: string; online: boolean; lastSeenAt: string | null; appVersion: string | null }> }>('GET', `/api/stores/${stack.storeId}/devices`);
    const seen = await eventually(async () => (await list()).body.devices.find((d) => d.id === kiosk.deviceId && d.online && d.appVersion));
    expect(seen.appVersion).toBe(APP_VERSION);
    expect(Date.now() - Date.parse(seen.lastSeenAt!)).toBeLessThan(60_000);
    await kiosk.core.close();
    await eventually(async () => !(await list()).body.devices.find((d) => d.id === kiosk.deviceId)!.online);
  });
});
