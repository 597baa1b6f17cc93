// Admin sessions end when they should — a new password, "sign out everywhere", expiry — and every
// security event lands in an audit log head office can read, with who, from where and when.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { adminClient, call, type AdminClient } from '../support/adminClient';
import { connectProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

const PASSWORD = 'correct horse battery staple';

async function signIn(email: string, password = PASSWORD): Promise<AdminClient> {
  const answer = await call<{ token: string }>(stack.url, 'POST', '/api/sessions', { email, password });
  expect(answer.status).toBe(201);
  const { token } = answer.body;
  return { token, request: (method, path, body) => call(stack.url, method, path, body, token) };
}

const works = async (client: AdminClient) => (await client.request('GET', '/api/stores')).status === 200;

describe('sessions', () => {
  it('changes a password only with the current one, and ends the other sessions', async () => {
    await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'owner' });
    const laptop = await signIn('ann@example.com');
    const phone = await signIn('ann@example.com');
    expect(await laptop.request('POST', '/api/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' })).toMatchObject({
      status: 401,
      body: { error: { code: 'AUTH_INVALID', path: 'currentPassword' } },
    });
    expect(await laptop.request('POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'short' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_PAYLOAD', path: 'newPassword' } },
    });
    expect((await laptop.request('POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' })).status).toBe(204);
    expect(await works(laptop)).toBe(true);
    expect(await works(phone)).toBe(false);
    expect((await call(stack.url, 'POST', '/api/sessions', { email: 'ann@example.com', password: PASSWORD })).status).toBe(401);
    expect(await works(await signIn('ann@example.com', 'a brand new passphrase'))).toBe(true);
  });

  it('signs out everywhere', async () => {
    await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'owner' });
    const sessions = [await signIn('ann@example.com'), await signIn('ann@example.com'), await signIn('ann@example.com')];
    expect(await sessions[1]!.request('DELETE', '/api/me/sessions')).toMatchObject({ status: 200, body: { ended: 3 } });
    for (const session of sessions) expect(await works(session)).toBe(false);
  });

  it('purges sessions past their expiry', async () => {
    await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'owner' });
    const session = await signIn('ann@example.com');
    await signIn('ann@example.com');
    await stack.db.adminSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await works(session)).toBe(false);
    await stack.restartServer(); // the purge runs at start, then hourly
    await eventually(async () => (await stack.db.adminSession.count()) === 0);
  });
});

describe('the audit log', () => {
  it('records sign-ins, pairing, revocation, role changes, publishing and limits, with actor, address and time', async () => {
    const owner = await adminClient(stack.db, stack.url);
    const ownerId = (await stack.db.adminUser.findFirstOrThrow()).id;
    expect((await call(stack.url, 'POST', '/api/sessions', { email: 'who@example.com', password: 'not a password' })).status).toBe(401);

    const code = (await owner.request<{ code: string }>('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'kitchen', name: 'pass' })).body.code;
    const paired = await call<{ device: { id: string } }>(stack.url, 'POST', '/api/pairing', { code });
    await owner.request('POST', `/api/devices/${paired.body.device.id}/revoke`);
    const manager = await owner.request<{ id: string }>('POST', '/api/admins', { email: 'bo@example.com', name: 'Bo', password: PASSWORD, role: 'manager', storeIds: [] });
    expect(manager.status).toBe(201);
    expect((await owner.request('PATCH', `/api/admins/${manager.body.id}`, { role: 'manager', storeIds: [stack.storeId] })).status).toBe(200);
    await owner.request('POST', `/api/menus/${stack.menuVersionId}/publish`, { storeIds: [stack.storeId] });
    // A device that floods the handshakes of its address.
    for (let i = 0; i < 80; i++) await connectProtocolClient(stack.url, { token: 'tsd_made-up-token-that-is-long' }, { localAddress: '127.0.0.9' }).catch(() => {});

    const events = await eventually(async () => {
      const answer = await owner.request<{ events: Array<{ action: string; actorType: string; actorId: string | null; actorEmail: string | null; address: string | null; at: string; storeId: string | null; detail: Record<string, unknown> }> }>('GET', '/api/audit?limit=50');
      const actions = new Set(answer.body.events.map((e) => e.action));
      return ['sign-in', 'sign-in-failed', 'pairing-code-created', 'device-paired', 'device-revoked', 'admin-created', 'role-changed', 'menu-published', 'limit-tripped'].every((a) => actions.has(a)) && answer.body.events;
    }, 10_000);
    const of = (action: string) => events.find((e) => e.action === action)!;
    expect(of('sign-in')).toMatchObject({ actorType: 'admin', actorId: ownerId, address: '127.0.0.1' });
    expect(of('sign-in-failed')).toMatchObject({ actorType: 'anonymous', actorEmail: 'who@example.com', address: '127.0.0.1' });
    expect(of('device-paired')).toMatchObject({ actorType: 'device', actorId: paired.body.device.id, storeId: stack.storeId });
    expect(of('device-revoked')).toMatchObject({ actorType: 'admin', actorId: ownerId, storeId: stack.storeId, detail: { deviceId: paired.body.device.id } });
    expect(of('role-changed')).toMatchObject({ actorId: ownerId, detail: { adminId: manager.body.id, role: 'manager', storeIds: [stack.storeId] } });
    expect(of('menu-published')).toMatchObject({ storeId: stack.storeId, detail: { menuVersionId: stack.menuVersionId } });
    expect(of('limit-tripped')).toMatchObject({ detail: { budget: 'handshakes', key: '127.0.0.9' } });
    expect(Date.now() - Date.parse(of('sign-in').at)).toBeLessThan(60_000);

    // Filtered and paged; for owners only.
    const revocations = await owner.request<{ events: unknown[] }>('GET', '/api/audit?action=device-revoked');
    expect(revocations.body.events).toHaveLength(1);
    expect(await owner.request('GET', '/api/audit?limit=5000')).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'limit' } } });
    const bo = await signIn('bo@example.com');
    expect(await bo.request('GET', '/api/audit')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
  });

  it('keeps the last owner an owner', async () => {
    const owner = await adminClient(stack.db, stack.url);
    const ownerId = (await stack.db.adminUser.findFirstOrThrow()).id;
    expect(await owner.request('PATCH', `/api/admins/${ownerId}`, { role: 'manager', storeIds: [] })).toMatchObject({ status: 409, body: { error: { code: 'LAST_OWNER' } } });
    expect(await owner.request('POST', '/api/admins', { email: (await stack.db.adminUser.findFirstOrThrow()).email, name: 'Again', password: PASSWORD, role: 'owner' })).toMatchObject({
      status: 409,
      body: { error: { code: 'ADMIN_EXISTS' } },
    });
  });
});
