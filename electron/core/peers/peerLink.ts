// The store's LAN for this terminal (invariant 10): it publishes what this device makes to the
// store's other terminals and takes what it needs from theirs, cloud up or not. Duplicates of what
// the server's feed brings are harmless: every apply is idempotent by id and clock.
import type { TerminalEvent } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import type { TerminalClock } from '../terminalClock';
import { PeerServer } from './peerServer';
import { SUBSCRIBES_TO, type PeerIdentity, type StorePeer } from './peerRules';
import { PeerSubscription } from './peerSubscription';

/** How often the store's device list is read again for peers that came, went, moved or were removed. */
const REFRESH_MS = 10_000;

export interface PeerLinkDeps {
  sql: LocalSql;
  identity: PeerIdentity;
  /** The store's devices as the server last listed them (StorePeer). */
  peers(): StorePeer[];
  log(message: string, fields?: Record<string, unknown>): void;
  emit(event: TerminalEvent): void;
  clock(): TerminalClock;
  /** Applying a peer's bumps put a change in the outbox; the sync client should send it. */
  outboxChanged?(): void;
  /** Where the peer server listens: TILLSYNC_PEER_PORT, 0 for any free port; every address unless told. */
  port?: number;
  host?: string;
}

export interface PeerLinkStatus {
  linksUp: number;
  peers: Array<{ deviceId: string; name: string; role: StorePeer['role']; up: boolean }>;
}

export class PeerLink {
  private readonly server: PeerServer;
  private readonly links = new Map<string, PeerSubscription>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private listening = 0;

  constructor(private readonly deps: PeerLinkDeps) {
    this.server = new PeerServer({ sql: deps.sql, identity: deps.identity, isRevoked: this.isRevoked, log: deps.log });
  }

  private readonly isRevoked = (deviceId: string) => this.deps.peers().some((p) => p.deviceId === deviceId && p.revoked);

  /** Where the peer server listens (for the hello's `lan`); 0 before start. */
  get port(): number {
    return this.listening;
  }

  async start(): Promise<void> {
    this.listening = await this.server.listen(this.deps.port ?? 0, this.deps.host);
    this.refresh();
    this.refreshTimer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    for (const link of this.links.values()) link.stop();
    this.links.clear();
    await this.server.close();
  }

  /** Follows the store's device list: dials new peers, redials moved ones, drops removed ones. */
  refresh(): void {
    const { identity } = this.deps;
    const wanted = new Map(
      this.deps
        .peers()
        .filter((p) => p.deviceId !== identity.deviceId && !p.revoked && SUBSCRIBES_TO[identity.role].includes(p.role) && p.port !== null && p.hosts.length > 0)
        .map((p) => [p.deviceId, p]),
    );
    for (const [deviceId, link] of this.links) {
      const peer = wanted.get(deviceId);
      if (peer && peer.port === link.peer.port && peer.hosts.join() === link.peer.hosts.join()) continue;
      link.stop();
      this.links.delete(deviceId);
    }
    for (const [deviceId, peer] of wanted) {
      if (this.links.has(deviceId)) continue;
      const link = new PeerSubscription({ ...this.deps, isRevoked: this.isRevoked, outboxChanged: this.deps.outboxChanged ?? (() => {}) }, peer);
      this.links.set(deviceId, link);
      link.start();
    }
    this.server.dropRevoked();
  }

  status(): PeerLinkStatus {
    const peers = [...this.links.values()].map(({ peer, up }) => ({ deviceId: peer.deviceId, name: peer.name, role: peer.role, up }));
    return { linksUp: peers.filter((p) => p.up).length, peers };
  }
}
