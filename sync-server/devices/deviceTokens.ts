import { createHash, randomBytes } from 'node:crypto';
import type { ServerDb, ServerTx } from '../db/client';
import type { DeviceRole } from '../protocol/events';
import { uuidv7 } from '../protocol/ids';
import { freeOrderPrefix, prefixesExhausted } from './orderPrefixes';

/**
 * Device tokens are 256 random bits, so a fast hash is enough to store them safely (a slow
 * password hash only helps against guessable secrets). The prefix makes a leaked token easy to spot.
 */
export const newDeviceToken = () => `tsd_${randomBytes(32).toString('base64url')}`;
export const hashDeviceToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewDevice {
  storeId: string;
  role: DeviceRole;
  name: string;
}

/**
 * Registers a device, in the caller's transaction, and returns its token, which is shown this once
 * and never stored. A kiosk gets a free order prefix of its store (orderPrefixes.ts); with none free
 * it is refused, before it could take an order the server would refuse.
 */
export async function registerDeviceIn(tx: ServerTx, { storeId, role, name }: NewDevice, now = new Date()) {
  const token = newDeviceToken();
  let orderPrefix: string | null = null;
  if (role === 'kiosk') {
    // Serialise prefix allocation per store: lock the store row.
    await tx.$queryRaw`SELECT 1 FROM "Store" WHERE id = ${storeId}::uuid FOR NO KEY UPDATE`;
    const free = await freeOrderPrefix(tx, storeId, now);
    if (!free) throw prefixesExhausted();
    if (free.from) await tx.device.update({ where: { id: free.from }, data: { orderPrefix: null } });
    orderPrefix = free.prefix;
  }
  const device = await tx.device.create({ data: { id: uuidv7(), storeId, role, name, orderPrefix, tokenHash: hashDeviceToken(token) } });
  return { device, token };
}

export const registerDevice = (db: ServerDb, device: NewDevice, now = new Date()) => db.$transaction((tx) => registerDeviceIn(tx, device, now));
