// The server's side of device certificates (PROTOCOL.md §11): each store's authority, made once on
// first need whichever server node needs it first, and a certificate for the device a socket
// signed in as — its id, store and role as the server knows them, never as the terminal says.
import { createPublicKey } from 'node:crypto';
import type { RawSql } from '../db/sql';
import { AppError } from '../protocol/errors';
import { DEVICE_CERTIFICATE_DAYS, type CertifyResponse } from '../protocol/events';
import type { DeviceIdentity } from '../protocol/deviceCertificate';
import { createStoreAuthority, signDeviceCertificate, type StoreAuthority } from './storeAuthority';

const VALID_MS = DEVICE_CERTIFICATE_DAYS * 24 * 3600_000;

export class StoreAuthorities {
  /** A store's authority never changes once made: each node reads it once. */
  private readonly known = new Map<string, Promise<StoreAuthority>>();

  constructor(private readonly sql: RawSql) {}

  of(storeId: string, now: Date): Promise<StoreAuthority> {
    let authority = this.known.get(storeId);
    if (!authority) {
      authority = this.readOrMake(storeId, now);
      this.known.set(storeId, authority);
      authority.catch(() => this.known.delete(storeId));
    }
    return authority;
  }

  /**
   * Nodes racing to make one store's authority each make a key, and the first insert wins; all then
   * read the winner's. Two statements: the insert's own could not see a row another node committed.
   */
  private async readOrMake(storeId: string, now: Date): Promise<StoreAuthority> {
    const read = () => this.sql.$queryRawUnsafe<StoreAuthority[]>(`SELECT "certificatePem", "privateKeyPem" FROM "StoreAuthority" WHERE "storeId" = $1::uuid`, storeId);
    const [held] = await read();
    if (held) return held;
    const made = await createStoreAuthority(storeId, now);
    await this.sql.$executeRawUnsafe(
      `INSERT INTO "StoreAuthority" ("storeId", "certificatePem", "privateKeyPem", "createdAt") VALUES ($1::uuid, $2, $3, $4) ON CONFLICT ("storeId") DO NOTHING`,
      storeId,
      made.certificatePem,
      made.privateKeyPem,
      now,
    );
    const [kept] = await read();
    return kept!;
  }
}

/** The key as DER, if it is an ECDSA P-256 public key in SubjectPublicKeyInfo; else INVALID_PAYLOAD. */
function p256Key(publicKey: string): Buffer {
  const der = Buffer.from(publicKey, 'base64');
  try {
    const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return der;
  } catch {
    // not a public key at all: refused below like any other
  }
  throw new AppError('INVALID_PAYLOAD', 'publicKey must be an ECDSA P-256 public key (SubjectPublicKeyInfo, DER, base64).', 'publicKey');
}

/** A 30-day certificate of `device` for its key, with the store's authority that signed it. */
export async function certifyDevice(authorities: StoreAuthorities, device: DeviceIdentity, publicKey: string, now: Date): Promise<CertifyResponse> {
  const der = p256Key(publicKey);
  const authority = await authorities.of(device.storeId, now);
  return {
    certificate: await signDeviceCertificate(authority, device, der, now, VALID_MS),
    storeAuthority: authority.certificatePem,
    expiresAt: new Date(now.getTime() + VALID_MS).toISOString(),
  };
}
