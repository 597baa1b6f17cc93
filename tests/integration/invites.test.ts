// Inviting people: an owner makes a one-time link, and whoever holds it chooses their own password
// and is signed in with the role the owner chose. A link works once, for 7 days; a used, expired,
// withdrawn or made-up one is refused with the same answer and changes nothing.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { adminClient, call, cookieClient, type AdminClient } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let owner: AdminClient;
beforeEach(async () => {
  // Room for many links from one address: the budget itself is proven at the end.
  stack = await startTestStack(undefined, { limits: { ...DEFAULT_LIMITS, signIns: { points: 200, seconds: 60 } } });
  owner = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  await stack.close();
});

const PASSWORD = 'a password of my own choosing';

interface Made {
  id: string;
  link: string;
  expiresAt: string;
}

/** Invites someone as `role`; answers the invitation and the token its link carries. */
async function invite(email: string, role: 'owner' | 'editor' | 'manager' = 'editor', by = owner) {
  const made = await by.request<Made>('POST', '/api/invites', { email, name: email.split('@')[0], role, storeIds: role === 'manager' ? [stack.storeId] : [] });
  expect(made.status).toBe(201);
  return { ...made.body, token: made.body.link.split('#')[1]! };
}

const accept = (token: string, body: Record<string, unknown> = {}) => call<Record<string, unknown>>(stack.url, 'POST', '/api/invites/accept', { token, name: 'Someone', password: PASSWORD, ...body });
const check = (token: string) => call<Record<string, unknown>>(stack.url, 'POST', '/api/invites/check', { token });

/** Everything an answer to a link could have changed. */
const state = async () => ({
  admins: await stack.db.adminUser.findMany({ orderBy: { email: 'asc' } }),
  sessions: await stack.db.adminSession.count(),
  invites: await stack.db.adminInvite.findMany({ orderBy: { tokenHash: 'asc' } }),
});

describe('an invitation', () => {
  it('is a link of 256 random bits, kept only as a hash, that signs its holder in with the role offered', async () => {
    const made = await owner.request<Made & Record<string, unknown>>('POST', '/api/invites', { email: 'Bo@Example.com', name: 'Bo', role: 'manager', storeIds: [stack.storeId] });
    expect(made).toMatchObject({ status: 201, body: { email: 'bo@example.com', name: 'Bo', role: 'manager', storeIds: [stack.storeId], invitedBy: 'Test admin' } });
    expect(made.body.link).toMatch(/^\/admin\/invite#tsi_[\w-]{43}$/);
    const token = made.body.link.split('#')[1]!;
    const stored = await stack.db.adminInvite.findFirstOrThrow();
    expect(stored.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(stored.tokenHash.startsWith(made.body.id)).toBe(true);
    const week = Date.parse(made.body.expiresAt) - Date.now();
    expect(week).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(week).toBeLessThanOrEqual(7 * 86_400_000);

    // Listed while it waits, without the token or its whole hash.
    const listed = await owner.request<{ invites: Array<Record<string, unknown>> }>('GET', '/api/invites');
    expect(listed.body.invites).toEqual([expect.objectContaining({ id: made.body.id, email: 'bo@example.com', role: 'manager', invitedBy: 'Test admin' })]);
    expect(JSON.stringify(listed.body)).not.toContain(token.slice(4));
    expect(JSON.stringify(listed.body)).not.toContain(stored.tokenHash);

    // Its holder sees what it offers, confirms their name, chooses a password and is signed in.
    expect(await check(token)).toMatchObject({ status: 200, body: { email: 'bo@example.com', name: 'Bo', role: 'manager', stores: [{ id: stack.storeId, name: DEMO_STORE.name }], invitedBy: 'Test admin' } });
    const accepted = await accept(token, { name: 'Bo Jansen' });
    expect(accepted).toMatchObject({ status: 201, body: { token: expect.stringMatching(/^tsa_/), user: { email: 'bo@example.com', name: 'Bo Jansen', role: 'manager' } } });
    const bo = (method: string, path: string) => call(stack.url, method, path, undefined, accepted.body.token as string);
    expect(await bo('GET', '/api/me')).toMatchObject({ status: 200, body: { user: { role: 'manager', storeIds: [stack.storeId] } } });
    expect((await bo('GET', `/api/stores/${stack.storeId}/devices`)).status).toBe(200);
    expect((await bo('GET', '/api/admins')).status).toBe(403);
    // The password is theirs alone; the invitation is used and no longer waits.
    expect((await call(stack.url, 'POST', '/api/sessions', { email: 'bo@example.com', password: PASSWORD })).status).toBe(201);
    expect((await stack.db.adminInvite.findFirstOrThrow()).acceptedAt).not.toBeNull();
    expect((await owner.request<{ invites: unknown[] }>('GET', '/api/invites')).body.invites).toEqual([]);

    await stack.server.audit.flush();
    const events = await stack.db.auditEvent.findMany({ where: { action: { startsWith: 'invite-' } }, orderBy: { id: 'asc' } });
    const ownerId = (await stack.db.adminUser.findFirstOrThrow({ where: { email: { not: 'bo@example.com' } } })).id;
    const boId = (await stack.db.adminUser.findUniqueOrThrow({ where: { email: 'bo@example.com' } })).id;
    expect(events).toMatchObject([
      { action: 'invite-created', actorId: ownerId, address: '127.0.0.1', detail: { inviteId: made.body.id, email: 'bo@example.com', role: 'manager', storeIds: [stack.storeId] } },
      { action: 'invite-accepted', actorId: boId, actorEmail: 'bo@example.com', address: '127.0.0.1', detail: { inviteId: made.body.id, invitedById: ownerId, role: 'manager' } },
    ]);
  });

  it('signs the admin app in with a cookie session', async () => {
    const { token } = await invite('cy@example.com', 'editor');
    const accepted = await accept(token, { cookie: true });
    expect(accepted).toMatchObject({ status: 201, body: { user: { role: 'editor' }, csrfToken: expect.any(String) } });
    expect(accepted.body).not.toHaveProperty('token');
    expect(accepted.headers.getSetCookie()[0]).toMatch(/^tillsync_session=tsa_[\w-]+;.*HttpOnly/i);
    const cy = cookieClient(stack.url, accepted);
    expect(await cy.request('GET', '/api/me')).toMatchObject({ status: 200, body: { user: { email: 'cy@example.com', role: 'editor', storeIds: null } } });
  });

  it('works once: a used, expired, withdrawn or made-up link, or one from an owner no longer, is refused alike and changes nothing', async () => {
    const used = await invite('used@example.com');
    expect((await accept(used.token)).status).toBe(201);
    const expired = await invite('expired@example.com');
    await stack.db.adminInvite.updateMany({ where: { email: 'expired@example.com' }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const withdrawn = await invite('withdrawn@example.com');
    expect((await owner.request('DELETE', `/api/invites/${withdrawn.id}`)).status).toBe(204);
    expect(await owner.request('DELETE', `/api/invites/${withdrawn.id}`)).toMatchObject({ status: 404, body: { error: { code: 'INVITE_NOT_FOUND' } } });
    expect(await owner.request('DELETE', `/api/invites/${used.id}`)).toMatchObject({ status: 404, body: { error: { code: 'INVITE_NOT_FOUND' } } });
    expect(await owner.request('DELETE', '/api/invites/not-an-id')).toMatchObject({ status: 404, body: { error: { code: 'INVITE_NOT_FOUND' } } });
    // An owner invites, then stops being an owner before the link is used.
    const former = await adminClient(stack.db, stack.url);
    const orphaned = await invite('orphaned@example.com', 'owner', former);
    const formerId = (await former.request<{ user: { id: string } }>('GET', '/api/me')).body.user.id;
    expect((await owner.request('PATCH', `/api/admins/${formerId}`, { role: 'editor' })).status).toBe(200);
    const replaced = await invite('twice@example.com');
    const latest = await invite('twice@example.com');

    const before = await state();
    const wrongTokens = [used.token, expired.token, withdrawn.token, orphaned.token, replaced.token, `tsi_${'A'.repeat(43)}`, 'tsi_short', '', 'a'.repeat(200)];
    const answers = [];
    for (const token of wrongTokens) answers.push(await check(token), await accept(token), await accept(token, { cookie: true }));
    for (const { status, body, headers } of answers) {
      expect({ status, body }).toEqual({ status: answers[0]!.status, body: answers[0]!.body });
      expect(headers.getSetCookie()).toEqual([]);
    }
    expect(answers[0]).toMatchObject({ status: 422, body: { error: { code: 'INVITE_INVALID', message: 'This invitation link is unknown, used, withdrawn or expired. Ask whoever invited you for a new one.' } } });
    expect(await state()).toEqual(before);
    // The latest invitation to an email is the one that works.
    expect((await accept(latest.token)).status).toBe(201);
  });

  it('accepts a link once when it is sent twice at the same moment', async () => {
    const { token } = await invite('twin@example.com');
    const answers = await Promise.all([accept(token, { name: 'First' }), accept(token, { name: 'Second' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    expect(await stack.db.adminUser.count({ where: { email: 'twin@example.com' } })).toBe(1);
    expect(await stack.db.adminSession.count()).toBe(2); // the owner's and the winner's
  });

  it('refuses a weak password, and an email that can already sign in, and the link still works after', async () => {
    const { token } = await invite('dee@example.com');
    const before = await state();
    expect(await accept(token, { password: 'short' })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'password', message: 'password: at least 12 characters' } } });
    expect(await accept(token, { name: '  ' })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD', path: 'name' } } });
    expect(await state()).toEqual(before);

    // Someone made an account for that email meanwhile: refused, and nothing is used up.
    expect((await owner.request('POST', '/api/admins', { email: 'dee@example.com', name: 'Dee', password: PASSWORD, role: 'editor' })).status).toBe(201);
    const meanwhile = await state();
    expect(await accept(token)).toMatchObject({ status: 409, body: { error: { code: 'ADMIN_EXISTS', path: 'email', message: expect.stringContaining('sign in with it instead') } } });
    expect(await state()).toEqual(meanwhile);
    expect(await owner.request('POST', '/api/invites', { email: 'dee@example.com', name: 'Dee', role: 'editor' })).toMatchObject({ status: 409, body: { error: { code: 'ADMIN_EXISTS', path: 'email' } } });
  });

  it('refuses an invitation that does not say enough, changing nothing', async () => {
    const bad = [
      [{ email: 'x@example.com', name: 'X', role: 'manager' }, 'storeIds'],
      [{ email: 'x@example.com', name: 'X', role: 'manager', storeIds: ['0195f3c8-0000-7000-8000-000000000001'] }, 'storeIds'],
      [{ email: 'not an email', name: 'X', role: 'editor' }, 'email'],
      [{ email: 'x@example.com', name: '', role: 'editor' }, 'name'],
      [{ email: 'x@example.com', name: 'X', role: 'cook' }, 'role'],
      [{ email: 'x@example.com', name: 'X', role: 'editor', token: 'mine' }, ''],
    ] as const;
    for (const [body, path] of bad) {
      const answer = await owner.request<{ error: { code: string; path?: string } }>('POST', '/api/invites', body);
      expect(answer.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(answer.body.error.path ?? '', JSON.stringify(body)).toBe(path);
    }
    expect(await stack.db.adminInvite.count()).toBe(0);
  });

  it('spends the address\'s sign-in budget when a link is checked or accepted', async () => {
    await stack.close();
    stack = await startTestStack();
    owner = await adminClient(stack.db, stack.url); // one sign-in of ten
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await (i % 2 ? check : accept)(`tsi_${'B'.repeat(43)}`)).status);
    expect(statuses).toEqual([422, 422, 422, 422, 422, 422, 422, 422, 422, 429]);
  });
});
