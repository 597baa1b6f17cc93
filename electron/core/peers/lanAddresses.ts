// Where this terminal can be reached on the store's LAN, for its hello's `lan` (PROTOCOL.md §11).
import { networkInterfaces } from 'node:os';
import { MAX_LAN_HOSTS } from '#protocol/events';

/**
 * This machine's non-internal addresses, IPv4 first. Link-local IPv6 (fe80::/10) is left out: it
 * needs the interface's zone to be dialled, which a peer cannot know.
 */
export function lanHosts(interfaces = networkInterfaces()): string[] {
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && !(a.family === 'IPv6' && /^fe[89ab]/i.test(a.address)));
  const ordered = [...addresses.filter((a) => a.family === 'IPv4'), ...addresses.filter((a) => a.family !== 'IPv4')];
  return [...new Set(ordered.map((a) => a.address))].slice(0, MAX_LAN_HOSTS);
}
