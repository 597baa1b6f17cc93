// This terminal's part of the store's LAN, as the core runs it: the peer link (peerLink.ts) once the
// server has certified this device — from then on also after a restart with no server in reach —
// and the multicast-DNS advert that finds peers whose addresses changed while the server was out.
import type { LanAddress } from '#protocol/events';
import type { TerminalEvent } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import type { SecretBox } from '../deviceSecrets';
import type { TerminalClock } from '../terminalClock';
import { lanHosts } from './lanAddresses';
import { LanAdvert, type AdvertisedAddress } from './lanAdvert';
import { lastPeerPort, readIdentity, readPeers, rememberPeerPort } from './peerDirectory';
import { PeerLink } from './peerLink';
import type { PeerIdentity, StorePeer } from './peerRules';

export interface StoreLanOptions {
  /** Where the peer link listens: TILLSYNC_PEER_PORT (0: any free port, kept across renewals). */
  port?: number;
  /** One address to listen on and to give the server, instead of every address of the machine. */
  host?: string;
  /** Advertise and listen by multicast DNS (on every interface, or only `interfaceAddress`'s). */
  advertise?: { interfaceAddress?: string } | false;
}

export interface StoreLanDeps extends StoreLanOptions {
  sql: LocalSql;
  secrets: SecretBox | undefined;
  clock(): TerminalClock;
  emit(event: TerminalEvent): void;
  /** Something was put in the outbox by a peer's change. */
  outboxChanged(): void;
  /** The link started, moved or stopped: the server should hear where it listens. */
  onListening(): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

export class StoreLan {
  private link: PeerLink | null = null;
  private advert: LanAdvert | null = null;
  private certificate: string | null = null;
  /** Where peers last said, by multicast DNS, that they listen. */
  private readonly heard = new Map<string, AdvertisedAddress>();
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StoreLanDeps) {}

  /** Starts the link with this device's certificate, or again with a renewed one; nothing without one. */
  start(): void {
    this.work = this.work.then(() => this.restart()).catch((error: unknown) => this.deps.log('the store’s LAN could not start', { error: error instanceof Error ? error.message : String(error) }));
  }

  private async restart(): Promise<void> {
    const { sql, secrets, log } = this.deps;
    const identity = readIdentity(sql, secrets);
    if (!identity || identity.certificatePem === this.certificate) return;
    // Where it listened before, which its peers know, even when it restarts with no server to tell them.
    const port = this.deps.port || this.link?.port || lastPeerPort(sql) || 0;
    await this.stopLink();
    this.certificate = identity.certificatePem;
    this.link = await this.listen(identity, port).catch((error: unknown) => {
      if (!port || this.deps.port) throw error;
      log('the peer link’s port is taken; listening on another', { port });
      return this.listen(identity, 0);
    });
    rememberPeerPort(sql, this.link.port);
    if (this.deps.advertise) {
      this.advert = new LanAdvert({
        storeId: identity.storeId,
        deviceId: identity.deviceId,
        port: this.link.port,
        ...(this.deps.advertise.interfaceAddress ? { interfaceAddress: this.deps.advertise.interfaceAddress } : {}),
        onFound: (deviceId, address) => {
          const known = this.heard.get(deviceId);
          if (known?.host === address.host && known.port === address.port) return;
          this.heard.set(deviceId, address);
          this.link?.refresh();
        },
        log,
      });
      this.advert.start();
    }
    this.deps.onListening();
  }

  private async listen(identity: PeerIdentity, port: number): Promise<PeerLink> {
    const { sql, log } = this.deps;
    const link = new PeerLink({
      sql,
      identity,
      peers: () => this.peers(),
      log,
      emit: this.deps.emit,
      clock: this.deps.clock,
      outboxChanged: this.deps.outboxChanged,
      port,
      ...(this.deps.host ? { host: this.deps.host } : {}),
    });
    try {
      await link.start();
      return link;
    } catch (error) {
      await link.stop().catch(() => {});
      throw error;
    }
  }

  /** The server's list, with what multicast DNS heard since put first: it is the newer word. */
  private peers(): StorePeer[] {
    return readPeers(this.deps.sql).map((peer) => {
      const heard = this.heard.get(peer.deviceId);
      return heard ? { ...peer, hosts: [heard.host, ...peer.hosts.filter((h) => h !== heard.host)], port: heard.port } : peer;
    });
  }

  /** The store's device list changed: dial who joined or moved, drop who left or was removed. */
  peersChanged(): void {
    this.link?.refresh();
  }

  /** Live links to the store's other terminals. */
  get linksUp(): number {
    return this.link?.status().linksUp ?? 0;
  }

  /** Where the link listens, for the hello; null before it does. */
  address(): LanAddress | null {
    const port = this.link?.port;
    return port ? { port, hosts: this.deps.host ? [this.deps.host] : lanHosts() } : null;
  }

  private async stopLink(): Promise<void> {
    await this.advert?.stop();
    this.advert = null;
    await this.link?.stop();
    this.link = null;
  }

  async stop(): Promise<void> {
    await this.work;
    await this.stopLink();
  }
}
