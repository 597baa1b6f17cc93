// The names and addresses this terminal's web host answers to. A browser sends the name it used in
// the Host header; a page on another site that rebinds its own name to this machine (DNS
// rebinding) sends that name, and is refused.
import { hostname, networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1, or either mapped). */
export function isLoopback(address: string | undefined): boolean {
  if (!address || !ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'loopback';
}

const listensEverywhere = (bind: string) => bind === '0.0.0.0' || bind === '::';

/** This machine's own addresses on the network (not loopback). */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal)
    .map((i) => i!.address);
}

/** Where another device of the network opens the host: one URL per address it listens on. */
export function networkUrls(bind: string, port: number): string[] {
  if (isLoopback(bind) || bind === 'localhost') return [];
  const addresses = listensEverywhere(bind) ? ownAddresses().filter((a) => ipaddr.parse(a).kind() === 'ipv4') : [bind];
  return addresses.map((address) => `http://${address}:${port}`);
}

/** How long a reading of the machine's own addresses is kept: interfaces come and go (Wi-Fi). */
const ADDRESSES_FRESH_MS = 10_000;

export class ServedNames {
  private addresses: { at: number; list: Set<string> } | null = null;
  private readonly names: Set<string>;

  constructor(
    private readonly bind: string,
    extraNames: readonly string[],
  ) {
    this.names = new Set(['localhost', ...extraNames.map((n) => n.toLowerCase())]);
    if (!isLoopback(bind)) for (const name of [hostname(), `${hostname()}.local`]) this.names.add(name.toLowerCase());
  }

  /** Whether a request's Host header names this machine, at the port the host listens on. */
  allows(header: string | undefined, port: number): boolean {
    if (!header) return false;
    let url: URL;
    try {
      url = new URL(`http://${header}`);
    } catch {
      return false;
    }
    if ((url.port || '80') !== String(port) || url.username || url.password || url.pathname !== '/') return false;
    const name = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (this.names.has(name) || isLoopback(name)) return true;
    return !isLoopback(this.bind) && ipaddr.isValid(name) && this.own().has(ipaddr.process(name).toString());
  }

  private own(): Set<string> {
    if (!this.addresses || Date.now() - this.addresses.at > ADDRESSES_FRESH_MS) {
      this.addresses = { at: Date.now(), list: new Set(ownAddresses().map((a) => ipaddr.process(a).toString())) };
    }
    return this.addresses.list;
  }
}
