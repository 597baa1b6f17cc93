// Who may call what, route by route: an owner everything; a menu editor the chain's menus and
// pictures, and reading the stores; a store manager their own stores' devices, pairing, sold-out
// board and which menu they run. Every signed-in route of the API has a row here, so a new route
// or a changed guard that the table does not expect fails this test.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createAdmin, startSession } from '../../sync-server/admin/adminAccounts';
import type { AdminRole } from '#admin-api';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { call } from '../support/adminClient';
import { startTestStack, type TestStack } from '../support/testStack';

/** The guard lets them through (whatever the handler then says), refuses their role, or hides a store not theirs. */
const Y = 'allowed';
const R = 'FORBIDDEN_FOR_ROLE';
const N = 'not theirs';
type Verdict = typeof Y | typeof R | typeof N;

// Bodies are empty where the route takes one: a caller the guard lets through is then refused by
// the schema (400), so the table changes nothing it need not. Publishing names the manager's store.
//                                                            owner editor manager  manager of
//                                                                         of it    another store
const TABLE: Array<[route: string, owner: Verdict, editor: Verdict, manager: Verdict, otherManager: Verdict, body?: unknown]> = [
  ['GET /api/me', Y, Y, Y, Y],
  ['POST /api/me/password', Y, Y, Y, Y, {}],
  ['DELETE /api/sessions', Y, Y, Y, Y],
  ['DELETE /api/me/sessions', Y, Y, Y, Y],
  ['GET /api/admins', Y, R, R, R],
  ['POST /api/admins', Y, R, R, R, {}],
  ['PATCH /api/admins/{adminId}', Y, R, R, R, {}],
  ['POST /api/invites', Y, R, R, R, {}],
  ['GET /api/invites', Y, R, R, R],
  ['DELETE /api/invites/{inviteId}', Y, R, R, R],
  ['GET /api/audit', Y, R, R, R],
  ['GET /api/stores', Y, Y, Y, Y],
  ['POST /api/stores', Y, R, R, R, {}],
  ['PATCH /api/stores/{storeId}', Y, R, R, N, { name: 42 }],
  ['GET /api/stores/{storeId}/devices', Y, R, Y, N],
  ['POST /api/stores/{storeId}/pairing-codes', Y, R, Y, N, {}],
  ['POST /api/devices/{deviceId}/revoke', Y, R, Y, N],
  ['PATCH /api/devices/{deviceId}', Y, R, Y, N, {}],
  ['GET /api/stores/{storeId}/outages', Y, R, Y, N],
  ['GET /api/stores/{storeId}/availability', Y, R, Y, N],
  ['PUT /api/stores/{storeId}/items/{itemId}/availability', Y, R, Y, N, {}],
  ['GET /api/stores/{storeId}/orders', Y, R, Y, N],
  ['GET /api/live-orders', Y, R, Y, Y],
  ['GET /api/reports/sales-by-day', Y, R, Y, Y],
  ['GET /api/reports/sales-by-day.csv', Y, R, Y, Y],
  ['GET /api/reports/sales-by-hour', Y, R, Y, Y],
  ['GET /api/reports/sales-by-hour.csv', Y, R, Y, Y],
  ['GET /api/reports/item-mix', Y, R, Y, Y],
  ['GET /api/reports/item-mix.csv', Y, R, Y, Y],
  ['GET /api/reports/ticket-times', Y, R, Y, Y],
  ['GET /api/reports/ticket-times.csv', Y, R, Y, Y],
  ['GET /api/reports/order-mix', Y, R, Y, Y],
  ['GET /api/reports/order-mix.csv', Y, R, Y, Y],
  ['POST /api/pictures', Y, Y, R, R, {}],
  ['GET /api/pictures', Y, Y, R, R],
  ['GET /api/menus', Y, Y, Y, Y],
  ['POST /api/menus', Y, Y, R, R, {}],
  ['GET /api/menus/{menuVersionId}', Y, Y, Y, Y],
  ['DELETE /api/menus/{menuVersionId}', Y, Y, R, R],
  ['POST /api/menus/{menuVersionId}/publish', Y, Y, Y, N, 'its store'],
  ['POST /api/stores/{storeId}/menu/rollback', Y, Y, Y, N],
  ['GET /api/menu-drafts', Y, Y, R, R],
  ['POST /api/menu-drafts', Y, Y, R, R, {}],
  ['GET /api/menu-drafts/{draftId}', Y, Y, R, R],
  ['PUT /api/menu-drafts/{draftId}', Y, Y, R, R, {}],
  ['DELETE /api/menu-drafts/{draftId}', Y, Y, R, R],
  ['GET /api/menu-drafts/{draftId}/diff', Y, Y, R, R],
  ['POST /api/menu-drafts/{draftId}/publish', Y, Y, R, R, {}],
  ['POST /api/menu-drafts/{draftId}/items-csv', Y, Y, R, R, {}],
  ['GET /api/menu-drafts/{draftId}/items.csv', Y, Y, R, R],
  ['GET /api/scheduled-publications', Y, Y, Y, Y],
  ['DELETE /api/scheduled-publications/{scheduledId}', Y, Y, Y, Y],
];

let stack: TestStack;
let users: Record<'owner' | 'editor' | 'manager' | 'otherManager', { id: string; email: string; name: string; role: AdminRole }>;
let ids: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
  const make = (role: AdminRole, storeIds: string[] = []) => createAdmin(stack.db, { email: `${role}-${storeIds.join('')}@example.com`, name: role, password: 'correct horse battery staple', role, storeIds });
  users = { owner: await make('owner'), editor: await make('editor'), manager: await make('manager', [stack.storeId]), otherManager: await make('manager', [other.id]) };
  // A device of the store, paired as a terminal would be.
  const owner = (await startSession(stack.db, users.owner, new Date())).token;
  const { code } = (await call<{ code: string }>(stack.url, 'POST', `/api/stores/${stack.storeId}/pairing-codes`, { role: 'kiosk', name: 'Door' }, owner)).body;
  const paired = await call<{ device: { id: string } }>(stack.url, 'POST', '/api/pairing', { code });
  ids = {
    storeId: stack.storeId,
    adminId: users.editor.id,
    deviceId: paired.body.device.id,
    inviteId: '0123456789abcdef',
    menuVersionId: stack.menuVersionId,
    itemId: 'latte',
    draftId: '0195f3c8-0000-7000-8000-00000000d4af',
    scheduledId: '0195f3c8-0000-7000-8000-00000005c4ed',
  };
});
afterAll(async () => {
  await stack?.close();
});

/** Calls a row's route as `token` (or without one). A fresh session each time: some rows end it. */
async function send(route: string, body: unknown, token?: string) {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
  return call<{ error?: { code: string } }>(stack.url, method, path, body === 'its store' ? { storeIds: [stack.storeId] } : body, token);
}

function verdictOf({ status, body }: { status: number; body: { error?: { code: string } } | undefined }): Verdict | string {
  const code = body?.error?.code;
  if (status === 403 && code === R) return R;
  if (status === 404 && (code === 'STORE_NOT_FOUND' || code === 'DEVICE_NOT_FOUND')) return N;
  if (status === 401 || status === 403 || status >= 500) return `${status} ${code}`;
  return Y;
}

describe('who may call what', () => {
  it('has a row for every signed-in route of the API', async () => {
    const document = (await call<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>(stack.url, 'GET', '/api/openapi.json')).body;
    const signedIn = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => method !== 'head' && operation.security)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(TABLE.map(([route]) => route).sort()).toEqual(signedIn.sort());
  });

  it.each(TABLE)('%s: owner %s, menu editor %s, its manager %s, another store’s manager %s', async (route, ...row) => {
    const [owner, editor, manager, otherManager, body] = row;
    const expected = { owner, editor, manager, otherManager };
    const seen: Record<string, string> = {};
    for (const who of Object.keys(expected) as Array<keyof typeof expected>) {
      const { token } = await startSession(stack.db, users[who], new Date());
      seen[who] = verdictOf(await send(route, body, token));
    }
    expect(seen).toEqual(expected);
    // And nobody without a session.
    expect(await send(route, body)).toMatchObject({ status: 401, body: { error: { code: 'AUTH_REQUIRED' } } });
  });

  it('says who may, in words', async () => {
    const { token } = await startSession(stack.db, users.editor, new Date());
    expect(await send('GET /api/stores/{storeId}/devices', undefined, token)).toMatchObject({ body: { error: { message: "Only an owner or the store's manager may do this." } } });
    expect(await send('GET /api/audit', undefined, token)).toMatchObject({ body: { error: { message: 'Only an owner may do this.' } } });
    const manager = (await startSession(stack.db, users.manager, new Date())).token;
    expect(await send('POST /api/menus', {}, manager)).toMatchObject({ body: { error: { message: 'Only an owner or a menu editor may do this.' } } });
  });
});
