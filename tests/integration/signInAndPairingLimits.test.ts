// Sign-in and pairing limits that hold behind a reverse proxy and across server nodes: keyed by
// the client's address (X-Forwarded-For only from a trusted proxy; IPv6 by /64), by account (a
// backoff, then a timed lock), and for pairing by store, with the state in PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { connectServerDatabase } from '../../sync-server/db/client';
import { storeTag } from '../../sync-server/devices/pairing';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';
import { trustedProxies } from '../../sync-server/limits/clientAddress';
import { createServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { adminClient } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await stack?.close();
});

const PASSWORD = 'correct horse battery staple';

/** A request as a client behind the proxy would make it: the proxy adds X-Forwarded-For. */
async function post(base: string, path: string, body: unknown, forwardedFor?: string) {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { error?: { code: string; message: string; retryAfterMs?: number } } };
}

const signIn = (email: string, password: string, forwardedFor?: string, base = stack.url) => post(base, '/api/sessions', { email, password }, forwardedFor);

describe('behind a trusted reverse proxy', () => {
  it('keeps each client\'s sign-in budget apart, so one guesser does not lock out everyone', async () => {
    stack = await startTestStack(undefined, { trustProxy: trustedProxies(['loopback']) });
    await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'owner' });
    // A guesser behind the proxy spends its address's whole budget, on many accounts.
    const guesses = [];
    for (let i = 0; i < 11; i++) guesses.push((await signIn(`nobody${i}@example.com`, 'wrong password!', '203.0.113.9')).status);
    expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(guesses[10]).toBe(429);
    // Ann, another client of the same proxy, signs in at once.
    expect((await signIn('ann@example.com', PASSWORD, '198.51.100.20')).status).toBe(201);
  });

  it('counts IPv6 clients by /64, so rotating addresses within one network gains nothing', async () => {
    stack = await startTestStack(undefined, { trustProxy: trustedProxies(['loopback']) });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(`x${i}@example.com`, 'wrong password!', `2001:db8:aa:bb::${(i + 1).toString(16)}`)).status);
    expect(statuses[10]).toBe(429);
    expect((await signIn('y@example.com', 'wrong password!', '2001:db8:aa:cc::1')).status).toBe(401);
  });
});

describe('without a trusted proxy', () => {
  it('ignores X-Forwarded-For, so a client cannot name itself someone else', async () => {
    stack = await startTestStack();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(`x${i}@example.com`, 'wrong password!', `203.0.113.${i + 1}`)).status);
    expect(statuses[10]).toBe(429);
  });
});

describe('an account', () => {
  it('makes each try wait after a few wrong passwords, and locks for a while after more, for known and unknown emails alike', { timeout: 60_000 }, async () => {
    // The default is 5 and 10 (adminApi.test.ts); fewer here keep the waits short.
    const passwords = { backoffAfter: 3, lockAfter: 6, lockSeconds: 15 * 60 };
    stack = await startTestStack(undefined, { trustProxy: trustedProxies(['loopback']), limits: { ...DEFAULT_LIMITS, passwords } });
    await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'owner' });
    // Each try from another address: only the account's own budget is at work.
    let address = 0;
    const from = () => `198.51.100.${++address}`;
    const attempt = async (email: string, password: string) => {
      for (;;) {
        const answer = await signIn(email, password, from());
        if (answer.status !== 429) return answer;
        expect(answer.body.error!.retryAfterMs).toBeGreaterThan(0);
        expect(Number(answer.retryAfter)).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, answer.body.error!.retryAfterMs));
      }
    };
    for (const email of ['ann@example.com', 'nobody@example.com']) {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await signIn(email, `wrong ${i}`, from())).status);
      expect(answers).toEqual([401, 401, 401]);
      // The fourth wrong password must wait a second, the fifth two…
      const waited = await signIn(email, 'wrong 3', from());
      expect(waited).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
      for (let i = 3; i < 5; i++) expect((await attempt(email, `wrong ${i}`)).status).toBe(401);
      // …and the sixth locks the account for fifteen minutes, with a message that says so.
      const locked = await attempt(email, 'wrong 5');
      expect(locked.status).toBe(401);
      const refused = await signIn(email, email === 'ann@example.com' ? PASSWORD : 'anything', from());
      expect(refused).toMatchObject({ status: 423, body: { error: { code: 'ACCOUNT_LOCKED' } } });
      expect(refused.body.error!.message).toMatch(/locked for 15 more minutes/);
      expect(refused.body.error!.retryAfterMs).toBeGreaterThan(14 * 60_000);
    }
    // A right password before the limits resets them.
    await createAdmin(stack.db, { email: 'bo@example.com', name: 'Bo', password: PASSWORD, role: 'manager' });
    for (let i = 0; i < 2; i++) await signIn('bo@example.com', 'wrong', from());
    expect((await signIn('bo@example.com', PASSWORD, from())).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await signIn('bo@example.com', 'wrong', from())).status).toBe(401);
  });
});

describe('pairing', () => {
  it('limits wrong codes per store, whatever address they come from, and other stores pair on', async () => {
    stack = await startTestStack(undefined, { trustProxy: trustedProxies(['loopback']) });
    const admin = await adminClient(stack.db, stack.url);
    const code = (await admin.request<{ code: string }>('POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'kitchen', name: 'pass' })).body.code;
    expect(code.replace('-', '').slice(0, 3)).toBe(storeTag(stack.storeId));
    const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Next door' });
    const otherCode = (await admin.request<{ code: string }>('POST', `/api/stores/${other.id}/pairing-codes`, { role: 'kitchen', name: 'pass' })).body.code;

    // A guesser rotating its address sends codes with this store's tag.
    const tag = storeTag(stack.storeId);
    const guesses = [];
    for (let i = 0; i < 12; i++) guesses.push(await post(stack.url, '/api/pairing', { code: `${tag}${String(i).padStart(5, '0')}` }, `192.0.2.${i + 1}`));
    expect(guesses.slice(0, 10).map((g) => g.status)).toEqual(Array(10).fill(422));
    expect(guesses.slice(10).map((g) => g.body.error!.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // While paused, even the right code waits: otherwise the guesses would go on being checked.
    expect(await post(stack.url, '/api/pairing', { code }, '192.0.2.99')).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    // Another store is not held up.
    expect((await post(stack.url, '/api/pairing', { code: otherCode }, '192.0.2.100')).status).toBe(201);
  });
});

describe('two server nodes', () => {
  it('share every budget through the database', async () => {
    stack = await startTestStack();
    const second = connectServerDatabase(stack.databaseUrl);
    const node = await createServer(second);
    const { url } = await node.listen(0);
    cleanups.push(async () => {
      await node.close();
      await second.close();
    });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(`x${i}@example.com`, 'wrong password!', undefined, i % 2 === 0 ? stack.url : url)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});
