import type { ServerDb } from '../db/client';
import { appendChanges } from '../feed/changeFeed';
import type { Change } from '../protocol/events';
import { storePeersChange } from './storePeers';

/**
 * Marks a device revoked and tells its store through the feed (`device.revoked`, and `store.peers`,
 * by which its peers refuse its certificate). The caller then disconnects its sockets; from now on
 * its token is refused at connection (invariant 8).
 */
export async function revokeDevice(db: ServerDb, deviceId: string, now = new Date()): Promise<Map<string, Change[]>> {
  return db.$transaction(async (tx) => {
    const device = await tx.device.update({ where: { id: deviceId }, data: { revokedAt: now } });
    const peers = await storePeersChange(tx, device.storeId);
    return appendChanges(tx, [
      { storeId: device.storeId, body: { kind: 'device.revoked', deviceId } },
      { storeId: device.storeId, body: peers },
    ]);
  });
}
