// The server's side of device certificates (PROTOCOL.md §11): each store's authority, made once on
// first need whichever server node needs it first, and a certificate for the device a socket
// signed in as — its id, store and role as the server knows them, never as the terminal says.
import { createPublicKey } from 'node:crypto';
import type { RawSql } from '../db/sql';
import { AppError } from '../protocol/errors';
import { DEVICE_CERTIFICATE_DAYS, type CertifyResponse } from '../protocol/events';
import { authorityFingerprint, type DeviceIdentity } from '../protocol/deviceCertificate';
import { silentLogger, type Logger } from '../log';
import { isSealed, openAuthorityKey, sealAuthorityKey } from './authoritySeal';
import { createStoreAuthority, signDeviceCertificate, type StoreAuthority } from './storeAuthority';

const VALID_MS = DEVICE_CERTIFICATE_DAYS * 24 * 3600_000;

export class StoreAuthorities {
  /** A store's authority never changes once made: each node reads it once. */
  private readonly known = new Map<string, Promise<StoreAuthority>>();
  private readonly fingerprints = new Map<string, string>();

  constructor(
    private readonly sql: RawSql,
    /** TILLSYNC_AUTHORITY_SECRET: without it private keys are kept as plain PEM. */
    private readonly secret?: string,
    private readonly log: Logger = silentLogger,
  ) {}

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
   * The SHA-256 of the store's authority certificate (DER, lowercase hex) that terminals compare
   * theirs with; the authority is made if the store has none (it was deleted to make a new one).
   */
  async fingerprintOf(storeId: string, now: Date): Promise<string> {
    let fingerprint = this.fingerprints.get(storeId);
    if (!fingerprint) {
      fingerprint = authorityFingerprint((await this.of(storeId, now)).certificatePem);
      this.fingerprints.set(storeId, fingerprint);
    }
    return fingerprint;
  }

  /**
   * Nodes racing to make one store's authority each make a key, and the first insert wins; all then
   * read the winner's. Two statements: the insert's own could not see a row another node committed.
   */
  private async readOrMake(storeId: string, now: Date): Promise<StoreAuthority> {
    const read = () => this.sql.$queryRawUnsafe<KeptAuthority[]>(`SELECT "certificatePem", "privateKey" FROM "StoreAuthority" WHERE "storeId" = $1::uuid`, storeId);
    const [held] = await read();
    if (held) return this.opened(storeId, held);
    const made = await createStoreAuthority(storeId, now);
    await this.sql.$executeRawUnsafe(
      `INSERT INTO "StoreAuthority" ("storeId", "certificatePem", "privateKey", "createdAt") VALUES ($1::uuid, $2, $3, $4) ON CONFLICT ("storeId") DO NOTHING`,
      storeId,
      made.certificatePem,
      this.secret ? sealAuthorityKey(made.privateKeyPem, storeId, this.secret) : made.privateKeyPem,
      now,
    );
    const [kept] = await read();
    return this.opened(storeId, kept!);
  }

  /**
   * The row's key, opened. A key kept plain from before the secret was set is sealed now, so a
   * deployment moves over by setting it; the update leaves alone a row another node sealed meanwhile.
   */
  private async opened(storeId: string, { certificatePem, privateKey }: KeptAuthority): Promise<StoreAuthority> {
    if (isSealed(privateKey)) {
      try {
        if (this.secret) return { certificatePem, privateKeyPem: openAuthorityKey(privateKey, storeId, this.secret) };
      } catch {
        // another secret, or another store's key: refused below like no secret at all
      }
      // The request handler logs no AppError: this one is the operator's to fix, so it is logged here.
      this.log.error('a store authority key does not open: TILLSYNC_AUTHORITY_SECRET is missing or not the one it was sealed with', { storeId });
      throw new AppError('INTERNAL', "The server cannot open this store's authority key; try again later.");
    }
    // A node without the secret may have made it since this one started.
    if (this.secret) await sealPlainKey(this.sql, storeId, privateKey, this.secret);
    return { certificatePem, privateKeyPem: privateKey };
  }
}

/** Seals a key kept plain; leaves alone a row another node sealed meanwhile. */
async function sealPlainKey(sql: RawSql, storeId: string, privateKey: string, secret: string): Promise<void> {
  await sql.$executeRawUnsafe(
    `UPDATE "StoreAuthority" SET "privateKey" = $2 WHERE "storeId" = $1::uuid AND "privateKey" = $3`,
    storeId,
    sealAuthorityKey(privateKey, storeId, secret),
    privateKey,
  );
}

/** A row of "StoreAuthority": its private key is PKCS #8 PEM, or sealed (authoritySeal.ts). */
interface KeptAuthority {
  certificatePem: string;
  privateKey: string;
}

/**
 * At a node's start: refuses to start one that could not open the keys it would sign with (one
 * sealed key is tried, so a missing or wrong secret stops the server at once rather than at some
 * device's certify), and with the secret seals every key still kept plain, so that setting it
 * leaves no readable key behind.
 */
export async function prepareAuthorityKeys(sql: RawSql, secret: string | undefined): Promise<void> {
  await refuseWrongSecret(sql, secret);
  if (!secret) return;
  const plain = await sql.$queryRawUnsafe<Array<KeptAuthority & { storeId: string }>>(`SELECT "storeId", "privateKey" FROM "StoreAuthority" WHERE "privateKey" NOT LIKE 'sealed:%'`);
  for (const { storeId, privateKey } of plain) await sealPlainKey(sql, storeId, privateKey, secret);
}

async function refuseWrongSecret(sql: RawSql, secret: string | undefined): Promise<void> {
  const [row] = await sql.$queryRawUnsafe<Array<KeptAuthority & { storeId: string; sealed: number }>>(
    `SELECT "storeId", "privateKey", count(*) OVER ()::int AS sealed FROM "StoreAuthority" WHERE "privateKey" LIKE 'sealed:%' LIMIT 1`,
  );
  if (!row) return;
  if (secret) {
    try {
      openAuthorityKey(row.privateKey, row.storeId, secret);
      return;
    } catch {
      // another secret: refused below
    }
  }
  const which = row.sealed === 1 ? '1 store authority is sealed' : `${row.sealed} store authorities are sealed`;
  const why = secret ? 'this TILLSYNC_AUTHORITY_SECRET does not open them' : 'TILLSYNC_AUTHORITY_SECRET is not set';
  throw new Error(`${which} and ${why}: start the server with the TILLSYNC_AUTHORITY_SECRET they were sealed with.`);
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
