// Pairing: head office (or a store manager) asks for a one-time code for a store and a role; staff
// type it on the new terminal, which exchanges it for its device token. Codes are short enough to
// type, expire in minutes, work once, and are stored hashed.
import { createHash, randomInt } from 'node:crypto';
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import type { DeviceRole } from '../protocol/events';
import { appendChanges } from '../feed/changeFeed';
import { registerDeviceIn } from './deviceTokens';
import { freeOrderPrefix, prefixesExhausted } from './orderPrefixes';
import { storePeersChange } from './storePeers';

// Crockford's base32 without I, L, O, U: nothing to misread. 8 characters = 40 bits.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PAIRING_CODE_MINUTES = 15;
const TAG_LENGTH = 3;

const normalise = (code: string) => code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
const hashCode = (code: string) => createHash('sha256').update(normalise(code)).digest('hex');

/**
 * A code's first three characters name its store (15 bits of a hash of the store's id; stores may
 * share a tag). Wrong guesses are counted per tag, so guessing any one store's codes is slow
 * however many addresses the guesser has; the other five characters (33 million values) are secret.
 */
export function storeTag(storeId: string): string {
  const bits = createHash('sha256').update(storeId).digest().readUInt16BE(0) >> 1;
  return Array.from({ length: TAG_LENGTH }, (_, i) => ALPHABET[(bits >> (5 * (TAG_LENGTH - 1 - i))) & 31]).join('');
}

/** The store tag a typed code claims, for counting a wrong guess against. */
export const tagOf = (code: string) => normalise(code).slice(0, TAG_LENGTH);

export async function createPairingCode(db: ServerDb, { storeId, role, name }: { storeId: string; role: DeviceRole; name: string }, now = new Date()) {
  // A kiosk code the store has no order prefix for would pair a kiosk that can take no order.
  if (role === 'kiosk' && !(await db.$transaction((tx) => freeOrderPrefix(tx, storeId, now)))) throw prefixesExhausted();
  const raw = storeTag(storeId) + Array.from({ length: 8 - TAG_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = new Date(now.getTime() + PAIRING_CODE_MINUTES * 60_000);
  await db.pairingCode.create({ data: { codeHash: hashCode(code), storeId, role, name, expiresAt } });
  return { code, expiresAt: expiresAt.toISOString(), role, name };
}

/**
 * Exchanges a code for a new device and its token, in one transaction: the code is spent only if
 * the device is registered, and two terminals racing with one code cannot both get a device. The
 * store's terminals learn of the new device from the `store.peers` change returned, for the caller
 * to broadcast.
 */
export async function redeemPairingCode(db: ServerDb, code: string, now = new Date()) {
  return db.$transaction(async (tx) => {
    const claimed = await tx.pairingCode.updateMany({
      where: { codeHash: hashCode(code), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw new AppError('PAIRING_CODE_INVALID');
    const pairing = await tx.pairingCode.findUniqueOrThrow({ where: { codeHash: hashCode(code) } });
    const { device, token } = await registerDeviceIn(tx, { storeId: pairing.storeId, role: pairing.role, name: pairing.name }, now);
    await tx.pairingCode.update({ where: { codeHash: pairing.codeHash }, data: { deviceId: device.id } });
    const changes = await appendChanges(tx, [{ storeId: device.storeId, body: await storePeersChange(tx, device.storeId) }]);
    return { device, token, changes };
  });
}
