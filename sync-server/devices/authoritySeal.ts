// A store authority's private key as PostgreSQL keeps it when TILLSYNC_AUTHORITY_SECRET is set:
// sealed under a key derived from that secret, which never enters the database. Whoever holds a
// dump or a backup then holds no key that can certify a device into a store's LAN.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const SEALED = 'sealed:v1:';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Whether a stored key is sealed; one from before the secret was set is still the plain PEM. */
export const isSealed = (stored: string): boolean => stored.startsWith(SEALED);

/**
 * A key of its own for each store, and the store id as additional data as well: a sealed value
 * copied into another store's row does not open there, so it cannot become that store's authority.
 */
function keyOf(secret: string, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, storeId, 'tillsync store authority key', 32));
}

/** `sealed:v1:<iv>:<tag>:<ciphertext>`, each base64: the format says itself how to open it. */
export function sealAuthorityKey(privateKeyPem: string, storeId: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, keyOf(secret, storeId), iv, { authTagLength: TAG_BYTES }).setAAD(Buffer.from(storeId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
  return `${SEALED}${[iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64')).join(':')}`;
}

/**
 * The PEM a sealed key holds. Throws when it does not open — another secret, another store's row,
 * a value altered — rather than hand back bytes that are not the store's key.
 */
export function openAuthorityKey(stored: string, storeId: string, secret: string): string {
  const parts = isSealed(stored) ? stored.slice(SEALED.length).split(':') : [];
  if (parts.length !== 3) throw new Error('This is not a sealed store authority key.');
  const [iv, tag, sealed] = parts.map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer, Buffer];
  const decipher = createDecipheriv(CIPHER, keyOf(secret, storeId), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(storeId, 'utf8')).setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
}
