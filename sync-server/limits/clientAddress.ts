// Who is calling, for limits and the audit log. Behind a reverse proxy every connection comes from
// the proxy: its X-Forwarded-For then names the client, but only a proxy we trust may say so.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

export type TrustedProxies = ReturnType<typeof proxyAddr.compile>;

/**
 * Compiles the trusted-proxy setting: addresses and CIDR ranges (`10.0.0.0/8`, `::1`), or the
 * presets `loopback`, `linklocal`, `uniquelocal`. Throws on anything else.
 */
export function trustedProxies(list: readonly string[]): TrustedProxies {
  return proxyAddr.compile([...list]);
}

/** Trusts no proxy: the connection's own address is the client's. */
export const NO_PROXY: TrustedProxies = trustedProxies([]);

/** The client's address: the nearest one in X-Forwarded-For that is not a trusted proxy. */
export function clientAddress(request: IncomingMessage, trust: TrustedProxies): string {
  try {
    return ipaddr.process(proxyAddr(request, trust)).toString();
  } catch {
    return request.socket.remoteAddress ?? 'unknown';
  }
}

/**
 * The key a client's budget is kept under. An IPv6 user is usually given a whole /64, so rotating
 * addresses inside it is free: the /64 is the client. IPv4 (and IPv4 mapped into IPv6) is one address.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const network = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(':');
  return `${network}::/64`;
}
