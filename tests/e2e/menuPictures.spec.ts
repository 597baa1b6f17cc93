// Head office uploads a photo and names it on an item; the kiosk fetches it before it shows the new
// menu and serves it from its own copy: the customer sees the photo, loaded, on the card and on the
// item's page, not the drawn placeholder.
import sharp from 'sharp';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { call, uploadPicture } from '../support/adminClient';
import { expect, test } from './fixtures';
import { startOrder } from './kioskSteps';

let token = '';
test.beforeAll(async ({ demo }) => {
  const email = `owner-pictures-${Date.now()}@example.com`;
  await createAdmin(demo.server.db, { email, name: 'Owner', password: 'e2e owner password', role: 'owner' });
  token = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', { email, password: 'e2e owner password' })).body.token;
});

/** An <img> as the page sees it (the tests' TypeScript has no DOM types). */
type Img = { currentSrc: string; complete: boolean; naturalWidth: number };
/** How an <img> ended up: loaded with real pixels, or not. */
const loaded = (img: unknown) => ({ src: (img as Img).currentSrc, complete: (img as Img).complete, naturalWidth: (img as Img).naturalWidth });

test("shows an uploaded photo from the kiosk's own copy, on the item's card and its page", async ({ page, demo }) => {
  const storeId = demo.server.demoStoreId!;
  // A warm latte-brown photo with a lighter band, so a screenshot shows it is the photo.
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 150, g: 96, b: 52 } } })
    .composite([{ input: { create: { width: 1200, height: 220, channels: 3, background: { r: 236, g: 214, b: 180 } } }, top: 340, left: 0 }])
    .png()
    .toBuffer();
  const picture = await uploadPicture(demo.server.url, token, photo, 'latte.png');
  const menu = await loadDemoMenuDocument();
  menu.name = 'Café menu — photographed latte';
  menu.items.find((i) => i.id === 'latte')!.image = picture;
  const created = await call<{ id: string }>(demo.server.url, 'POST', '/api/menus', menu, token);
  expect(created.status).toBe(201);
  expect((await call(demo.server.url, 'POST', `/api/menus/${created.body.id}/publish`, { storeIds: [storeId] }, token)).status).toBe(200);

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 800, height: 1280 },
  ]) {
    await page.setViewportSize(viewport);
    await page.goto(demo.screen('kiosk'));
    await startOrder(page);
    const card = page.locator('[data-item="latte"] img');
    // The kiosk switches once it holds the photo; the screen follows without a reload.
    await expect(card).toHaveAttribute('src', `/media/${picture}-card.webp`, { timeout: 20_000 });
    await card.scrollIntoViewIfNeeded(); // the card's picture loads lazily, as the customer scrolls to it
    await expect.poll(() => card.evaluate(loaded)).toMatchObject({ complete: true, naturalWidth: 640 });
    await expect(page.locator('[data-item="latte"] [data-testid="picture-placeholder"]')).toHaveCount(0);
    // The photo comes from the kiosk's own web host, the page's origin: not from the sync server.
    expect(new URL((await card.evaluate(loaded)).src).origin).toBe(new URL(demo.screen('kiosk')).origin);
    await page.screenshot({ path: `test-results/kiosk-uploaded-picture-${viewport.width}x${viewport.height}.png` });

    await page.locator('[data-item="latte"]').click();
    const full = page.locator('img[src$="-full.webp"]');
    await expect(full).toHaveAttribute('src', `/media/${picture}-full.webp`);
    await expect.poll(() => full.evaluate(loaded)).toMatchObject({ complete: true, naturalWidth: 1200 });
    await page.screenshot({ path: `test-results/kiosk-uploaded-picture-full-${viewport.width}x${viewport.height}.png` });
  }

  // Not one broken image on the screen.
  const broken = await page.locator('img').evaluateAll((images) => images.filter((img) => (img as Img).complete && (img as Img).naturalWidth === 0).length);
  expect(broken).toBe(0);
  expect((await call(demo.server.url, 'POST', `/api/stores/${storeId}/menu/rollback`, undefined, token)).status).toBe(200);
});
