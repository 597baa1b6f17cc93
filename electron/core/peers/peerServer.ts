// Publishes this device's feed to the store's other terminals: HTTPS with TLS 1.3 and a client
// certificate signed by the store's authority, Socket.IO namespace /peer, websocket only.
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Server, type Socket } from 'socket.io';
import type { DeviceIdentity } from '#protocol/deviceCertificate';
import { AppError, ERROR_CODES } from '#protocol/errors';
import { MAX_MESSAGE_BYTES } from '#protocol/events';
import { PEER_NAMESPACE, PeerSubscribeSchema, type PeerPublisherEvents, type PeerSubscriberEvents } from '#protocol/peerEvents';
import type { LocalSql } from '../db/localSql';
import { onPeerFeed, peerEpoch, peerFeedAfter } from './peerFeed';
import { peerOf, type PeerIdentity } from './peerRules';

/** A page stays well under the message limit, even of large orders; a page holds at least one change. */
const PAGE_BYTES = MAX_MESSAGE_BYTES / 4;
const PAGE_ROWS = 200;

type PeerSocket = Socket<PeerSubscriberEvents, PeerPublisherEvents, Record<string, never>, { peer: DeviceIdentity }>;
type PeerIo = Server<PeerSubscriberEvents, PeerPublisherEvents, Record<string, never>, { peer: DeviceIdentity }>;

export interface PeerServerOptions {
  sql: LocalSql;
  identity: PeerIdentity;
  isRevoked(deviceId: string): boolean;
  log(message: string, fields?: Record<string, unknown>): void;
}

export class PeerServer {
  private readonly https: HttpsServer;
  private readonly io: PeerIo;

  constructor(private readonly options: PeerServerOptions) {
    const { identity } = options;
    this.https = createServer({
      key: identity.keyPem,
      cert: identity.certificatePem,
      ca: identity.authorityPem,
      minVersion: 'TLSv1.3',
      requestCert: true,
      rejectUnauthorized: true,
    });
    this.io = new Server<PeerSubscriberEvents, PeerPublisherEvents, Record<string, never>, { peer: DeviceIdentity }>(this.https, { transports: ['websocket'], maxHttpBufferSize: MAX_MESSAGE_BYTES, serveClient: false });
    // Only /peer is served: a connection to any other namespace is refused by Socket.IO itself.
    const peers = this.io.of(PEER_NAMESPACE);
    peers.use((socket, next) => {
      const tls = socket.request.socket as TLSSocket;
      const peer = peerOf(tls.getPeerCertificate(), identity.storeId, options.isRevoked);
      if ('refused' in peer) {
        options.log('peer refused', { reason: peer.reason });
        return next(new AppError(peer.refused, ERROR_CODES[peer.refused]));
      }
      socket.data.peer = peer;
      next();
    });
    peers.on('connection', (socket) => this.serve(socket));
  }

  async listen(port: number, host?: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.https.once('error', reject);
      this.https.listen(port, host, () => {
        this.https.off('error', reject);
        resolve();
      });
    });
    return (this.https.address() as AddressInfo).port;
  }

  /** Drops the links of devices removed from the store since they connected. */
  dropRevoked(): void {
    for (const socket of this.io.of(PEER_NAMESPACE).sockets.values()) {
      if (this.options.isRevoked(socket.data.peer.deviceId)) socket.disconnect(true);
    }
  }

  async close(): Promise<void> {
    await this.io.close();
  }

  private serve(socket: PeerSocket): void {
    const { sql } = this.options;
    let stop = () => {};
    socket.on('peer:subscribe', (request, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = PeerSubscribeSchema.safeParse(request);
      if (!parsed.success) return ack({ ok: false, error: { code: 'INVALID_PAYLOAD', message: ERROR_CODES.INVALID_PAYLOAD } });
      const epoch = peerEpoch(sql);
      // Another epoch's numbers mean nothing in this one: all of this feed, then.
      let sent = parsed.data.epoch === epoch ? parsed.data.after : 0;
      ack({ ok: true, data: { epoch } });
      const send = () => {
        for (;;) {
          const page = pageOf(peerFeedAfter(sql, sent, PAGE_ROWS));
          if (page.length === 0) return;
          socket.emit('peer:changes', { epoch, changes: page });
          sent = page.at(-1)!.seq;
        }
      };
      stop();
      stop = onPeerFeed(sql, send);
      send();
    });
    socket.on('disconnect', () => stop());
  }

  port(): number {
    return (this.https.address() as AddressInfo).port;
  }
}

/** The first changes of `changes` that fit in a page. */
function pageOf<T>(changes: T[]): T[] {
  let bytes = 0;
  const page = changes.findIndex((change) => (bytes += JSON.stringify(change).length) > PAGE_BYTES);
  return page === -1 ? changes : changes.slice(0, Math.max(1, page));
}
