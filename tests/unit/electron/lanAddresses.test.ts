// Where a terminal says its peer link listens: addresses a peer on the LAN can dial.
import type { NetworkInterfaceInfo } from 'node:os';
import { expect, it } from 'vitest';
import { lanHosts } from '../../../electron/core/peers/lanAddresses';

const address = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;

it('lists the non-internal addresses, IPv4 first, without link-local IPv6, each once, at most 8', () => {
  expect(
    lanHosts({
      lo: [address('127.0.0.1', 'IPv4', true), address('::1', 'IPv6', true)],
      eth0: [address('fe80::1c2b:3ff:fe4d:5e6f', 'IPv6'), address('fd00::23', 'IPv6'), address('192.168.1.23', 'IPv4')],
      wlan0: [address('10.0.0.7', 'IPv4'), address('192.168.1.23', 'IPv4')],
    }),
  ).toEqual(['192.168.1.23', '10.0.0.7', 'fd00::23']);
  expect(lanHosts({ eth0: Array.from({ length: 12 }, (_, i) => address(`10.0.0.${i + 1}`, 'IPv4')) })).toHaveLength(8);
  expect(lanHosts({ lo: [address('127.0.0.1', 'IPv4', true)] })).toEqual([]);
});
