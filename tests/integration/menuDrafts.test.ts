// Head office's menu work: a draft kept as typed with every problem listed (both the shape's and
// the document-wide rules'), what it would change in each store, publishing it now or at a set
// time (once, across server nodes), rollback, and deleting what was never used.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { PublishSchedule } from '#menus/publishSchedule';
import { silentLogger } from '../../sync-server/log';
import type { MenuDocument } from '#protocol/menu';
import { adminClient, type AdminClient } from '../support/adminClient';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

let stack: TestStack;
let admin: AdminClient;
beforeEach(async () => {
  stack = await startTestStack();
  admin = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  await stack.close();
});

interface Draft {
  id: string;
  revision: number;
  document: MenuDocument;
  problems: { path: string; message: string }[];
}

async function menuOf(kiosk: TestTerminal): Promise<MenuView | null> {
  const result = await kiosk.core.call('getMenu', undefined);
  return result.ok ? (result.data as MenuView | null) : null;
}

const startDraft = async (name = 'Spring menu') => {
  const created = await admin.request<Draft>('POST', '/api/menu-drafts', { name, fromVersionId: stack.menuVersionId });
  expect(created.status).toBe(201);
  return created.body;
};

describe('menu drafts', () => {
  it('keeps a draft as typed and lists every problem at once, named as the editor knows it', async () => {
    const draft = await startDraft();
    expect(draft.problems).toEqual([]);
    const document = structuredClone(draft.document);
    const latte = document.items.find((item) => item.id === 'latte')!;
    latte.priceCents = -5; // the shape's round
    (latte.energy as unknown) = { kcal: 'lots', kj: 1 }; // the shape's round
    const cookie = document.items.find((item) => item.id === 'cookie')!;
    cookie.categoryId = 'pastries-gone'; // the document's round, found despite the shape's problems
    cookie.energy = { kcal: 400, kj: 100 }; // the document's round

    const saved = await admin.request<{ revision: number; problems: { path: string; message: string }[] }>('PUT', `/api/menu-drafts/${draft.id}`, { revision: draft.revision, document });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(draft.revision + 1);
    const messages = saved.body.problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Caffè Latte · price: must not be negative',
        expect.stringMatching(/^Caffè Latte · energy kcal: /),
        'Chocolate Chip Cookie · category: no category "pastries-gone"',
        expect.stringMatching(/^Chocolate Chip Cookie · energy kJ: does not match 400 kcal/),
      ]),
    );
    // The API's own check of a version says the same, every problem at once.
    const refused = await admin.request<{ error: { code: string; problems: { message: string }[] } }>('POST', '/api/menus', document);
    expect(refused.status).toBe(400);
    expect(refused.body.error.problems.map((p) => p.message)).toEqual(messages);

    // Read back as it was typed, problems and all; nothing was published.
    const read = await admin.request<Draft>('GET', `/api/menu-drafts/${draft.id}`);
    expect(read.body.document.items.find((item) => item.id === 'latte')!.priceCents).toBe(-5);
    expect(read.body.problems).toEqual(saved.body.problems);
    const refusedPublish = await admin.request<{ error: { code: string } }>('POST', `/api/menu-drafts/${draft.id}/publish`, { revision: saved.body.revision, storeIds: [stack.storeId] });
    expect(refusedPublish).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAYLOAD' } } });
    expect(await stack.db.menuVersion.count()).toBe(1);
  });

  it('refuses a save over someone else\'s, and answers a missing draft as not found', async () => {
    const draft = await startDraft();
    expect((await admin.request('PUT', `/api/menu-drafts/${draft.id}`, { revision: draft.revision, document: draft.document })).status).toBe(200);
    expect(await admin.request('PUT', `/api/menu-drafts/${draft.id}`, { revision: draft.revision, document: { name: 'theirs' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'DRAFT_CHANGED' } },
    });
    expect((await admin.request<Draft>('GET', `/api/menu-drafts/${draft.id}`)).body.document.name).toBe('Spring menu');
    expect((await admin.request('DELETE', `/api/menu-drafts/${draft.id}`)).status).toBe(204);
    expect(await admin.request('GET', `/api/menu-drafts/${draft.id}`)).toMatchObject({ status: 404, body: { error: { code: 'DRAFT_NOT_FOUND' } } });
    expect((await admin.request('PUT', `/api/menu-drafts/${draft.id}`, { revision: 2, document: {} })).status).toBe(404);
    expect((await admin.request('GET', '/api/menu-drafts/not-a-uuid')).status).toBe(404);
    expect(await admin.request('POST', '/api/menu-drafts', { name: 'x', currency: 'euro' })).toMatchObject({ status: 400, body: { error: { path: 'currency' } } });
    expect(await admin.request('PUT', `/api/menu-drafts/${draft.id}`, { revision: 1, document: [] })).toMatchObject({ status: 400 });
  });

  it('shows what publishing would change in each store, then publishes to one store and rolls back', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
    const other = await stack.db.store.create({ data: { id: '0195f3c8-0000-7000-8000-0000000000b2', name: 'Airport', timeZone: 'Europe/Amsterdam', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true } });
    const draft = await startDraft();
    const document = structuredClone(draft.document);
    document.items = document.items.filter((item) => item.id !== 'cookie');
    for (const item of document.items) item.upsellItemIds = item.upsellItemIds.filter((id) => id !== 'cookie');
    document.items.find((item) => item.id === 'latte')!.priceCents = 420;
    // The airport already charges more for a latte: its own price does not move.
    document.items.find((item) => item.id === 'latte')!.storePrices = { [other.id]: 500 };
    document.items.find((item) => item.id === 'espresso')!.allergens = ['milk'];
    document.items.push({ ...document.items.find((item) => item.id === 'espresso')!, id: 'ristretto', name: { en: 'Ristretto' }, priceCents: 260 });
    const saved = await admin.request<{ revision: number; problems: unknown[] }>('PUT', `/api/menu-drafts/${draft.id}`, { revision: draft.revision, document });
    expect(saved.body.problems).toEqual([]);

    const diff = await admin.request<{ stores: Array<{ storeName: string; added: unknown[]; removed: unknown[]; priceChanges: unknown[]; changed: unknown[] }> }>('GET', `/api/menu-drafts/${draft.id}/diff`);
    const byName = new Map(diff.body.stores.map((s) => [s.storeName, s]));
    expect(byName.get('Airport')).toMatchObject({ added: expect.arrayContaining([{ id: 'ristretto', name: 'Ristretto' }]), priceChanges: [] });
    const demo = [...byName.values()].find((s) => s.storeName !== 'Airport')!;
    expect(demo).toMatchObject({
      added: [{ id: 'ristretto', name: 'Ristretto' }],
      removed: [{ id: 'cookie', name: 'Chocolate Chip Cookie' }],
      priceChanges: [{ id: 'latte', fromCents: 380, toCents: 420 }],
      changed: expect.arrayContaining([{ id: 'espresso', name: 'Espresso' }]),
    });

    const published = await admin.request<{ menuVersionId: string; storeIds: string[] }>('POST', `/api/menu-drafts/${draft.id}/publish`, { revision: saved.body.revision, storeIds: [stack.storeId] });
    expect(published).toMatchObject({ status: 200, body: { storeIds: [stack.storeId] } });
    // The draft became the version: it is gone, and the other store still runs what it ran.
    expect((await admin.request('GET', `/api/menu-drafts/${draft.id}`)).status).toBe(404);
    await eventually(async () => (await menuOf(kiosk))?.items.some((item) => item.id === 'ristretto'));
    expect((await stack.db.store.findUniqueOrThrow({ where: { id: other.id } })).menuVersionId).toBeNull();

    // A published version is kept; rollback returns the store to what it ran before.
    expect(await admin.request('DELETE', `/api/menus/${published.body.menuVersionId}`)).toMatchObject({ status: 409, body: { error: { code: 'MENU_VERSION_IN_USE' } } });
    expect((await admin.request('POST', `/api/stores/${stack.storeId}/menu/rollback`)).body).toEqual({ menuVersionId: stack.menuVersionId });
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
  });

  it('publishes at a set time, once, however many server nodes look; a cancelled one never goes', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
    const draft = await startDraft('Breakfast push');
    expect(await admin.request('POST', `/api/menu-drafts/${draft.id}/publish`, { revision: draft.revision, storeIds: [stack.storeId], at: '2020-01-01T06:00:00Z' })).toMatchObject({
      status: 400,
      body: { error: { path: 'at' } },
    });
    expect((await admin.request('POST', `/api/menu-drafts/${draft.id}/publish`, { revision: draft.revision, storeIds: [stack.storeId], at: 'tomorrow' })).status).toBe(400);
    const at = new Date(Date.now() + 60 * 60_000);
    const scheduled = await admin.request<{ menuVersionId: string; storeIds: string[]; scheduled: Array<{ id: string; publishAt: string }> }>('POST', `/api/menu-drafts/${draft.id}/publish`, {
      revision: draft.revision,
      storeIds: [stack.storeId],
      at: at.toISOString(),
    });
    expect(scheduled).toMatchObject({ status: 200, body: { storeIds: [], scheduled: [{ publishAt: at.toISOString() }] } });
    const { menuVersionId } = scheduled.body;
    const listed = await admin.request<{ scheduled: Array<{ id: string; menuName: string }> }>('GET', '/api/scheduled-publications');
    expect(listed.body.scheduled).toEqual([expect.objectContaining({ id: scheduled.body.scheduled[0]!.id, menuName: 'Breakfast push' })]);
    // A version scheduled to go out is kept too.
    expect((await admin.request('DELETE', `/api/menus/${menuVersionId}`)).status).toBe(409);

    // Three nodes find it due at the same moment: it goes out once.
    const broadcasts: unknown[] = [];
    const node = () => new PublishSchedule(stack.db, { broadcast: (changes) => broadcasts.push(changes), audit: stack.server.audit, log: silentLogger, now: () => at.getTime() + 1 });
    const counts = await Promise.all([node().publishDue(), node().publishDue(), node().publishDue()]);
    expect(counts.reduce((a, b) => a + b)).toBe(1);
    expect(broadcasts).toHaveLength(1);
    expect(await stack.db.menuPublication.count({ where: { menuVersionId } })).toBe(1);
    expect((await admin.request<{ scheduled: unknown[] }>('GET', '/api/scheduled-publications')).body.scheduled).toEqual([]);
    expect((await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).menuVersionId).toBe(menuVersionId);

    // Cancelled: never published, and then the unused version can be deleted.
    const second = await startDraft('Never mind');
    const again = await admin.request<{ menuVersionId: string; scheduled: Array<{ id: string }> }>('POST', `/api/menu-drafts/${second.id}/publish`, { revision: second.revision, storeIds: [stack.storeId], at: at.toISOString() });
    expect((await admin.request('DELETE', `/api/scheduled-publications/${again.body.scheduled[0]!.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/scheduled-publications/${again.body.scheduled[0]!.id}`)).status).toBe(404);
    expect(await node().publishDue()).toBe(0);
    expect((await admin.request('DELETE', `/api/menus/${again.body.menuVersionId}`)).status).toBe(204);
    expect(await stack.db.menuVersion.count({ where: { id: again.body.menuVersionId } })).toBe(0);
  });

  it('lets the running server publish a due schedule by itself', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
    const draft = await startDraft('Soon');
    const soon = await admin.request<{ menuVersionId: string }>('POST', `/api/menu-drafts/${draft.id}/publish`, { revision: draft.revision, storeIds: [stack.storeId], at: new Date(Date.now() + 500).toISOString() });
    expect(soon.status).toBe(200);
    await eventually(async () => (await menuOf(kiosk))?.versionId === soon.body.menuVersionId, 15_000);
  });

  it('keeps managers out of the chain\'s drafts', async () => {
    const manager = await adminClient(stack.db, stack.url, { role: 'manager', storeIds: [stack.storeId] });
    expect(await manager.request('POST', '/api/menu-drafts', { name: 'Mine', fromVersionId: stack.menuVersionId })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN_FOR_ROLE' } } });
    expect((await manager.request('GET', '/api/menu-drafts')).status).toBe(403);
  });
});
