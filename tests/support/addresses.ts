/**
 * The n-th of many loopback addresses (127.1.0.1, 127.1.0.2, …): load generators connect from one
 * each, as terminals in many stores would, each store's address with its own budgets.
 */
export function loopbackAddress(n: number): string {
  const host = n + 1;
  return `127.${1 + ((host >> 16) & 127)}.${(host >> 8) & 255}.${host & 255}`;
}
