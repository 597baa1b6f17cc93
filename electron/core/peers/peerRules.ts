// What a terminal believes of a peer. TLS has already checked that the peer's certificate is signed
// by the store's authority and that the peer holds its key; these checks add what a signature
// cannot say: that the device is of this store, still in it, and speaks only for itself.
import type { PeerCertificate } from 'node:tls';
import { identityOf, readCertificate, type DeviceIdentity } from '#protocol/deviceCertificate';
import type { DeviceRole } from '#protocol/events';
import { parseHlc } from '#protocol/hlc';
import type { PeerFeedChange } from '#protocol/peerEvents';
import { MAY } from '#protocol/roleRights';

/** This device, as its certificate and key say. */
export interface PeerIdentity {
  keyPem: string;
  certificatePem: string;
  authorityPem: string;
  deviceId: string;
  storeId: string;
  role: DeviceRole;
}

/** A device of the store, as the server last listed it. */
export interface StorePeer {
  deviceId: string;
  role: DeviceRole;
  name: string;
  hosts: string[];
  port: number | null;
  revoked: boolean;
}

/** Whom each role takes changes from: the orders, bumps and payments it shows. */
export const SUBSCRIBES_TO: Record<DeviceRole, readonly DeviceRole[]> = {
  kitchen: ['kiosk', 'kitchen'],
  board: ['kiosk', 'kitchen'],
  // Counter orders paid at the kitchen's pass.
  kiosk: ['kitchen'],
};

/** Why a peer is not one of ours: the code it is refused with (PROTOCOL.md §11), and the words logged. */
export interface PeerRefusal {
  refused: 'AUTH_INVALID' | 'DEVICE_REVOKED';
  reason: string;
}

/** The device a peer's certificate names, or why it is not one of ours. */
export function peerOf(certificate: Pick<PeerCertificate, 'raw'> | undefined, store: string, isRevoked: (deviceId: string) => boolean): DeviceIdentity | PeerRefusal {
  const parsed = certificate?.raw ? readCertificate(certificate.raw) : null;
  const identity = parsed ? identityOf(parsed) : null;
  if (!identity) return { refused: 'AUTH_INVALID', reason: 'the certificate names no device' };
  if (identity.storeId !== store) return { refused: 'AUTH_INVALID', reason: `device ${identity.deviceId} is of another store` };
  if (isRevoked(identity.deviceId)) return { refused: 'DEVICE_REVOKED', reason: `device ${identity.deviceId} was removed from the store` };
  return identity;
}

const mutationOf = { 'order.placed': 'order.place', 'order.status': 'order.status', 'order.lines': 'order.lines', 'order.paid': 'order.paid' } as const;

/** Why a publisher may not have sent this change (not its own, or not its role's), or null. */
export function breachOf(publisher: DeviceIdentity, change: PeerFeedChange): string | null {
  if (!MAY[mutationOf[change.kind]].includes(publisher.role)) return `a ${publisher.role} may not publish ${change.kind}`;
  const author = change.kind === 'order.placed' ? change.order.deviceId : change.deviceId;
  if (author !== publisher.deviceId) return `${change.kind} #${change.seq} was made by ${author}, not by the publisher`;
  if ((change.kind === 'order.status' || change.kind === 'order.lines') && parseHlc(change.hlc)?.deviceId !== publisher.deviceId) {
    return `${change.kind} #${change.seq} carries another device's clock`;
  }
  return null;
}
