// The terminal's side of the protocol (sync-server/PROTOCOL.md). On every connection: hello, a
// snapshot if the server asks for one, pages of changes until caught up, then live changes — with
// anything that arrived meanwhile applied in seq order, none twice. The outbox is pushed alongside.
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { AppError, RETRYABLE, type ErrorCode, type Result } from '#protocol/errors';
import {
  CertifyResponseSchema,
  HeldOrdersResponseSchema,
  HelloResponseSchema,
  LiveChangesSchema,
  MAX_PULL_LIMIT,
  MAX_PUSH_BATCH,
  PROTOCOL_VERSION,
  PullResponseSchema,
  PushResponseSchema,
  SnapshotOrdersResponseSchema,
  SnapshotResponseSchema,
  TERMINAL_NAMESPACE,
  type Change,
  type ChangeKind,
  type HelloResponse,
  type LanAddress,
  type Mutation,
  type MutationResult,
  type PullResponse,
  type ServerToTerminalEvents,
  type TerminalToServerEvents,
} from '#protocol/events';
import { MENU_FORMAT } from '#protocol/menu';
import type { Connection, TerminalEvent } from '../api/contract';
import type { LocalSql } from '../db/localSql';
import type { SecretBox } from '../deviceSecrets';
import { certificateDue, ownPublicKey, saveCertificate } from '../peers/peerDirectory';
import type { ClockSample, TerminalClock } from '../terminalClock';
import { applyChanges, applySnapshot, applySnapshotPage, readCursor } from './applyChanges';
import { nextBatch, nextWaitEndsInMs, numberOutboxAfter, settle, type Refusal } from './outbox';
import { heldQueries, ownSyncedOrders, sendAgain } from './reconcile';
import { APP_VERSION } from '../appVersion';

const ACK_TIMEOUT_MS = 15_000;
/**
 * A live terminal pulls now and then even with nothing to fetch: a live change lost on the way is
 * found, and the answer is a fresh reading of the server's clock for a terminal that sends nothing.
 */
const HEARTBEAT_MS = 5 * 60_000;
const RETRY_MIN_MS = 500;
// A kitchen screen must be back within seconds of the network: cap the backoff low.
const RETRY_MAX_MS = 5_000;
/** An upload nobody answered goes again after this long. */
const PUSH_RETRY_MS = 2_000;

export interface SyncClientDeps {
  sql: LocalSql;
  serverUrl: string;
  token: string;
  /** The machine's clocks, to read the server's clock against. */
  wallClock: () => number;
  monotonicClock: () => number;
  /** Saves who the server says this device is; returns the clock to stamp with from now on. */
  onHello(hello: HelloResponse, reading: ClockSample): Promise<TerminalClock>;
  /** The clock took a better reading of the server's: worth keeping for the next start. */
  onClockAdjusted(wallOffsetMs: number): void;
  onEvents(events: TerminalEvent[]): void;
  /** The store's settings (tax, time zone, name) or this display's stations came on the feed or in a snapshot, and are saved. */
  onSettingsChanged(): void;
  onRefusals(refusals: Refusal[]): void;
  /** Seals this device's peer key in terminal.db, as it seals the token. */
  secrets?: SecretBox;
  /** Where this terminal's peer link listens now, for the hello to tell the server; null while it does not. */
  lan?(): LanAddress | null;
  /** Since when this terminal could not reach the server (ISO, the server's clock), for the hello to tell head office; null: no outage to tell. */
  offlineSince?(): string | null;
  /** The store's device list changed (feed or snapshot) and is saved. */
  onPeersChanged?(): void;
  /** A new certificate for this device's peer key is saved. */
  onCertified?(): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

type TerminalSocket = Socket<ServerToTerminalEvents, TerminalToServerEvents>;

/** What this release's terminals read of the feed, as their handshake says (sync-server/terminals/feedReaders.ts). */
export const TERMINAL_READS = { menuFormats: [1, MENU_FORMAT], changeKinds: ['store.changed', 'order.paid', 'order.lines', 'store.peers'] satisfies ChangeKind[] };

export class SyncClient {
  connection: Connection = 'connecting';
  private readonly socket: TerminalSocket;
  private clock: TerminalClock | null = null;
  /** The latest reading of the server's clock, from any answer that carried it. */
  private reading: ClockSample | null = null;
  private deviceId = '';
  private cursor = 0;
  /** Hello done and caught up: live changes may be applied as they come. */
  private live = false;
  private inbox: Change[] = [];
  private feedWork: Promise<void> = Promise.resolve();
  private pushing = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private pushTimer: NodeJS.Timeout | null = null;
  /** When the planned push (`pushTimer`) goes. */
  private pushAt = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly deps: SyncClientDeps) {
    this.socket = io(new URL(TERMINAL_NAMESPACE, deps.serverUrl).toString(), {
      auth: { token: deps.token, ...TERMINAL_READS, appVersion: APP_VERSION },
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: RETRY_MIN_MS,
      reconnectionDelayMax: RETRY_MAX_MS,
      randomizationFactor: 0.5,
      timeout: 10_000,
    });
    this.socket.on('connect', () => this.onFeed(() => this.startSession()));
    this.heartbeat = setInterval(() => this.live && this.onFeed(() => this.catchUp()), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.socket.on('disconnect', (reason) => {
      this.live = false;
      this.setConnection(this.stopped ? this.connection : 'offline');
      // Socket.IO does not reconnect after the server closed the connection on purpose (a revoked
      // device, say). Try again anyway: the server's answer tells us whether to stop.
      if (reason === 'io server disconnect') this.retryLater();
    });
    this.socket.on('connect_error', (error) => this.onConnectError(error));
    this.socket.on('feed:changes', (batch) => {
      const parsed = LiveChangesSchema.safeParse(batch);
      if (!parsed.success) return deps.log('ignored malformed live changes', { error: parsed.error.message });
      this.inbox.push(...parsed.data.changes);
      this.onFeed(() => this.drainInbox());
    });
  }

  start(): void {
    this.socket.connect();
  }

  /** The outbox has something new. */
  nudge(): void {
    void this.pushOutbox();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.socket.disconnect();
    await this.feedWork;
  }

  private setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.deps.onEvents([{ type: 'status' }]);
  }

  private onConnectError(error: Error & { data?: { code?: ErrorCode; retryAfterMs?: number } }): void {
    const code = error.data?.code;
    if (code === 'AUTH_INVALID' || code === 'DEVICE_REVOKED' || code === 'AUTH_REQUIRED') {
      // Retrying cannot help; staff must re-enrol the terminal.
      this.stopped = true;
      this.setConnection(code === 'DEVICE_REVOKED' ? 'revoked' : 'unauthorized');
      return;
    }
    this.setConnection('offline');
    // Socket.IO retries failed transports itself, but not a refusal by the server's middleware.
    if (!this.socket.active) this.retryLater(error.data?.retryAfterMs);
  }

  /** Connects again after a backoff, and never sooner than the server asked (`notBeforeMs`). */
  private retryLater(notBeforeMs = 0): void {
    if (this.stopped || this.retryTimer) return;
    this.failures += 1;
    const backoff = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(this.failures, 10)) * (0.5 + Math.random() / 2);
    const delay = Math.max(backoff, notBeforeMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    }, delay);
    this.retryTimer.unref();
  }

  /** Feed work runs one step at a time; a failed step restarts the session from its hello. */
  private onFeed(step: () => Promise<void>): void {
    this.feedWork = this.feedWork.then(step).catch((error: unknown) => {
      this.deps.log('sync session failed; reconnecting', { error: error instanceof Error ? error.message : String(error) });
      this.live = false;
      if (this.stopped) return;
      this.socket.disconnect();
      this.setConnection('offline');
      this.retryLater(error instanceof AppError ? error.retryAfterMs : undefined);
    });
  }

  /**
   * Sends a request and returns its validated answer. Answers that carry the server's clock are
   * also a reading of it, taken half-way through the round trip.
   */
  private async request<S extends z.ZodType>(event: keyof TerminalToServerEvents, payload: unknown, schema: S): Promise<z.output<S>> {
    // The socket's event map types each event's own payload; this one helper sends them all.
    const timed = this.socket.timeout(ACK_TIMEOUT_MS);
    const emit = timed.emitWithAck.bind(timed) as (event: string, payload: unknown) => Promise<Result<unknown>>;
    const [wallSent, monotonicSent] = [this.deps.wallClock(), this.deps.monotonicClock()];
    const result = await emit(event, payload);
    const [wallReceived, monotonicReceived] = [this.deps.wallClock(), this.deps.monotonicClock()];
    // An AppError means the server refused the request; a plain Error, that the answer was unusable.
    if (!result || typeof result !== 'object' || !('ok' in result)) throw new Error(`The server's answer to ${event} is malformed.`);
    if (!result.ok) {
      const refusal = new AppError(result.error.code, result.error.message, result.error.path);
      if (result.error.retryAfterMs) refusal.retryAfterMs = result.error.retryAfterMs;
      throw refusal;
    }
    const parsed = schema.safeParse(result.data);
    if (!parsed.success) throw new Error(`The server's answer to ${event} is malformed: ${parsed.error.message}`);
    const { serverTime } = parsed.data as { serverTime?: number };
    if (typeof serverTime === 'number') {
      this.reading = {
        serverTime,
        wallAt: (wallSent + wallReceived) / 2,
        monotonicAt: (monotonicSent + monotonicReceived) / 2,
        roundTripMs: monotonicReceived - monotonicSent,
      };
      if (this.clock?.adjust(this.reading)) this.deps.onClockAdjusted(this.clock.wallOffsetMs);
    }
    return parsed.data;
  }

  private async startSession(): Promise<void> {
    this.live = false;
    this.cursor = readCursor(this.deps.sql);
    const hello = await this.hello();
    this.clock = await this.deps.onHello(hello, this.reading!);
    this.deviceId = hello.device.id;
    // Beside the feed, not in its way: a terminal without a certificate still syncs.
    void this.renewCertificate(hello.storeAuthority);
    // The server holds changes under numbers this terminal has not handed out yet: it was restored
    // from a backup. A server whose feed is behind our cursor was restored from one.
    const renumbered = numberOutboxAfter(this.deps.sql, hello.lastMutationId);
    if (renumbered !== null) {
      this.deps.log('the server holds changes under numbers this terminal had not reached: restored from a backup? Numbering on after them', {
        serverHighest: hello.lastMutationId,
        waiting: renumbered,
      });
    }
    const serverRestored = hello.snapshotRequired && this.cursor > 0;
    if (hello.snapshotRequired) {
      await this.loadSnapshot();
      // A change of this display's own stations between the hello and the snapshot is inside the
      // snapshot's seqs but not in it (PROTOCOL.md §4.2): the hello says them again.
      if (this.cursor > hello.headSeq) {
        const again = await this.hello();
        this.clock = await this.deps.onHello(again, this.reading!);
      }
    }
    await this.catchUp();
    if (renumbered !== null || serverRestored) await this.reconcileOrders();
    this.live = true;
    this.failures = 0;
    this.setConnection('online');
    await this.drainInbox();
    void this.pushOutbox();
  }

  /**
   * Tells the server where this terminal's peer link listens now (it started, or moved) by saying
   * hello again, after whatever feed work is under way (the session's own hello may have gone
   * before the link listened). Not connected: the next session's hello says it.
   */
  announceLan(): void {
    this.onFeed(async () => {
      if (this.socket.connected) this.clock = await this.deps.onHello(await this.hello(), this.reading!);
    });
  }

  /** Who this device is and where the store's feed stands, asked from the cursor it holds; and where its peer link listens. */
  private hello(): Promise<HelloResponse> {
    const lan = this.deps.lan?.();
    const offlineSince = this.deps.offlineSince?.();
    return this.request('session:hello', { protocolVersion: PROTOCOL_VERSION, cursor: this.cursor, ...(lan ? { lan } : {}), ...(offlineSince ? { offlineSince } : {}) }, HelloResponseSchema);
  }

  /**
   * Asks the server to certify this device's peer key when it has no certificate for it, one that
   * ends soon, or one the store's authority (`authority`, as the hello names it) did not sign. A
   * failure is logged and tried again at the next session.
   */
  private async renewCertificate(authority: string | undefined): Promise<void> {
    try {
      const publicKeyDer = ownPublicKey(this.deps.sql, this.deps.secrets);
      if (!certificateDue(this.deps.sql, publicKeyDer, this.deps.wallClock(), authority)) return;
      saveCertificate(this.deps.sql, await this.request('device:certify', { publicKey: publicKeyDer.toString('base64') }, CertifyResponseSchema));
      this.deps.log('the server certified this device for the store\'s LAN');
      this.deps.onCertified?.();
    } catch (error) {
      this.deps.log('could not get a certificate for the store\'s LAN; asking again next session', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The store's state as of one seq, its orders page by page; then the feed goes on from that seq. */
  private async loadSnapshot(): Promise<void> {
    const snapshot = await this.request('feed:snapshot', {}, SnapshotResponseSchema);
    const events = applySnapshot(this.deps.sql, this.clock!, this.deviceId, snapshot);
    if (snapshot.store) this.deps.onSettingsChanged();
    if (snapshot.peers) this.deps.onPeersChanged?.();
    this.deps.onEvents(events);
    let more = snapshot.moreOrders;
    let after = snapshot.orders.at(-1)?.id;
    while (more && after) {
      const page = await this.request('feed:snapshotOrders', { after }, SnapshotOrdersResponseSchema);
      this.deps.onEvents(applySnapshotPage(this.deps.sql, this.clock!, this.deviceId, page.orders, page.more ? null : snapshot.seq));
      more = page.more;
      after = page.orders.at(-1)?.id;
    }
    this.cursor = snapshot.seq;
    this.inbox = this.inbox.filter((c) => c.seq > this.cursor);
  }

  /** Sends again those of this terminal's own orders that the server turns out not to hold. */
  private async reconcileOrders(): Promise<void> {
    const own = ownSyncedOrders(this.deps.sql, this.deviceId, this.clock!.now());
    const missing: string[] = [];
    for (const orderIds of heldQueries(own)) {
      const { held } = await this.request('orders:held', { orderIds }, HeldOrdersResponseSchema);
      const holds = new Set(held);
      missing.push(...orderIds.filter((id) => !holds.has(id)));
    }
    const sent = sendAgain(this.deps.sql, missing);
    this.deps.log('reconciled orders with the server', { checked: own.length, sentAgain: sent });
    if (sent > 0) this.deps.onEvents([{ type: 'status' }]);
  }

  /**
   * Pulls pages after the cursor until the feed's head. The next page is asked for before the
   * current one is applied, so the server reads it while this terminal writes.
   */
  private async catchUp(): Promise<void> {
    const pull = (after: number) => this.request('feed:pull', { after, limit: MAX_PULL_LIMIT }, PullResponseSchema);
    let next: ReturnType<typeof pull> | null = pull(this.cursor);
    try {
      while (next) {
        const page: PullResponse = await next;
        const last = page.changes.at(-1)?.seq ?? this.cursor;
        next = page.changes.length > 0 && last < page.headSeq ? pull(last) : null;
        if (page.changes.length > 0) this.apply(page.changes);
      }
    } finally {
      next?.catch(() => {}); // a page asked for before a failure is no longer wanted
    }
  }

  /** Applies live changes in seq order; a gap means some were missed, so pull them. */
  private async drainInbox(): Promise<void> {
    if (!this.live || this.inbox.length === 0) return;
    this.inbox.sort((a, b) => a.seq - b.seq);
    const run: Change[] = [];
    for (const change of this.inbox) {
      if (change.seq <= this.cursor + run.length) continue; // already applied, or a duplicate
      if (change.seq !== this.cursor + run.length + 1) break;
      run.push(change);
    }
    if (run.length > 0) this.apply(run);
    this.inbox = this.inbox.filter((c) => c.seq > this.cursor);
    if (this.inbox.length > 0) {
      await this.catchUp();
      this.inbox = this.inbox.filter((c) => c.seq > this.cursor);
    }
  }

  private apply(changes: Change[]): void {
    changes.forEach((change, i) => {
      if (change.seq !== this.cursor + i + 1) throw new Error(`feed gap: expected seq ${this.cursor + i + 1}, got ${change.seq}`);
    });
    const applied = applyChanges(this.deps.sql, this.clock!, this.deviceId, changes);
    this.cursor = changes.at(-1)!.seq;
    this.socket.emit('feed:applied', { seq: this.cursor });
    if (applied.settingsChanged) this.deps.onSettingsChanged();
    if (applied.peersChanged) this.deps.onPeersChanged?.();
    this.deps.onEvents(applied.events);
    if (applied.queued) this.nudge();
    if (applied.revoked) {
      this.stopped = true;
      this.setConnection('revoked');
      this.socket.disconnect();
    }
  }

  private async pushOutbox(): Promise<void> {
    if (this.pushing) return;
    this.pushing = true;
    try {
      while (this.live && this.socket.connected) {
        const batch = nextBatch(this.deps.sql, MAX_PUSH_BATCH);
        if (batch.length === 0) {
          // What is left waits for its time (the server holds no order for it yet): come back then.
          const waitMs = nextWaitEndsInMs(this.deps.sql);
          if (waitMs !== null) this.pushLater(waitMs, { sooner: true });
          return;
        }
        const results = await this.pushBatch(batch);
        if (!Array.isArray(results)) {
          this.pushLater(results.retryInMs);
          return;
        }
        const { refusals, renumbered } = settle(this.deps.sql, batch, results);
        this.deps.onRefusals(refusals);
        // Screens show what changed: the upload count always, tickets only if a refusal moved one back.
        this.deps.onEvents(refusals.length > 0 ? [{ type: 'status' }, { type: 'orders' }] : [{ type: 'status' }]);
        if (renumbered > 0) {
          // Another copy of this terminal's file used these numbers. A new session learns the
          // server's highest number at its hello and numbers everything on from there.
          this.deps.log('the server holds other changes under some of our mutation numbers; starting a new session', { renumbered });
          this.socket.disconnect().connect();
          return;
        }
      }
    } finally {
      this.pushing = false;
    }
  }

  /** Pushes again after `delayMs`; with `sooner`, also in place of a later push already planned. */
  private pushLater(delayMs: number, { sooner = false } = {}): void {
    if (this.stopped) return;
    if (this.pushTimer) {
      if (!sooner || this.pushAt <= Date.now() + delayMs) return;
      clearTimeout(this.pushTimer);
    }
    this.pushAt = Date.now() + delayMs;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      void this.pushOutbox();
    }, delayMs);
    this.pushTimer.unref();
  }

  /**
   * Sends a batch and returns the server's answers, or when to send it again if there were none
   * (timeout, lost connection, server trouble, or a budget spent): the same mutations go again
   * later and the server applies them once. A server that says how long to wait is obeyed.
   */
  private async pushBatch(batch: Mutation[]): Promise<MutationResult[] | { retryInMs: number }> {
    try {
      return (await this.request('mutations:push', { mutations: batch }, PushResponseSchema)).results;
    } catch (error) {
      if (error instanceof AppError && error.code === 'RATE_LIMITED') {
        this.deps.log('the server asks this terminal to wait before sending more', { retryAfterMs: error.retryAfterMs });
        return { retryInMs: error.retryAfterMs ?? PUSH_RETRY_MS };
      }
      if (error instanceof AppError && !RETRYABLE.has(error.code)) {
        // The server refused the whole push without looking at its mutations (a malformed one).
        // Send them one at a time so only the bad one is refused; it stays flagged for staff.
        if (batch.length > 1) {
          const results: MutationResult[] = [];
          for (const mutation of batch) {
            const one = await this.pushBatch([mutation]);
            if (!Array.isArray(one)) return results.length > 0 ? results : one;
            results.push(...one);
          }
          return results;
        }
        return [{ id: batch[0]!.id, outcome: 'rejected', error: error.toBody() }];
      }
      this.deps.log('upload not acknowledged; will retry', { error: error instanceof Error ? error.message : String(error) });
      return { retryInMs: PUSH_RETRY_MS };
    }
  }
}
