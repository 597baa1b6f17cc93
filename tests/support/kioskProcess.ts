// A kiosk as a process of its own, so a test can kill it with SIGKILL at any instant. It places
// ORDERS orders (one every INTERVAL_MS) and prints "placed <id>" once the customer would see the
// number; with ORDERS=0 it only syncs. Usage: node --import tsx tests/support/kioskProcess.ts
import { createTerminalCore } from '../../electron/core/terminalCore';
import type { MenuView } from '#terminal-api/contract';

const { DB_FILE, SERVER_URL, DEVICE_TOKEN, ORDERS = '0', INTERVAL_MS = '5' } = process.env;
const core = await createTerminalCore({ databaseFile: DB_FILE!, serverUrl: SERVER_URL!, ...(DEVICE_TOKEN ? { deviceToken: DEVICE_TOKEN } : {}) });
const waitForMenu = async (): Promise<MenuView> => {
  for (;;) {
    const found = await core.api.getMenu().catch(() => null);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
};
const menu = await waitForMenu();
console.log('ready');
for (let i = 0; i < Number(ORDERS); i++) {
  const order = await core.api.placeOrder({ menuVersionId: menu.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 });
  process.stdout.write(`placed ${order.id}\n`);
  await new Promise((r) => setTimeout(r, Number(INTERVAL_MS)));
}
for (;;) {
  const status = await core.api.getStatus();
  if (status.pendingUploads === 0 && status.connection === 'online') break;
  await new Promise((r) => setTimeout(r, 20));
}
console.log('synced');
await core.close();
