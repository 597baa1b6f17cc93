// Who this terminal is to the store's other terminals, and who they are (PROTOCOL.md §11): its own
// P-256 key (made once, sealed like the device token), the server's certificate of it and the
// store's authority; and the store's devices as the server last listed them (`store.peers`).
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { authorityFingerprint, identityOf } from '#protocol/deviceCertificate';
import type { CertifyResponse, StorePeer as ListedPeer } from '#protocol/events';
import type { LocalSql } from '../db/localSql';
import { tokenFromStore, tokenToStore, type SecretBox } from '../deviceSecrets';
import type { PeerIdentity, StorePeer } from './peerRules';

/** A certificate ending sooner than this is renewed: a third of its 30 days, so weeks offline are covered. */
const RENEW_BEFORE_MS = 10 * 24 * 3600_000;

interface PeerColumns {
  peerKey: string | null;
  peerCertificate: string | null;
  storeAuthority: string | null;
}

const readColumns = (sql: LocalSql) => sql.get<PeerColumns>('SELECT peerKey, peerCertificate, storeAuthority FROM DeviceSettings WHERE id = 1');

/** The private key as PEM, or null when there is none or this machine cannot open it. */
function openKey(stored: string | null, box: SecretBox | undefined): string | null {
  if (!stored) return null;
  try {
    return tokenFromStore(stored, box);
  } catch {
    return null;
  }
}

/**
 * The public half (SPKI, DER) of this device's key: the one kept, or a new one made and kept now
 * (also when the kept one was sealed by another machine's keychain: a certificate is then asked for the new one).
 */
export function ownPublicKey(sql: LocalSql, box: SecretBox | undefined): Buffer {
  let keyPem = openKey(readColumns(sql)?.peerKey ?? null, box);
  if (!keyPem) {
    keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    sql.run('UPDATE DeviceSettings SET peerKey = ?, updatedAt = ? WHERE id = 1', tokenToStore(keyPem, box), new Date().toISOString());
  }
  return createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
}

/**
 * Whether to ask the server for a certificate: there is none, it is not for this key, the store's
 * authority is no longer the one that signed it (`authority`, the hello's fingerprint, when the
 * server told one), or it ends within RENEW_BEFORE_MS of `now` (the machine's clock, which its
 * peers' TLS checks it by).
 */
export function certificateDue(sql: LocalSql, publicKeyDer: Buffer, now: number, authority?: string): boolean {
  const stored = readColumns(sql);
  if (!stored?.peerCertificate || !stored.storeAuthority) return true;
  const certificate = new X509Certificate(stored.peerCertificate);
  if (!certificate.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKeyDer)) return true;
  if (authority && authorityFingerprint(stored.storeAuthority) !== authority) return true;
  return Date.parse(certificate.validTo) - now < RENEW_BEFORE_MS;
}

export function saveCertificate(sql: LocalSql, { certificate, storeAuthority }: CertifyResponse): void {
  sql.run('UPDATE DeviceSettings SET peerCertificate = ?, storeAuthority = ?, updatedAt = ? WHERE id = 1', certificate, storeAuthority, new Date().toISOString());
}

/** This device as its peers see it: its key, its certificate and the authority; null until it has them. */
export function readIdentity(sql: LocalSql, box: SecretBox | undefined): PeerIdentity | null {
  const columns = readColumns(sql);
  const keyPem = openKey(columns?.peerKey ?? null, box);
  if (!keyPem || !columns?.peerCertificate || !columns.storeAuthority) return null;
  const identity = identityOf(new X509Certificate(columns.peerCertificate));
  return identity && { keyPem, certificatePem: columns.peerCertificate, authorityPem: columns.storeAuthority, ...identity };
}

/** Replaces the store's devices with the server's newest list, in the caller's transaction. */
export function savePeers(sql: LocalSql, devices: readonly ListedPeer[]): void {
  const now = new Date().toISOString();
  sql.run('DELETE FROM StorePeer');
  for (const { id, role, name, hosts, port, revoked } of devices) {
    sql.run('INSERT INTO StorePeer (deviceId, role, name, hosts, port, revoked, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)', id, role, name, JSON.stringify(hosts), port, revoked ? 1 : 0, now);
  }
}

/** The store's devices, this one included, oldest first as the server listed them. */
export function readPeers(sql: LocalSql): StorePeer[] {
  return sql
    .all<Omit<StorePeer, 'hosts' | 'revoked'> & { hosts: string; revoked: number }>('SELECT deviceId, role, name, hosts, port, revoked FROM StorePeer ORDER BY rowid')
    .map((row) => ({ ...row, hosts: JSON.parse(row.hosts) as string[], revoked: row.revoked === 1 }));
}

/** The port this terminal's peer link last listened on, if it did: the store's other terminals know it. */
export const lastPeerPort = (sql: LocalSql): number | null => sql.get<{ peerPort: number | null }>('SELECT peerPort FROM DeviceSettings WHERE id = 1')?.peerPort ?? null;

export function rememberPeerPort(sql: LocalSql, port: number): void {
  sql.run('UPDATE DeviceSettings SET peerPort = ? WHERE id = 1', port);
}
