// Menu format 2 (translations, allergens, store prices, subcategories, dayparts) reaches terminals
// that read it whole; terminals from before it get each version written in format 1 for their
// store, live, in pulls and in snapshots, so they keep selling until they are updated.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import type { Change, PullResponse, SnapshotResponse } from '#protocol/events';
import { MenuDocumentSchema, type MenuDocument } from '#protocol/menu';
import { downgradeMenu, MenuDocumentV1Schema } from '#protocol/menuV1';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { adminClient, type AdminClient } from '../support/adminClient';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
let admin: AdminClient;
const clients: ProtocolClient[] = [];
beforeEach(async () => {
  stack = await startTestStack();
  admin = await adminClient(stack.db, stack.url);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await stack.close();
});

/** The demo menu with latte dearer in the test's store and moved into a "Milk coffees" subcategory. */
async function storeMenu(): Promise<MenuDocument> {
  const menu = await loadDemoMenuDocument();
  menu.name = 'Café menu — with store prices';
  menu.categories.push(MenuDocumentSchema.shape.categories.element.parse({ id: 'milk-coffees', parentId: 'coffee', name: { en: 'Milk coffees', nl: 'Koffie met melk', ar: 'قهوة بالحليب' } }));
  const latte = menu.items.find((i) => i.id === 'latte')!;
  latte.categoryId = 'milk-coffees';
  latte.storePrices = { [stack.storeId]: latte.priceCents + 70 };
  return MenuDocumentSchema.parse(menu);
}

async function publish(menu: unknown): Promise<string> {
  const created = await admin.request<{ id: string }>('POST', '/api/menus', menu);
  expect(created.status).toBe(201);
  expect((await admin.request('POST', `/api/menus/${created.body.id}/publish`, { storeIds: [stack.storeId] })).status).toBe(200);
  return created.body.id;
}

async function formatOneTerminal(): Promise<ProtocolClient> {
  const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk from last year' });
  const client = await connectProtocolClient(stack.url, { token });
  clients.push(client);
  return client;
}

it("shows a kiosk every locale's text, its store's own price, and the server charges that price", async () => {
  const kiosk = await stack.terminal('kiosk');
  const menu = await storeMenu();
  const versionId = await publish(menu);
  const view = await eventually(async () => {
    const result = await kiosk.core.call('getMenu', undefined);
    const shown = result.ok ? (result.data as MenuView | null) : null;
    return shown?.versionId === versionId && shown;
  });
  const latte = view.items.find((i) => i.id === 'latte')!;
  const listPrice = menu.items.find((i) => i.id === 'latte')!.priceCents;
  expect(latte.priceCents).toBe(listPrice + 70);
  expect(latte).not.toHaveProperty('storePrices'); // other stores' prices are not the kiosk's business
  expect(latte.name).toEqual({ en: 'Caffè Latte', nl: expect.any(String), ar: expect.any(String) });
  expect(latte.allergens).toContain('milk');
  expect(view).toMatchObject({ defaultLocale: 'en', locales: ['en', 'nl', 'ar'], timeZone: expect.any(String) });

  // The kiosk prices with the store's price, and the server, checking it, agrees.
  const placed = await kiosk.core.call('placeOrder', { menuVersionId: versionId, lines: [{ itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] }], expectedTotalCents: listPrice + 70 });
  expect(placed).toMatchObject({ ok: true });
  const order = await eventually(() => stack.db.order.findFirst({ where: { menuVersionId: versionId } }));
  expect(order.totalCents).toBe(listPrice + 70);
  // Its lines carry the names in the menu's default locale: the kitchen's.
  expect(await stack.db.orderLine.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ name: 'Caffè Latte' });
});

it('writes each version in format 1 for a terminal from before format 2: in snapshots, live and in pulls', async () => {
  const old = await formatOneTerminal();
  const current = await connectProtocolClient(stack.url, { token: (await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'Kiosk of this year' })).token, menuFormats: [1, 2] });
  clients.push(current);
  for (const client of [old, current]) expect(await client.request('session:hello', { protocolVersion: 1, cursor: 0 })).toMatchObject({ ok: true });

  const snapshot = (await old.request<SnapshotResponse>('feed:snapshot', {})) as { ok: true; data: SnapshotResponse };
  expect(MenuDocumentV1Schema.safeParse(snapshot.data.menuVersion!.document).success).toBe(true);

  const menu = await storeMenu();
  const versionId = await publish(menu);
  const published = (client: ProtocolClient) => eventually(() => client.live.find((c): c is Extract<Change, { kind: 'menu.published' }> => c.kind === 'menu.published' && c.menuVersion.id === versionId));
  const [live, liveCurrent] = await Promise.all([published(old), published(current)]);
  // What a format 1 terminal validates with: plain names, no format, nothing it does not know.
  const v1 = MenuDocumentV1Schema.parse(live.menuVersion.document);
  expect(v1).toEqual(downgradeMenu(menu, stack.storeId));
  const latte = v1.items.find((i) => i.id === 'latte')!;
  expect(latte).toMatchObject({ name: 'Caffè Latte', categoryId: 'coffee', priceCents: menu.items.find((i) => i.id === 'latte')!.priceCents + 70 });
  expect(v1.categories.map((c) => c.id)).not.toContain('milk-coffees');
  // Pancakes are sold only at breakfast, a daypart it cannot tell: it sells them all day rather than never.
  expect(menu.items.find((i) => i.id === 'pancakes')!.daypartIds).toEqual(['breakfast']);
  expect(v1.items.some((i) => i.id === 'pancakes')).toBe(true);
  // The same publish reaches a format 2 terminal whole.
  expect(MenuDocumentSchema.parse(liveCurrent.menuVersion.document)).toEqual(menu);

  const pulled = (await old.request<PullResponse>('feed:pull', { after: 0 })) as { ok: true; data: PullResponse };
  const menus = pulled.data.changes.filter((c) => c.kind === 'menu.published');
  expect(menus.length).toBeGreaterThanOrEqual(2);
  for (const change of menus) expect(MenuDocumentV1Schema.safeParse(change.kind === 'menu.published' && change.menuVersion.document).success).toBe(true);
});

it('takes a format 1 document from head office and keeps it as format 2, in English', async () => {
  const v1 = downgradeMenu(await loadDemoMenuDocument(), stack.storeId);
  const created = await admin.request<{ id: string }>('POST', '/api/menus', v1);
  expect(created.status).toBe(201);
  const stored = MenuDocumentSchema.parse((await stack.db.menuVersion.findUniqueOrThrow({ where: { id: created.body.id } })).document);
  expect(stored).toMatchObject({ format: 2, defaultLocale: 'en', locales: ['en'] });
  expect(stored.items.find((i) => i.id === 'latte')!.name).toEqual({ en: 'Caffè Latte' });
});

it('refuses a format 2 document whose texts lack the default locale or use another, naming each', async () => {
  const menu = structuredClone(await loadDemoMenuDocument()) as unknown as { items: Array<{ name: Record<string, string>; description: Record<string, string> }> };
  menu.items[0]!.name = { nl: 'Alleen in het Nederlands' };
  menu.items[1]!.description = { en: 'Fine', fr: 'Bien' };
  const answer = await admin.request<{ error: { problems: Array<{ path: string; message: string }> } }>('POST', '/api/menus', menu);
  expect(answer.status).toBe(400);
  expect(answer.body.error.problems).toEqual([
    { path: 'items[0].name', message: 'Alleen in het Nederlands · name: needs a text in en, the default locale' },
    { path: 'items[1].description.fr', message: expect.stringMatching(/^Americano · description \(fr\): "fr" is not one of the menu's locales$/) },
  ]);
});
