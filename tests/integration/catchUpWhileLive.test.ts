// A terminal that comes back after a long time catches up page by page while new changes keep
// being committed and pushed live: it ends with every change applied once, in order.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { indexMenu } from '#protocol/menu';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { LoadKiosk } from '../support/loadKiosk';
import { readTerminal } from '../support/terminalState';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

let stack: TestStack;
beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack.close();
});

it('applies every change once while it catches up and new changes stream in', { timeout: 120_000 }, async () => {
  const kitchen = await stack.terminal('kitchen');
  await eventually(async () => (await kitchen.core.api.getStatus()).connection === 'online');
  await kitchen.close();

  const menu = indexMenu(stack.menuVersionId, await loadDemoMenuDocument());
  const kiosks = await Promise.all(
    [1, 2, 3].map(async (n) => {
      const { token, device } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: `kiosk ${n}` });
      return LoadKiosk.connect(stack.url, token, device.orderPrefix!, menu);
    }),
  );
  // 6,000 orders from three kiosks while the kitchen is off.
  for (let i = 0; i < 20; i++) for (const kiosk of kiosks) await kiosk.push(kiosk.build(100));
  const kiosk = kiosks[0]!;

  // The kitchen comes back; the kiosk keeps ordering throughout its catch-up.
  const problems: string[] = [];
  let ordering = true;
  const more = (async () => {
    while (ordering) await kiosk.push(kiosk.build(5));
  })();
  // A gap or a change applied out of turn ends the session with "sync session failed".
  const back = await stack.reopen(kitchen, { log: (message, fields) => message.includes('failed') && problems.push(`${message} ${JSON.stringify(fields)}`) });
  await eventually(async () => (await back.core.api.getStatus()).connection === 'online', 60_000);
  await new Promise((r) => setTimeout(r, 300));
  ordering = false;
  await more;
  kiosks.forEach((k) => k.close());

  const head = async () => (await stack.db.store.findUniqueOrThrow({ where: { id: stack.storeId } })).changeSeq;
  await eventually(async () => readTerminal(back.databaseFile).cursor === (await head()), 30_000);
  const orders = await stack.db.order.count();
  const state = readTerminal(back.databaseFile);
  expect(orders).toBeGreaterThan(6000);
  expect(state.orders.size).toBe(orders);
  expect(problems).toEqual([]);
});
