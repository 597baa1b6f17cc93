import { createHash, randomBytes } from 'node:crypto';
import type { DeviceRole } from '../protocol/events';
import { uuidv7 } from '../protocol/ids';
import type { ServerDb } from '../db/client';

/**
 * Device tokens are 256 random bits, so a fast hash is enough to store them safely (a slow
 * password hash only helps against guessable secrets). The prefix makes a leaked token easy to spot.
 */
export const newDeviceToken = () => `tsd_${randomBytes(32).toString('base64url')}`;
export const hashDeviceToken = (token: string) => createHash('sha256').update(token).digest('hex');

// Letters a customer cannot confuse with digits (no I, O) or with each other when called out.
const PREFIX_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function* orderPrefixes(): Generator<string> {
  for (const letter of PREFIX_LETTERS) yield letter;
  for (const first of PREFIX_LETTERS) for (const second of PREFIX_LETTERS) yield first + second;
}

export interface NewDevice {
  storeId: string;
  role: DeviceRole;
  name: string;
}

/**
 * Registers a device and returns its token, which is shown this once and never stored. A kiosk
 * gets the store's first free order prefix, which makes its order numbers unique in the store
 * without asking anyone: invariant 6.
 */
export async function registerDevice(db: ServerDb, { storeId, role, name }: NewDevice) {
  const token = newDeviceToken();
  const device = await db.$transaction(async (tx) => {
    let orderPrefix: string | null = null;
    if (role === 'kiosk') {
      // Serialise prefix allocation per store: lock the store row.
      await tx.$queryRaw`SELECT 1 FROM "Store" WHERE id = ${storeId}::uuid FOR NO KEY UPDATE`;
      const taken = new Set((await tx.device.findMany({ where: { storeId }, select: { orderPrefix: true } })).map((d) => d.orderPrefix));
      for (const prefix of orderPrefixes()) {
        if (!taken.has(prefix)) {
          orderPrefix = prefix;
          break;
        }
      }
    }
    return tx.device.create({ data: { id: uuidv7(), storeId, role, name, orderPrefix, tokenHash: hashDeviceToken(token) } });
  });
  return { device, token };
}
