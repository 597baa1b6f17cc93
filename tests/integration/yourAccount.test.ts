// Your account, as the admin app uses it (a cookie session with its CSRF token): a password change
// ends your other sessions and the old password; a wrong current password is refused at its field,
// keeps the session, and counts against the account; signing out everywhere ends every session.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { call, cookieClient, type AdminClient } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
  await createAdmin(stack.db, { email: 'ann@example.com', name: 'Ann', password: PASSWORD, role: 'editor' });
});
afterEach(async () => {
  await stack.close();
});

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';

const signIn = (password = PASSWORD, cookie = false) => call<Record<string, unknown>>(stack.url, 'POST', '/api/sessions', { email: 'ann@example.com', password, cookie });
async function inBrowser(): Promise<AdminClient> {
  const started = await signIn(PASSWORD, true);
  expect(started.status).toBe(201);
  return cookieClient(stack.url, started);
}
async function onPhone(): Promise<AdminClient> {
  const { token } = (await signIn()).body as { token: string };
  return { token, request: (method, path, body) => call(stack.url, method, path, body, token) };
}
const works = async (client: AdminClient) => (await client.request('GET', '/api/me')).status === 200;

describe('your account', () => {
  it('changes the password: the old one stops working, your other sessions end, this one goes on', async () => {
    const browser = await inBrowser();
    const phone = await onPhone();
    // A wrong current password is named at its field, and the session is still there.
    expect(await browser.request('POST', '/api/me/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD })).toMatchObject({
      status: 401,
      body: { error: { code: 'AUTH_INVALID', path: 'currentPassword', message: 'The current password is wrong.' } },
    });
    expect(await works(browser)).toBe(true);
    expect(await browser.request('POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'too short' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_PAYLOAD', path: 'newPassword' } },
    });

    expect((await browser.request('POST', '/api/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect(await works(browser)).toBe(true);
    expect(await works(phone)).toBe(false);
    expect(await signIn(PASSWORD)).toMatchObject({ status: 401, body: { error: { code: 'AUTH_INVALID' } } });
    expect((await signIn(NEW_PASSWORD)).status).toBe(201);
  });

  it('counts wrong current passwords against the account, as at sign-in', async () => {
    const browser = await inBrowser();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await browser.request('POST', '/api/me/password', { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD })).status);
    // From the sixth wrong password, each try must wait: a stolen session cannot guess for ever.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await signIn()).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED' } } });
    expect(await works(browser)).toBe(true);
  });

  it('signs out everywhere: every session ends, this one too, and its cookie is cleared', async () => {
    const browser = await inBrowser();
    const others = [await onPhone(), await inBrowser()];
    // Without the CSRF token another site's page cannot do it.
    expect((await call(stack.url, 'DELETE', '/api/me/sessions', undefined, undefined, { cookie: browser.token })).status).toBe(403);
    const ended = await browser.request('DELETE', '/api/me/sessions');
    expect(ended).toMatchObject({ status: 200, body: { ended: 3 } });
    expect(ended.headers.getSetCookie()[0]).toMatch(/^tillsync_session=;/);
    for (const client of [browser, ...others]) expect(await works(client)).toBe(false);
    expect(await stack.db.adminSession.count()).toBe(0);
  });
});
