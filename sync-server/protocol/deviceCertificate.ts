// A device certificate says which device, store and role holds a key (PROTOCOL.md, "The store's
// LAN"). The server signs one for every terminal with its store's key; terminals check each
// other's against the store's certificate with no server in reach. X.509, so that TLS itself checks
// the signature and that the other end holds the key, and the link is encrypted with it.
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { DeviceRoleSchema, type DeviceRole } from './events';

export interface DeviceIdentity {
  deviceId: string;
  storeId: string;
  role: DeviceRole;
}

/** The certificate's subject: common name the device, organisation its store, unit its role. */
export const subjectOf = ({ deviceId, storeId, role }: DeviceIdentity) => `CN=${deviceId}, O=${storeId}, OU=${role}`;

const SubjectSchema = z.object({ CN: z.uuid(), O: z.uuid(), OU: DeviceRoleSchema });

/**
 * Who a certificate names, or null when its subject is not a device's (the store's own
 * certificate, or anything else). Whether it is signed by the store is TLS's business.
 */
export function identityOf(certificate: X509Certificate): DeviceIdentity | null {
  // Node writes the subject one attribute a line ("CN=…\nO=…\nOU=…"); a value can hold no newline.
  const fields = Object.fromEntries(
    certificate.subject.split('\n').map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
  const parsed = SubjectSchema.safeParse(fields);
  return parsed.success ? { deviceId: parsed.data.CN, storeId: parsed.data.O, role: parsed.data.OU } : null;
}

/** Reads a certificate in PEM or DER (a TLS peer's `raw`); null when it is not one. */
export function readCertificate(data: string | Buffer): X509Certificate | null {
  try {
    return new X509Certificate(data);
  } catch {
    return null;
  }
}

/** What a hello's `storeAuthority` says of a store's authority certificate (PEM): SHA-256 of its DER, lowercase hex. */
export const authorityFingerprint = (certificatePem: string): string => new X509Certificate(certificatePem).fingerprint256.replaceAll(':', '').toLowerCase();
