// Takes one peer's feed: dials it with mutual TLS, subscribes from where this device's cursor for
// it stands, and applies each page in one SQLite transaction with that cursor (invariant 3, per
// publisher). The changes are applied by the code that applies the server's feed, so the same
// order or bump arriving by both paths lands once.
import type { ConnectionOptions } from 'node:tls';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { DeviceIdentity } from '#protocol/deviceCertificate';
import { PEER_NAMESPACE, PeerChangesSchema, type PeerChanges, type PeerPublisherEvents, type PeerSubscriberEvents } from '#protocol/peerEvents';
import type { TerminalEvent } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import { applyChanges } from '../sync/applyChanges';
import type { TerminalClock } from '../terminalClock';
import { breachOf, peerOf, type PeerIdentity, type StorePeer } from './peerRules';

/** Waits between attempts: doubling from the first, never longer than the last. */
const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5_000;

export interface SubscriptionOptions {
  sql: LocalSql;
  identity: PeerIdentity;
  clock(): TerminalClock;
  isRevoked(deviceId: string): boolean;
  log(message: string, fields?: Record<string, unknown>): void;
  emit(event: TerminalEvent): void;
  /** Applying put something in the outbox (see readyWhenMade.ts). */
  outboxChanged(): void;
}

interface Cursor {
  epoch: string;
  seq: number;
}

const readPeerCursor = (sql: LocalSql, deviceId: string) => sql.get<Cursor>('SELECT epoch, seq FROM PeerCursor WHERE deviceId = ?', deviceId) ?? null;

export class PeerSubscription {
  private socket: Socket<PeerPublisherEvents, PeerSubscriberEvents> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private attempts = 0;
  private stopped = false;
  /** The address of the last attempt, the next one tries the next address. */
  private hostIndex = -1;
  up = false;

  constructor(
    private readonly options: SubscriptionOptions,
    public peer: StorePeer,
  ) {}

  start(): void {
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close();
    this.up = false;
  }

  private dial(): void {
    const { identity } = this.options;
    const { peer } = this;
    if (this.stopped || peer.hosts.length === 0 || peer.port === null) return;
    this.hostIndex = (this.hostIndex + 1) % peer.hosts.length;
    const host = peer.hosts[this.hostIndex]!;
    let publisher: DeviceIdentity | null = null;
    // engine.io-client hands its TLS options, checkServerIdentity included, to the websocket's tls.connect.
    const options: Partial<ManagerOptions & SocketOptions> & Pick<ConnectionOptions, 'checkServerIdentity'> = {
      transports: ['websocket'],
      reconnection: false,
      ca: identity.authorityPem,
      cert: identity.certificatePem,
      key: identity.keyPem,
      // The address is only a hint (it may have gone to another device): the certificate must name
      // exactly the device we meant to reach, of our store and still in it.
      checkServerIdentity: (_host, certificate) => {
        const found = peerOf(certificate, identity.storeId, this.options.isRevoked);
        if ('refused' in found) return new Error(found.reason);
        if (found.deviceId !== peer.deviceId) return new Error(`${host} is device ${found.deviceId}, not ${peer.deviceId}`);
        publisher = found;
        return undefined;
      },
    };
    const socket: Socket<PeerPublisherEvents, PeerSubscriberEvents> = io(`https://${host.includes(':') ? `[${host}]` : host}:${peer.port}${PEER_NAMESPACE}`, options);
    this.socket = socket;
    socket.on('connect', () => {
      const cursor = readPeerCursor(this.options.sql, peer.deviceId);
      socket.emit('peer:subscribe', { epoch: cursor?.epoch ?? null, after: cursor?.seq ?? 0 }, (result) => {
        if (!result?.ok) return this.drop(socket, 'subscription refused', { error: result?.error });
        this.attempts = 0;
        this.up = true;
        this.options.emit({ type: 'status' });
      });
    });
    socket.on('peer:changes', (page) => {
      if (publisher) this.take(socket, publisher, page);
    });
    socket.on('connect_error', (error) => this.drop(socket, 'could not reach peer', { host, error: error.message }));
    socket.on('disconnect', () => this.drop(socket, null));
  }

  private take(socket: Socket, publisher: DeviceIdentity, page: PeerChanges): void {
    const { sql } = this.options;
    const parsed = PeerChangesSchema.safeParse(page);
    if (!parsed.success) return this.drop(socket, 'peer sent a page of the wrong shape', { error: parsed.error.message });
    const { epoch, changes } = parsed.data as PeerChanges;
    for (const change of changes) {
      const breach = breachOf(publisher, change);
      if (breach) return this.drop(socket, 'peer broke the rules; its page is dropped', { peer: publisher.deviceId, breach });
    }
    const cursor = readPeerCursor(sql, publisher.deviceId);
    // Within an epoch, numbers only grow: what the cursor has passed was applied already.
    const fresh = cursor?.epoch === epoch ? changes.filter((c) => c.seq > cursor.seq) : changes;
    if (fresh.length === 0) return;
    const last = fresh.at(-1)!.seq;
    const applied = applyChanges(sql, this.options.clock(), this.options.identity.deviceId, fresh, (tx) =>
      tx.run('INSERT INTO PeerCursor (deviceId, epoch, seq) VALUES (?, ?, ?) ON CONFLICT (deviceId) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq', publisher.deviceId, epoch, last),
    );
    applied.events.forEach((event) => this.options.emit(event));
    if (applied.queued) this.options.outboxChanged();
  }

  /** Closes this attempt (logging why, when it is news) and tries again after a while. */
  private drop(socket: Socket, why: string | null, fields?: Record<string, unknown>): void {
    if (socket !== this.socket) return;
    if (why) this.options.log(why, { peer: this.peer.deviceId, ...fields });
    this.socket = null;
    socket.removeAllListeners();
    socket.close();
    if (this.up) {
      this.up = false;
      this.options.emit({ type: 'status' });
    }
    if (this.stopped) return;
    const wait = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** this.attempts++);
    this.retry = setTimeout(() => this.dial(), wait);
  }
}
