// A store's sold-out board: every item of the menu it runs, sold out or not, with who marked it last
// and when; a store's manager may mark items of their own stores only.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createStore } from '../../sync-server/stores/stores';
import { adminClient, type AdminClient } from '../support/adminClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

interface Board {
  menuVersionId: string | null;
  menuName: string | null;
  categories: Array<{ id: string; name: string; parentId: string | null }>;
  items: Array<{ itemId: string; name: string; categoryId: string; available: boolean; updatedAt: string | null; updatedBy: { id: string; name: string; email: string } | null }>;
}

let stack: TestStack;
let owner: AdminClient;
beforeEach(async () => {
  stack = await startTestStack();
  owner = await adminClient(stack.db, stack.url, { name: 'Ann' });
});
afterEach(async () => {
  await stack.close();
});

const boardOf = async (admin: AdminClient, storeId = stack.storeId) => (await admin.request<Board>('GET', `/api/stores/${storeId}/availability`)).body;
const adminNamed = (name: string) => stack.db.adminUser.findFirstOrThrow({ where: { name }, select: { id: true, name: true, email: true } });

it('lists every item of the menu in menu order, and who marked one sold out or back, and when', async () => {
  const menu = await loadDemoMenuDocument();
  const fresh = await boardOf(owner);
  expect(fresh).toMatchObject({ menuVersionId: stack.menuVersionId, menuName: menu.name });
  expect(fresh.categories.map((c) => c.id)).toEqual(menu.categories.map((c) => c.id));
  expect(fresh.items.map((i) => i.itemId)).toEqual(menu.items.map((i) => i.id));
  expect(fresh.items.find((i) => i.itemId === 'croissant')).toEqual({ itemId: 'croissant', name: 'Butter Croissant', categoryId: expect.any(String), available: true, updatedAt: null, updatedBy: null });

  const before = Date.now();
  expect((await owner.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: false })).status).toBe(200);
  const soldOut = (await boardOf(owner)).items.find((i) => i.itemId === 'croissant')!;
  expect(soldOut).toMatchObject({ available: false, updatedBy: await adminNamed('Ann') });
  expect(Date.parse(soldOut.updatedAt!)).toBeGreaterThanOrEqual(before - 1000);
  expect(Date.parse(soldOut.updatedAt!)).toBeLessThanOrEqual(Date.now() + 1000);

  // The store's manager puts it back: the board names them now.
  const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId], name: 'Bo' });
  expect((await manager.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: true })).status).toBe(200);
  expect((await boardOf(manager)).items.find((i) => i.itemId === 'croissant')).toMatchObject({ available: true, updatedBy: await adminNamed('Bo') });
  // Everything else is as it was.
  expect((await boardOf(owner)).items.filter((i) => i.updatedAt !== null).map((i) => i.itemId)).toEqual(['croissant']);
});

it('shows what the kiosks show: a toggle on the board is the one the terminals apply', async () => {
  const kiosk = await stack.terminal('kiosk');
  expect((await owner.request('PUT', `/api/stores/${stack.storeId}/items/brownie/availability`, { available: false })).status).toBe(200);
  await eventually(async () => {
    const result = await kiosk.core.call('getMenu', undefined);
    return result.ok && (result.data as MenuView | null)?.items.find((i) => i.id === 'brownie')?.available === false;
  });
  const board = await boardOf(owner);
  expect(board.items.filter((i) => !i.available).map((i) => i.itemId)).toEqual(['brownie']);
});

it("keeps a store's board to its owners and managers, and is empty before a menu is published", async () => {
  const other = await createStore(stack.db, { ...DEMO_STORE, name: 'Tillsync Café Utrecht' });
  const theirs = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [other.id] });
  expect(await theirs.request('GET', `/api/stores/${stack.storeId}/availability`)).toMatchObject({ status: 404, body: { error: { code: 'STORE_NOT_FOUND' } } });
  expect(await theirs.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: false })).toMatchObject({
    status: 404,
    body: { error: { code: 'STORE_NOT_FOUND' } },
  });
  expect(await stack.db.itemAvailability.count()).toBe(0);
  expect(await boardOf(theirs, other.id)).toEqual({ menuVersionId: null, menuName: null, categories: [], items: [] });
  expect(await owner.request('PUT', `/api/stores/${stack.storeId}/items/pizza-hawaii/availability`, { available: false })).toMatchObject({
    status: 404,
    body: { error: { code: 'UNKNOWN_ITEM' } },
  });
});
