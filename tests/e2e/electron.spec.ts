// Launches the real Electron app where its binary is installed. The `electron` package downloads
// the binary from outside the npm registry; where that is impossible the test is skipped, saying so.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../../electron/demoStack';
import { OPERATION_NAMES } from '../../electron/core/api/operations';
import { electronBinary } from '../../electron/electronBinary';

const binary = electronBinary();
const SKIP_REASON = "Electron's binary is not installed (the electron package could not download it), so the Electron launch test is skipped.";
if (!binary) console.warn(`\n${SKIP_REASON}\n`);

test.describe('Electron terminal', () => {
  test.skip(!binary, SKIP_REASON);

  test('opens a locked-down kiosk window that reaches its terminal only through the preload bridge', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tillsync-electron-'));
    const { DATABASE_URL: _external, ...env } = process.env;
    const { server, terminals } = await startDemoServer(dataDir, env);
    const kiosk = terminals.find((t) => t.role === 'kiosk')!;
    const app = await electron.launch({
      executablePath: binary!,
      args: [fileURLToPath(new URL('../..', import.meta.url))],
      env: { ...process.env, TILLSYNC_DATA_DIR: kiosk.dataDir, TILLSYNC_SERVER_URL: server.url, TILLSYNC_PAIRING_CODE: kiosk.pairingCode!, TILLSYNC_WINDOW: 'window' },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('button', { name: /tap to order/i })).toBeVisible({ timeout: 30_000 });
      expect(page.url()).toMatch(/^app:\/\/terminal\//);

      // No Node in the renderer; only the bridge's own methods.
      type Page = { require?: unknown; process?: unknown; tillsync?: Record<string, (input?: unknown) => Promise<unknown>>; location: { href: string }; open(url: string): unknown };
      expect(await page.evaluate(() => typeof (globalThis as unknown as Page).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as unknown as Page).process)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as Page).tillsync ?? {}).sort())).toEqual(
        [...OPERATION_NAMES, 'onEvent'].sort(),
      );
      // The bridge validates: a malformed order is refused with a code and nothing is placed.
      const refused = await page.evaluate(() => (globalThis as unknown as Page).tillsync!.placeOrder!({ menuVersionId: 'nope', lines: [], expectedTotalCents: -1 }));
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

      // Navigation away and new windows are refused.
      await page.evaluate(() => void ((globalThis as unknown as Page).location.href = 'https://example.com/'));
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^app:\/\/terminal\//);
      expect(await page.evaluate(() => (globalThis as unknown as Page).open('https://example.com/') === null)).toBe(true);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('keeps a customer in the kiosk window, and lets staff out with their PIN', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tillsync-electron-kiosk-'));
    const { DATABASE_URL: _external, ...env } = process.env;
    const { server, terminals } = await startDemoServer(dataDir, env);
    const kiosk = terminals.find((t) => t.role === 'kiosk')!;
    const app = await electron.launch({
      executablePath: binary!,
      args: [fileURLToPath(new URL('../..', import.meta.url))],
      env: { ...process.env, TILLSYNC_DATA_DIR: kiosk.dataDir, TILLSYNC_SERVER_URL: server.url, TILLSYNC_PAIRING_CODE: kiosk.pairingCode!, TILLSYNC_WINDOW: 'kiosk', TILLSYNC_STAFF_PIN: '4821' },
    });
    try {
      const page = await app.firstWindow();
      await expect(page.getByRole('button', { name: /tap to order/i })).toBeVisible({ timeout: 30_000 });
      expect(await app.evaluate(({ Menu }) => Menu.getApplicationMenu())).toBeNull();
      // Keys that would close, reload or inspect it do nothing.
      for (const keys of ['Control+w', 'Control+q', 'Control+r', 'F5', 'F11', 'F12', 'Control+Shift+i', 'Alt+F4']) await page.keyboard.press(keys);
      await page.waitForTimeout(500);
      expect(app.windows()).toHaveLength(1);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.isDevToolsOpened())).toBe(false);
      // Closing the window is refused too, until staff give their PIN.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
      await page.waitForTimeout(300);
      expect(app.windows()).toHaveLength(1);
      type Bridge = { tillsync: { leaveKiosk(input: { pin: string }): Promise<unknown> } };
      expect(await page.evaluate(() => (globalThis as unknown as Bridge).tillsync.leaveKiosk({ pin: '1111' }))).toMatchObject({ ok: false, error: { code: 'STAFF_PIN_WRONG' } });
      const closed = new Promise((resolve) => app.process().once('exit', resolve));
      expect(await page.evaluate(() => (globalThis as unknown as Bridge).tillsync.leaveKiosk({ pin: '4821' }))).toMatchObject({ ok: true });
      await closed;
    } finally {
      await app.close().catch(() => {});
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
