// Each store's certificate authority: a key pair the server makes once for the store, and the
// device certificates it signs with it (sync-server/protocol/deviceCertificate.ts). A terminal
// trusts a peer whose certificate this key signed, so one store's devices never trust another's.
// @peculiar/x509 builds on a dependency-injection container that needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { subjectOf, type DeviceIdentity } from '../protocol/deviceCertificate';

// Node's own WebCrypto; the library's types name the DOM's.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const { subtle } = webcrypto;

const KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** A store's authority outlives any device; it is made again only if its row is deleted. */
const AUTHORITY_YEARS = 20;
/** Signed a little in the past, so that a terminal whose clock is a few minutes slow accepts it. */
const CLOCK_SLACK_MS = 10 * 60_000;

export interface StoreAuthority {
  certificatePem: string;
  /** PKCS #8, PEM. */
  privateKeyPem: string;
}

const serialNumber = () => Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');

export async function createStoreAuthority(storeId: string, now: Date): Promise<StoreAuthority> {
  const keys = (await subtle.generateKey(KEY, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + AUTHORITY_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=Tillsync store authority, O=${storeId}`,
    notBefore: new Date(now.getTime() - CLOCK_SLACK_MS),
    notAfter,
    signingAlgorithm: SIGNATURE,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  return { certificatePem: certificate.toString('pem'), privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/**
 * Signs a device's public key (SPKI, DER) for `validForMs`: the certificate its peers check. The
 * key must be an ECDSA P-256 key; anything else throws.
 */
export async function signDeviceCertificate(authority: StoreAuthority, device: DeviceIdentity, publicKeyDer: Uint8Array, now: Date, validForMs: number): Promise<string> {
  const issuer = new x509.X509Certificate(authority.certificatePem);
  const signingKey = await subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(authority.privateKeyPem), KEY, false, ['sign']);
  const publicKey = await subtle.importKey('spki', publicKeyDer, KEY, true, ['verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: subjectOf(device),
    issuer: issuer.subject,
    notBefore: new Date(now.getTime() - CLOCK_SLACK_MS),
    notAfter: new Date(now.getTime() + validForMs),
    signingAlgorithm: SIGNATURE,
    publicKey,
    signingKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // Both ends of a peer link show their certificate: each is a TLS server and client.
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
    ],
  });
  return certificate.toString('pem');
}
