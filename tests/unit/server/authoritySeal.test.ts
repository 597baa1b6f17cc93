import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, openAuthorityKey, sealAuthorityKey } from '../../../sync-server/devices/authoritySeal';

const SECRET = 'the secret this deployment seals authority keys with';
const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const store = randomUUID();

describe('a store authority key sealed with TILLSYNC_AUTHORITY_SECRET', () => {
  it('opens to the very PEM it sealed, and shows none of it', () => {
    const sealed = sealAuthorityKey(pem, store, SECRET);
    expect(sealed).toMatch(/^sealed:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(isSealed(sealed)).toBe(true);
    expect(isSealed(pem)).toBe(false);
    expect(openAuthorityKey(sealed, store, SECRET)).toBe(pem);
  });

  it('is sealed anew each time (a fresh IV), each opening alike', () => {
    const [a, b] = [sealAuthorityKey(pem, store, SECRET), sealAuthorityKey(pem, store, SECRET)];
    expect(a).not.toBe(b);
    expect(openAuthorityKey(b, store, SECRET)).toBe(openAuthorityKey(a, store, SECRET));
  });

  it('does not open with another secret, for another store, altered, or when it is not sealed', () => {
    const sealed = sealAuthorityKey(pem, store, SECRET);
    expect(() => openAuthorityKey(sealed, store, 'a secret of the right length that sealed nothing here')).toThrow();
    expect(() => openAuthorityKey(sealed, randomUUID(), SECRET)).toThrow();
    const [iv, tag, body] = sealed.slice('sealed:v1:'.length).split(':') as [string, string, string];
    const flipped = Buffer.from(body, 'base64');
    flipped.writeUInt8(flipped.readUInt8(0) ^ 1, 0);
    expect(() => openAuthorityKey(`sealed:v1:${iv}:${tag}:${flipped.toString('base64')}`, store, SECRET)).toThrow();
    // A tag cut short would be easier to forge: only a whole one is taken.
    expect(() => openAuthorityKey(`sealed:v1:${iv}:${Buffer.from(tag, 'base64').subarray(0, 4).toString('base64')}:${body}`, store, SECRET)).toThrow();
    expect(() => openAuthorityKey(pem, store, SECRET)).toThrow('This is not a sealed store authority key.');
  });
});
