// Terminals of a store hear each other's LAN adverts (multicast DNS) across a real link: this
// machine and a network namespace joined by a virtual Ethernet pair, the packets on that link only.
// A terminal of another store on the same LAN is not taken for one of ours.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LanAdvert, type AdvertisedAddress } from '../../electron/core/peers/lanAdvert';
import { createLanNamespace, lanNamespaceUnavailable, type LanNamespace } from '../support/lanNamespace';

const unavailable = lanNamespaceUnavailable();
if (unavailable) console.log(`LAN advert tests skipped: ${unavailable}`);

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => (check() ? resolve() : Date.now() > deadline ? reject(new Error('not heard in time')) : setTimeout(poll, 50));
    poll();
  });
}

describe.skipIf(unavailable)('LAN adverts', () => {
  it('find the store’s other terminals where they listen, and leave another store’s alone', async () => {
    const lan: LanNamespace = createLanNamespace();
    cleanups.push(() => lan.close());
    const store = randomUUID();
    const [here, there, elsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    const heard = new Map<string, AdvertisedAddress>();
    const advert = new LanAdvert({
      storeId: store,
      deviceId: here,
      port: 4101,
      interfaceAddress: lan.hostAddress,
      onFound: (device, address) => heard.set(device, address),
      log: () => {},
    });
    advert.start();
    cleanups.push(() => advert.stop());

    // The kitchen on the other device, and a terminal of another store on the same LAN.
    const [kitchenHeard] = await Promise.all([
      lan.runTs('tests/support/lanAdvertProcess.ts', [store, there, '4102', lan.clientAddress, '4000']),
      lan.runTs('tests/support/lanAdvertProcess.ts', [randomUUID(), elsewhere, '4103', lan.clientAddress, '4000']),
      until(() => heard.has(there), 4000),
    ]);

    expect(heard.get(there)).toEqual({ host: lan.clientAddress, port: 4102 });
    expect(heard.has(elsewhere)).toBe(false);
    const found = kitchenHeard.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { device: string });
    expect(found).toContainEqual({ device: here, host: lan.hostAddress, port: 4101 });
    expect(found.map((f) => f.device)).not.toContain(elsewhere);
  });
});
