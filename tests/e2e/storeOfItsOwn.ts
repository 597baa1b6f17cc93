// A store of a spec's own in the demo, with the demo café's menu, a kiosk and a kitchen display
// speaking the protocol from the test: what the spec places, pays and bumps is all the store has,
// whatever the other specs did to the café.
import { expect } from '@playwright/test';
import { DEMO_OWNER } from '../../electron/demoStack';
import type { HelloResponse, MutationBody, PushResponse } from '#protocol/events';
import { formatHlc } from '#protocol/hlc';
import { indexMenu, type MenuDocument, type MenuIndex } from '#protocol/menu';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { connectReadingPayments } from '../support/payments';
import { connectProtocolClient, type ProtocolClient } from '../support/protocolClient';

export type Terminal = ProtocolClient & { hello: HelloResponse };

export interface StoreOfItsOwn {
  id: string;
  name: string;
  /** The owner's bearer token. */
  owner: string;
  menu: MenuIndex;
  kiosk: Terminal;
  kitchen: Terminal;
  /** Sends mutations as the terminal would (numbered for it), expecting each applied. */
  push(terminal: Terminal, mutations: MutationBody[]): Promise<void>;
  /** A kitchen bump's clock at `at` (default now): what a kitchen display stamps. */
  clock(at?: number): string;
  close(): void;
}

/** Opens a new store named `name` with the café's menu, and pairs a kiosk and a kitchen display with it. */
export async function openStoreOfItsOwn(base: string, name: string): Promise<StoreOfItsOwn> {
  const owner = (await call<{ token: string }>(base, 'POST', '/api/sessions', DEMO_OWNER)).body.token;
  const { stores } = (await call<{ stores: Array<{ id: string; name: string; menuVersionId: string }> }>(base, 'GET', '/api/stores', undefined, owner)).body;
  const cafe = stores.find((s) => s.name === DEMO_STORE.name)!;
  const store = (await call<{ id: string; name: string }>(base, 'POST', '/api/stores', { ...DEMO_STORE, name }, owner)).body;
  expect((await call(base, 'POST', `/api/menus/${cafe.menuVersionId}/publish`, { storeIds: [store.id] }, owner)).status).toBe(200);
  const pair = async (role: 'kiosk' | 'kitchen') => {
    const { code } = (await call<{ code: string }>(base, 'POST', `/api/stores/${store.id}/pairing-codes`, { role, name: role }, owner)).body;
    return (await call<{ deviceToken: string }>(base, 'POST', '/api/pairing', { code })).body.deviceToken;
  };
  const kiosk = await connectReadingPayments(base, await pair('kiosk'));
  // A kitchen display of this release: it bumps items as well as whole orders.
  const kitchenClient = await connectProtocolClient(base, { token: await pair('kitchen'), menuFormats: [1, 2], changeKinds: ['store.changed', 'order.paid', 'order.lines'] });
  const hello = await kitchenClient.request<HelloResponse>('session:hello', { protocolVersion: 1, cursor: 0 });
  if (!hello.ok) throw new Error(JSON.stringify(hello.error));
  const kitchen = Object.assign(kitchenClient, { hello: hello.data });
  const { document } = (await call<{ document: MenuDocument }>(base, 'GET', `/api/menus/${cafe.menuVersionId}`, undefined, owner)).body;

  const numbers = new Map<Terminal, number>();
  let counter = 0;
  return {
    ...store,
    owner,
    menu: indexMenu(cafe.menuVersionId, document),
    kiosk,
    kitchen,
    async push(terminal, mutations) {
      const first = (numbers.get(terminal) ?? 0) + 1;
      numbers.set(terminal, first + mutations.length - 1);
      const pushed = await terminal.request<PushResponse>('mutations:push', { mutations: mutations.map((m, i) => ({ id: first + i, ...m })) });
      expect(pushed.ok && pushed.data.results.map((r) => r.outcome)).toEqual(mutations.map(() => 'applied'));
    },
    clock: (at = Date.now()) => formatHlc({ millis: at, counter: counter++, deviceId: kitchen.hello.device.id }),
    close() {
      kiosk.close();
      kitchen.close();
    },
  };
}
