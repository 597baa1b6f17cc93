// A tablet on the shop's network opens a kitchen screen: Chromium runs in a network namespace of
// its own, so it reaches the terminal from a real network address, as a tablet by the pass would.
// Staff read the PIN off the terminal's own screen; the tablet shows the kitchen once it is given.
import { chromium } from '@playwright/test';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { rendererDir } from '../../electron/demoStack';
import { startWebHost, type WebHost } from '../../electron/host/webHost';
import { createPairingCode } from '../../sync-server/devices/pairing';
import { createLanNamespace, lanNamespaceUnavailable, type LanNamespace } from '../support/lanNamespace';
import { CHROMIUM_ARGS, findChromium } from './browser';
import { expect, test } from './fixtures';

const unavailable = lanNamespaceUnavailable();
if (unavailable) console.warn(`\nThe LAN screen walk is skipped: ${unavailable}.\n`);

test.describe('a tablet on the shop network', () => {
  test.skip(Boolean(unavailable), unavailable ?? '');
  let dir: string;
  let core: TerminalCore;
  let host: WebHost;
  let device: LanNamespace;
  test.beforeAll(() => {
    device = createLanNamespace();
  });
  test.afterAll(async () => {
    await host?.close();
    await core?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    device?.close();
  });

  test('opens the kitchen screen with the PIN shown on the terminal', async ({ page, demo }) => {
    dir = await mkdtemp(join(tmpdir(), 'tillsync-lan-'));
    const { code } = await createPairingCode(demo.server.db, { storeId: demo.server.demoStoreId!, role: 'kitchen', name: 'Kitchen PC' });
    core = await createTerminalCore({ databaseFile: join(dir, 'terminal.db'), serverUrl: demo.server.url, pairingCode: code });
    host = await startWebHost({ core, rendererDir, host: '0.0.0.0' });
    const address = `http://${device.hostAddress}:${host.port}`;

    // At the terminal itself: Screens shows where to open it and the PIN.
    await page.goto(`${host.url}/kitchen`);
    await page.getByTestId('screens-button').click();
    await expect(page.getByRole('dialog')).toContainText(address);
    const pin = (await page.getByTestId('screen-pin-shown').textContent())!.trim();
    expect(pin).toMatch(/^\d{6}$/);
    await page.screenshot({ path: 'test-results/kitchen-screens-panel.png' });

    // On the tablet: a browser whose network is the namespace's.
    const wrapper = join(dir, 'chromium-on-the-lan');
    await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${device.name} ${findChromium()} "$@"\n`);
    await chmod(wrapper, 0o755);
    const tablet = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS });
    try {
      const screen = await (await tablet.newContext({ viewport: { width: 1180, height: 820 } })).newPage();
      await screen.goto(`${address}/kitchen`);
      await expect(screen.getByRole('heading', { name: 'Open this screen' })).toBeVisible();
      await screen.getByTestId('screen-pin').fill(pin === '123456' ? '654321' : '123456');
      await screen.getByRole('button', { name: 'Open screen' }).click();
      await expect(screen.getByRole('alert')).toContainText('not the PIN');
      await screen.screenshot({ path: 'test-results/tablet-screen-pin.png' });
      await screen.getByTestId('screen-pin').fill(pin);
      await screen.getByRole('button', { name: 'Open screen' }).click();
      await expect(screen.getByRole('heading', { name: 'Kitchen' })).toBeVisible({ timeout: 15_000 });
      // A tablet may cook, but not see or change the PIN: no Screens button there.
      await expect(screen.getByTestId('screens-button')).toHaveCount(0);
    } finally {
      await tablet.close();
    }
  });
});
