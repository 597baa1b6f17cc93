// What a store's terminals know of each other (PROTOCOL.md §11): every device of the store, where
// its peer link listens, and whether it was revoked. Sent whole (a store has a few dozen devices at
// most) on the feed as `store.peers` whenever any of it changes, and in snapshots.
import type { RawSql } from '../db/sql';
import type { ChangeBody, LanAddress, StorePeer } from '../protocol/events';

/** The store's devices, oldest first, as its terminals know them. */
export async function readStorePeers(db: RawSql, storeId: string): Promise<StorePeer[]> {
  return db.$queryRawUnsafe<StorePeer[]>(
    `SELECT id, role::text AS role, name, "lanHosts" AS hosts, "lanPort" AS port, "revokedAt" IS NOT NULL AS revoked
       FROM "Device" WHERE "storeId" = $1::uuid ORDER BY "createdAt", id`,
    storeId,
  );
}

/**
 * The `store.peers` change to append in the caller's transaction, after it changed a device. The
 * store's row is locked first, so the list is read after every other writer of it committed: of two
 * devices changed at once, the later change names both.
 */
export async function storePeersChange(tx: RawSql, storeId: string): Promise<ChangeBody> {
  await tx.$queryRawUnsafe(`SELECT 1 FROM "Store" WHERE id = $1::uuid FOR NO KEY UPDATE`, storeId);
  return { kind: 'store.peers', devices: await readStorePeers(tx, storeId) };
}

/** Whether a hello's LAN address differs from the one the device row holds. */
export const lanMoved = (held: { lanHosts: string[]; lanPort: number | null }, said: LanAddress) =>
  held.lanPort !== said.port || held.lanHosts.length !== said.hosts.length || held.lanHosts.some((host, i) => host !== said.hosts[i]);
