// How this terminal is connected, as staff need to know it in an outage: to the cloud (the sync
// server), to the store's other terminals only (the LAN: orders still reach the kitchen), or to
// nobody (orders wait here) — and since when.
import type { LinkState, StoreLinkView } from './api/contract';

export class StoreLink {
  private state: LinkState = 'alone';
  private since: number;
  private peers = 0;
  /** When the cloud was last lost (or this terminal started without it); null while it is reached. */
  private cloudLostAt: number | null;

  constructor(private readonly now: () => number) {
    this.since = now();
    this.cloudLostAt = this.since;
  }

  /** Takes a new reading of both links; true when the state changed. */
  update(cloud: boolean, peersUp: number): boolean {
    this.peers = peersUp;
    if (cloud) this.cloudLostAt = null;
    else this.cloudLostAt ??= this.now();
    const state: LinkState = cloud ? 'cloud' : peersUp > 0 ? 'lan' : 'alone';
    if (state === this.state) return false;
    this.state = state;
    this.since = this.now();
    return true;
  }

  /** Since when the cloud has been out of reach; null while it is reached. */
  get offlineSince(): number | null {
    return this.cloudLostAt;
  }

  view(): StoreLinkView {
    return { state: this.state, since: new Date(this.since).toISOString(), peers: this.peers };
  }
}
