// The admin app's session lives in a cookie scripts cannot read, and every change it asks for
// must carry the session's CSRF token; the app itself is served at /admin with a strict policy.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { trustedProxies } from '../../sync-server/limits/clientAddress';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let appDir: string;
const email = 'ann@example.com';
const password = 'correct horse battery staple';

beforeAll(async () => {
  // A built app as Vite writes it: a page, and assets named by their content.
  appDir = await mkdtemp(join(tmpdir(), 'tillsync-admin-app-'));
  await mkdir(join(appDir, 'assets'));
  await writeFile(join(appDir, 'index.html'), '<!doctype html><title>Tillsync · Head office</title><script type="module" src="/admin/assets/index-abc123.js"></script>');
  await writeFile(join(appDir, 'assets', 'index-abc123.js'), 'console.log("admin")');
  // Loopback is the trusted proxy, so a test can speak as one that terminated TLS.
  stack = await startTestStack(undefined, { adminAppDir: appDir, trustProxy: trustedProxies(['loopback']) });
  await createAdmin(stack.db, { email, name: 'Ann', password, role: 'owner' });
});
afterAll(async () => {
  await stack?.close();
  await rm(appDir, { recursive: true, force: true });
});

async function send(method: string, path: string, { body, cookie, csrf, https }: { body?: unknown; cookie?: string; csrf?: string; https?: boolean } = {}) {
  const response = await fetch(new URL(path, stack.url), {
    method,
    redirect: 'manual',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
      ...(https ? { 'x-forwarded-proto': 'https' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text };
}

const signIn = (https = false) => send('POST', '/api/sessions', { body: { email, password, cookie: true }, https });
const cookieOf = (headers: Headers) => headers.getSetCookie()[0]!.split(';')[0]!;
const storeBody = (name: string) => ({ name, timeZone: 'Europe/Amsterdam', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true });

describe('a cookie session', () => {
  it('is an HttpOnly, SameSite=Strict cookie whose token the page never sees', async () => {
    const answer = await signIn();
    expect(answer.status).toBe(201);
    const [setCookie] = answer.headers.getSetCookie();
    expect(setCookie).toMatch(/^tillsync_session=tsa_[\w-]+;/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=Strict/i);
    expect(setCookie).toMatch(/; Path=\//i);
    expect(answer.body).toMatchObject({ user: { email }, csrfToken: expect.any(String) });
    expect(answer.body).not.toHaveProperty('token');
    const me = await send('GET', '/api/me', { cookie: cookieOf(answer.headers) });
    expect(me).toMatchObject({ status: 200, body: { user: { email, role: 'owner', storeIds: null }, csrfToken: (answer.body as { csrfToken: string }).csrfToken } });
  });

  it('over https is Secure and named __Host-, so no other host or path can plant one', async () => {
    const answer = await signIn(true);
    const [setCookie] = answer.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Host-tillsync_session=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect((await send('GET', '/api/me', { cookie: cookieOf(answer.headers), https: true })).status).toBe(200);
    // The plain name is not read over https.
    expect((await send('GET', '/api/me', { cookie: cookieOf(answer.headers).replace('__Host-', ''), https: true })).status).toBe(401);
  });

  it('changes nothing without the CSRF token of its own session', async () => {
    const mine = await signIn();
    const other = await signIn();
    const cookie = cookieOf(mine.headers);
    const before = await stack.db.store.count();
    const refusals = [
      await send('POST', '/api/stores', { cookie, body: storeBody('Forged') }),
      await send('POST', '/api/stores', { cookie, body: storeBody('Forged'), csrf: 'made-up' }),
      await send('POST', '/api/stores', { cookie, body: storeBody('Forged'), csrf: (other.body as { csrfToken: string }).csrfToken }),
    ];
    for (const refused of refusals) expect(refused).toMatchObject({ status: 403, body: { error: { code: 'CSRF_INVALID' } } });
    expect(await stack.db.store.count()).toBe(before);

    const created = await send('POST', '/api/stores', { cookie, body: storeBody('Rotterdam Centraal'), csrf: (mine.body as { csrfToken: string }).csrfToken });
    expect(created).toMatchObject({ status: 201, body: { name: 'Rotterdam Centraal' } });
    // Reads need no token; neither does a script with a bearer token, which no other site can send.
    expect((await send('GET', '/api/stores', { cookie })).status).toBe(200);
  });

  it('ends on sign-out: the cookie is cleared and no longer works', async () => {
    const answer = await signIn();
    const cookie = cookieOf(answer.headers);
    const out = await send('DELETE', '/api/sessions', { cookie, csrf: (answer.body as { csrfToken: string }).csrfToken });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^tillsync_session=;.*Expires=Thu, 01 Jan 1970/i);
    expect((await send('GET', '/api/me', { cookie })).status).toBe(401);
  });
});

describe('the admin app at /admin', () => {
  it('serves its page for every path under /admin, uncached, with a policy that allows only its own origin', async () => {
    for (const path of ['/admin', '/admin/', '/admin/stores/0195f3c8-0000-7000-8000-000000000001']) {
      const page = await send('GET', path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.body).toContain('<title>Tillsync · Head office</title>');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    }
  });

  it('serves its assets cached for ever, since their names change with their content', async () => {
    const asset = await send('GET', '/admin/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await send('GET', '/admin/assets/../../package.json')).body).not.toContain('"name": "tillsync"');
  });
});
