import ipaddr from 'ipaddr.js';
import { AppError } from '#protocol/errors';

const isThisMachine = (hostname: string) => {
  const name = hostname.replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || (ipaddr.isValid(name) && ipaddr.process(name).range() === 'loopback');
};

/**
 * A terminal talks to its server over https://: over http:// its device token, and every order,
 * would cross the network readable and changeable by anyone on it. http:// is for a server on this
 * machine, or for development with `allowInsecureHttp` (TILLSYNC_ALLOW_INSECURE_HTTP=1).
 */
export function checkServerUrl(url: string, allowInsecureHttp: boolean): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || (protocol === 'http:' && (isThisMachine(hostname) || allowInsecureHttp))) return;
  throw new AppError(
    'INSECURE_SERVER_URL',
    `Use the server's https:// address, not ${url}: over http:// this terminal's key and its orders would cross the network readable by anyone on it.`,
    'serverUrl',
  );
}
