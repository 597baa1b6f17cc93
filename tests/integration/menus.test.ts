// Menus from head office: versions, publishing, rollback, and live sold-out toggles.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { MenuItemSchema } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
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

async function menuOf(kiosk: TestTerminal): Promise<MenuView | null> {
  const result = await kiosk.core.call('getMenu', undefined);
  return result.ok ? (result.data as MenuView | null) : null;
}

async function winterMenu() {
  const document = await loadDemoMenuDocument();
  document.name = 'Café menu — winter';
  document.items.find((i) => i.id === 'latte')!.priceCents = 410;
  document.items.push(
    MenuItemSchema.parse({ id: 'gluhwein', categoryId: 'cold-drinks', name: { en: 'Mulled Apple Juice', nl: 'Warme appelsap' }, description: { en: 'Warm, spiced, alcohol-free.' }, priceCents: 450 }),
  );
  return document;
}

describe('menus', () => {
  it('validates a menu document, publishes it to a store, and rolls back', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);

    const broken = await winterMenu();
    broken.items[0]!.modifierGroupIds = ['no-such-group'];
    expect(await admin.request('POST', '/api/menus', broken)).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_PAYLOAD', path: 'items[0].modifierGroupIds[0]' } },
    });

    const created = await admin.request<{ id: string; name: string }>('POST', '/api/menus', await winterMenu());
    expect(created).toMatchObject({ status: 201, body: { name: 'Café menu — winter' } });
    const winterId = created.body.id;
    expect(await admin.request('POST', `/api/menus/${winterId}/publish`, { storeIds: [stack.storeId] })).toMatchObject({ status: 200 });

    const winter = await eventually(async () => {
      const menu = await menuOf(kiosk);
      return menu?.versionId === winterId && menu;
    });
    expect(winter.items.find((i) => i.id === 'latte')!.priceCents).toBe(410);
    expect(winter.items.some((i) => i.id === 'gluhwein')).toBe(true);
    expect(await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).toMatchObject({ menuVersionId: winterId });

    expect(await admin.request('POST', `/api/stores/${stack.storeId}/menu/rollback`)).toMatchObject({ status: 200, body: { menuVersionId: stack.menuVersionId } });
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
    // A rollback is itself a publication: rolling back again returns to winter.
    expect(await admin.request('POST', `/api/stores/${stack.storeId}/menu/rollback`)).toMatchObject({ status: 200, body: { menuVersionId: winterId } });
    expect((await admin.request('POST', '/api/menus/0195f3c8-0000-7000-8000-00000000dead/publish', { storeIds: [stack.storeId] })).status).toBe(404);
  });

  it('keeps an order placed on the previous menu valid: it is priced from the version it names', async () => {
    const kiosk = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk))?.versionId === stack.menuVersionId);
    const created = await admin.request<{ id: string }>('POST', '/api/menus', await winterMenu());
    await admin.request('POST', `/api/menus/${created.body.id}/publish`, { storeIds: [stack.storeId] });
    await eventually(async () => (await menuOf(kiosk))?.versionId === created.body.id);

    // A customer who started before the publish still pays the old latte price.
    const placed = await kiosk.core.call('placeOrder', {
      menuVersionId: stack.menuVersionId,
      lines: [{ itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] }],
      expectedTotalCents: 380,
    });
    expect(placed).toMatchObject({ ok: true, data: { totalCents: 380 } });
    await eventually(() => stack.db.order.count());
    expect(await stack.db.order.findFirstOrThrow()).toMatchObject({ menuVersionId: stack.menuVersionId, totalCents: 380 });
  });

  it("lists every problem of a menu at once, named by the item and the field an editor knows", async () => {
    const broken = structuredClone(await winterMenu()) as unknown as {
      items: Array<Record<string, unknown> & { id: string }>;
      categories: Array<Record<string, unknown>>;
      modifierGroups: Array<{ name: { en: string }; options: Array<Record<string, unknown> & { name: { en: string } }> }>;
    };
    broken.items[0]!.priceCents = -100;
    broken.items[1]!.name = { en: '', ar: 'لاتيه' };
    broken.categories[0]!.name = { en: 'x'.repeat(81) };
    broken.modifierGroups[0]!.options[0]!.priceDeltaCents = 'free';
    const answer = await admin.request<{ error: { code: string; message: string; path: string; problems: Array<{ path: string; message: string }> } }>('POST', '/api/menus', broken);
    expect(answer.status).toBe(400);
    const group = broken.modifierGroups[0]!;
    expect(answer.body.error.problems).toEqual(
      expect.arrayContaining([
        { path: 'items[0].priceCents', message: `${(broken.items[0]!.name as { en: string }).en} · price: must not be negative` },
        // An item whose name is the broken field is named by its id.
        { path: 'items[1].name.en', message: `${broken.items[1]!.id} · name (en): must not be empty` },
        { path: 'categories[0].name.en', message: expect.stringMatching(/ · name \(en\): at most 80 characters$/) },
        { path: 'modifierGroups[0].options[0].priceDeltaCents', message: expect.stringMatching(new RegExp(`^${group.name.en} › ${group.options[0]!.name.en} · price change: `)) },
      ]),
    );
    expect(answer.body.error.problems).toHaveLength(4);
    expect(answer.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('(and 3 more)') });
    expect(await stack.db.menuVersion.count()).toBe(1);
  });

  it('greys out a sold-out item on every terminal of the store, live, and refuses it in new orders', async () => {
    const kiosk = await stack.terminal('kiosk');
    const second = await stack.terminal('kiosk');
    await eventually(async () => (await menuOf(kiosk)) && (await menuOf(second)));

    expect(await admin.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: false })).toMatchObject({ status: 200 });
    for (const terminal of [kiosk, second]) {
      await eventually(async () => (await menuOf(terminal))?.items.find((i) => i.id === 'croissant')?.available === false);
    }
    const refused = await kiosk.core.call('placeOrder', {
      menuVersionId: stack.menuVersionId,
      lines: [{ itemId: 'croissant', quantity: 1, optionIds: ['serve-warm'] }],
      expectedTotalCents: 260,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ITEM_SOLD_OUT', message: expect.stringContaining('Butter Croissant') } });

    expect(await admin.request('PUT', `/api/stores/${stack.storeId}/items/croissant/availability`, { available: true })).toMatchObject({ status: 200 });
    await eventually(async () => (await menuOf(kiosk))?.items.find((i) => i.id === 'croissant')?.available === true);
    expect(await admin.request('PUT', `/api/stores/${stack.storeId}/items/pizza-hawaii/availability`, { available: false })).toMatchObject({
      status: 404,
      body: { error: { code: 'UNKNOWN_ITEM' } },
    });
  });

  it('gives a terminal that joins later the current menu and sold-out items in its snapshot', async () => {
    await admin.request('PUT', `/api/stores/${stack.storeId}/items/brownie/availability`, { available: false });
    const latecomer = await stack.terminal('kiosk');
    const menu = await eventually(() => menuOf(latecomer));
    expect(menu.items.find((i) => i.id === 'brownie')!.available).toBe(false);
    expect(menu.items.find((i) => i.id === 'cookie')!.available).toBe(true);
  });
});
