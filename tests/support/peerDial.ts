// A device knocking at a terminal's peer link (PROTOCOL.md §11) with a certificate of the test's
// choosing: one the store's authority signed, one of a removed device, or a forged one.
import { generateKeyPairSync } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { PeerIdentity } from '../../electron/core/peers/peerRules';
import { signDeviceCertificate, type StoreAuthority } from '../../sync-server/devices/storeAuthority';
import type { DeviceIdentity } from '#protocol/deviceCertificate';
import { PEER_NAMESPACE, type PeerPublisherEvents, type PeerSubscriberEvents } from '#protocol/peerEvents';

export interface PeerAddress {
  host: string;
  port: number;
}

/** A fresh P-256 key and a 30-day certificate for `device`, signed by `by` (the store's authority, or a forger's). */
export async function certifyAs(by: StoreAuthority, device: DeviceIdentity): Promise<PeerIdentity> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificatePem = await signDeviceCertificate(by, device, publicKey.export({ type: 'spki', format: 'der' }), new Date(), 30 * 86_400_000);
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem, authorityPem: by.certificatePem, ...device };
}

/**
 * A subscriber's connection to the publisher at `address`. It trusts `storeAuthorityPem` for the
 * publisher's certificate, so that a refusal is the publisher's, never the dialler's own.
 */
export function connectAs(address: PeerAddress, identity: PeerIdentity, storeAuthorityPem: string): Socket<PeerPublisherEvents, PeerSubscriberEvents> {
  const options: Partial<ManagerOptions & SocketOptions> & Pick<ConnectionOptions, 'checkServerIdentity'> = {
    transports: ['websocket'],
    reconnection: false,
    ca: storeAuthorityPem,
    cert: identity.certificatePem,
    key: identity.keyPem,
    // The publisher's door is under test here, not which device it is.
    checkServerIdentity: () => undefined,
  };
  return io(`https://${address.host}:${address.port}${PEER_NAMESPACE}`, options);
}

/** 'connected', or why the publisher at `address` would not let `identity` in. */
export function dialAs(address: PeerAddress, identity: PeerIdentity, storeAuthorityPem: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectAs(address, identity, storeAuthorityPem);
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}
