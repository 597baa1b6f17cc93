// A new screen is paired with the store by typing a one-time code, as staff would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rendererDir } from '../../electron/demoStack';
import { createTerminalCore } from '../../electron/core/terminalCore';
import { startWebHost } from '../../electron/host/webHost';
import { createPairingCode } from '../../sync-server/devices/pairing';
import { expect, test } from './fixtures';
import { addItem, payAtCounter, review, startOrder } from './kioskSteps';

test('pairs an unpaired kitchen screen with a code typed on it', async ({ page, demo }) => {
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-pair-'));
  const core = await createTerminalCore({ databaseFile: join(dir, 'terminal.db'), serverUrl: demo.server.url });
  const host = await startWebHost({ core, rendererDir });
  try {
    await page.goto(`${host.url}/`);
    await expect(page.getByRole('heading', { name: 'Pair this terminal' })).toBeVisible();
    await expect(page.getByLabel('Server address')).toHaveValue(demo.server.url);

    await page.getByLabel('Pairing code').fill('WRNG-C0DE');
    await page.getByRole('button', { name: 'Pair terminal' }).click();
    await expect(page.getByRole('alert')).toContainText('pairing code is unknown, used or expired');

    const { code } = await createPairingCode(demo.server.db, { storeId: demo.server.demoStoreId!, role: 'kitchen', name: 'Tablet by the pass' });
    await page.getByLabel('Pairing code').fill(code.toLowerCase());
    await page.screenshot({ path: 'test-results/pairing.png' });
    await page.getByRole('button', { name: 'Pair terminal' }).click();
    // Paired, it opens its own screen: a kitchen display.
    await expect(page.getByRole('heading', { name: 'Kitchen' })).toBeVisible({ timeout: 10_000 });
    await expect(page).toHaveURL(/\/kitchen$/);
  } finally {
    await host.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('flags an order the server refused for staff on the kiosk', async ({ page, demo }) => {
  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await addItem(page, 'espresso');
  await review(page);
  const number = await payAtCounter(page);

  // What a refusal leaves behind on the kiosk (the server never refuses an honest kiosk's order,
  // so the refusal is written where the outbox would have recorded it).
  const sqlite = new Database(join(demo.dataDir, 'terminals', 'kiosk', 'terminal.db'));
  sqlite.prepare(`UPDATE "Order" SET syncState = 'rejected', rejectCode = 'PRICE_MISMATCH', rejectMessage = 'A price does not match the menu.' WHERE number = ?`).run(number);
  sqlite.close();

  await page.reload();
  await startOrder(page);
  const chip = page.getByTestId('staff-alerts');
  await expect(chip).toHaveText('⚠ 1 need attention');
  // Customers tap; staff hold.
  await chip.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await chip.dispatchEvent('pointerdown');
  await page.waitForTimeout(900);
  await expect(page.getByTestId('rejected-order')).toContainText(number);
  await expect(page.getByTestId('rejected-order')).toContainText('PRICE_MISMATCH');
  // In the screen's language, with the server's own detail beside it.
  await expect(page.getByTestId('rejected-order')).toContainText('A price changed while you were ordering.');
  await expect(page.getByTestId('rejected-order')).toContainText('A price does not match the menu.');
  await page.screenshot({ path: 'test-results/kiosk-staff-alerts.png' });
});
