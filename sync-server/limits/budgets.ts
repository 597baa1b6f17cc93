// Invariant 9: every device and address has budgets, shared by all server nodes through
// PostgreSQL (rate-limiter-flexible's store, table "RateLimit"), so one device cannot hurt the
// others and a guesser gains nothing by spreading over nodes. A spent budget is refused with
// RATE_LIMITED and the time to wait; the refusal is remembered in memory for that long, so a
// flood costs the database nothing more.
import type pg from 'pg';
import { BurstyRateLimiter, RateLimiterPostgres, RateLimiterRes } from './rateLimiters';
import { AppError } from '../protocol/errors';

/** A budget of `points` per `seconds`, refilled whole when the window ends. */
export interface Window {
  points: number;
  seconds: number;
}

export interface Limits {
  /**
   * Mutations a device may push: `steady` per minute for ever, and on top a `burst` an hour, so a
   * kiosk's backlog after a day offline (say 2,000 orders) uploads at full speed while a flood is
   * cut to a few a second.
   */
  mutations: { steady: Window; burst: Window };
  /** Connections a client address may open: a store's terminals behind one address reconnect at once. */
  handshakes: Window;
  /** Sockets one device may hold at once, over every node; a newer one closes the oldest. */
  socketsPerDevice: number;
  /** Pushes of one device that may wait on one node while its previous push is merged. */
  pushesWaiting: number;
  /** Sign-in attempts from one client address. */
  signIns: Window;
  /** Wrong passwords for one account (from anywhere) before each try must wait, and before it locks. */
  passwords: { backoffAfter: number; lockAfter: number; lockSeconds: number };
  /** Pairing attempts from one client address. */
  pairings: Window;
  /** Wrong pairing codes for one store, whoever sends them; then its pairing pauses for `seconds`. */
  pairingGuesses: Window;
  /** Receipt pages from one client address: a store's customers may share its Wi-Fi's. */
  receipts: Window;
  /** Certificates one device may ask for: a terminal needs one a few weeks, each costs a signature. */
  certificates: Window;
}

export const DEFAULT_LIMITS: Limits = {
  mutations: { steady: { points: 300, seconds: 60 }, burst: { points: 2500, seconds: 3600 } },
  handshakes: { points: 60, seconds: 10 },
  socketsPerDevice: 2,
  pushesWaiting: 4,
  signIns: { points: 10, seconds: 60 },
  passwords: { backoffAfter: 5, lockAfter: 10, lockSeconds: 15 * 60 },
  pairings: { points: 10, seconds: 60 },
  pairingGuesses: { points: 10, seconds: 10 * 60 },
  receipts: { points: 120, seconds: 60 },
  certificates: { points: 10, seconds: 3600 },
};

/** The budgets of REST calls kept per client address. */
export type AddressBudget = 'sign-ins' | 'pairings' | 'receipts';

/** Called when a budget first runs out in its window: the audit log records it. */
export type OnTrip = (budget: string, key: string) => void;

const TABLE = 'RateLimit';
/** The fewest points of a mutations budget a node takes from the shared store at once. */
const MUTATION_LEASE = 10;
export const secondsText = (ms: number) => `${Math.ceil(ms / 1000)} s`;

export class Budgets {
  private readonly mutations: BurstyRateLimiter;
  private readonly handshakes: RateLimiterPostgres;
  private readonly signIns: RateLimiterPostgres;
  private readonly passwordFailures: RateLimiterPostgres;
  private readonly passwordBackoff: RateLimiterPostgres;
  private readonly pairings: RateLimiterPostgres;
  private readonly pairingGuesses: RateLimiterPostgres;
  private readonly receipts: RateLimiterPostgres;
  private readonly certificates: RateLimiterPostgres;
  /** Budgets reported as run out, until their windows end. */
  private readonly reported = new Map<string, number>();
  /** Devices whose mutations budget is spent, until when (this node's memory of the refusal). */
  private readonly mutationsReopen = new Map<string, number>();
  /** Points of devices' mutations budgets this node has taken and not yet spent, and until when they count. */
  private readonly mutationLeases = new Map<string, { points: number; until: number }>();

  /**
   * Terminals' budgets live on the terminals' connections, head office's on its own: a flood of
   * terminals cannot keep an owner from signing in.
   */
  constructor(
    terminalPool: pg.Pool,
    adminPool: pg.Pool,
    readonly limits: Limits,
    private readonly onTrip: OnTrip,
  ) {
    let cleaner = true;
    const limiter = (pool: pg.Pool, keyPrefix: string, { points, seconds }: Window, extra: { blockDuration?: number } = {}) => {
      const created = new RateLimiterPostgres({
        storeClient: pool,
        tableName: TABLE,
        tableCreated: true,
        // One limiter sweeps the shared table of windows long past.
        clearExpiredByTimeout: cleaner,
        keyPrefix,
        points,
        duration: seconds,
        inMemoryBlockOnConsumed: points,
        ...extra,
      });
      cleaner = false;
      return created;
    };
    this.mutations = new BurstyRateLimiter(limiter(terminalPool, 'mutations', limits.mutations.steady), limiter(terminalPool, 'mutations-burst', limits.mutations.burst));
    this.handshakes = limiter(terminalPool, 'handshakes', limits.handshakes);
    this.pairings = limiter(terminalPool, 'pairings', limits.pairings);
    this.pairingGuesses = limiter(terminalPool, 'pairing-guesses', limits.pairingGuesses);
    this.certificates = limiter(terminalPool, 'certificates', limits.certificates);
    this.signIns = limiter(adminPool, 'sign-ins', limits.signIns);
    this.receipts = limiter(adminPool, 'receipts', limits.receipts);
    const { lockAfter, lockSeconds } = limits.passwords;
    // A day's window of wrong passwords; the one that reaches `lockAfter` locks the account.
    this.passwordFailures = limiter(adminPool, 'password-failures', { points: lockAfter - 1, seconds: 24 * 3600 }, { blockDuration: lockSeconds });
    this.passwordBackoff = limiter(adminPool, 'password-backoff', { points: 1, seconds: 1 });
  }

  /**
   * A client address's budget of HTTP calls (sign-ins, pairings, receipt pages), which
   * @fastify/rate-limit takes from before a request's body is even read (see http/addressLimits.ts).
   */
  addressBudget(name: AddressBudget): { limiter: RateLimiterPostgres; window: Window } {
    switch (name) {
      case 'sign-ins':
        return { limiter: this.signIns, window: this.limits.signIns };
      case 'pairings':
        return { limiter: this.pairings, window: this.limits.pairings };
      case 'receipts':
        return { limiter: this.receipts, window: this.limits.receipts };
    }
  }

  /** Reports a budget that ran out, once per key until its window ends (on this node). */
  tripped(budget: string, key: string, msBeforeNext: number): void {
    const id = `${budget}:${key}`;
    const now = Date.now();
    if ((this.reported.get(id) ?? 0) > now) return;
    this.reported.set(id, now + msBeforeNext);
    if (this.reported.size > 10_000) for (const [k, until] of this.reported) if (until <= now) this.reported.delete(k);
    this.onTrip(budget, key);
  }

  /** Takes `points` from a budget, or refuses with the time to wait. */
  private async take(budget: string, limiter: RateLimiterPostgres | BurstyRateLimiter, key: string, points: number, explain: (wait: string) => string): Promise<RateLimiterRes> {
    try {
      return (await limiter.consume(key, points)) as RateLimiterRes;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal; // the database did not answer: not a refusal
      this.tripped(budget, key, refusal.msBeforeNext);
      throw AppError.wait('RATE_LIMITED', explain(secondsText(refusal.msBeforeNext)), refusal.msBeforeNext);
    }
  }

  /**
   * Takes `count` points of a device's mutations budget. This node takes them from the shared
   * budget at least MUTATION_LEASE at a time and spends the rest on the device's next pushes, so a
   * kiosk sending one order at a time costs the database one write every few pushes rather than one
   * a push. Every point spent was taken from the shared budget first, so no node lets a device
   * exceed it; points left unspent when their window ends are lost, a few per node and window.
   */
  async takeMutations(deviceId: string, count: number): Promise<void> {
    const now = Date.now();
    const lease = this.mutationLeases.get(deviceId);
    const held = lease && lease.until > now ? lease.points : 0;
    if (held >= count) {
      lease!.points -= count;
      return;
    }
    const taking = Math.max(count - held, MUTATION_LEASE);
    let taken: RateLimiterRes;
    try {
      taken = await this.take('mutations', this.mutations, deviceId, taking, (wait) => `This device sent more changes than it may. Send them again in ${wait}.`);
    } catch (error) {
      if (error instanceof AppError && error.retryAfterMs) this.mutationsReopen.set(deviceId, Date.now() + error.retryAfterMs);
      throw error;
    }
    this.mutationLeases.set(deviceId, { points: held + taking - count, until: now + taken.msBeforeNext });
    if (this.mutationLeases.size > 10_000) for (const [key, { until }] of this.mutationLeases) if (until <= now) this.mutationLeases.delete(key);
  }

  /**
   * A device told to wait before pushing again, that has not waited: refused (with the time still
   * to wait) before its push is even read, so a flood costs next to nothing. Null once it may push.
   */
  mutationsStillWaiting(deviceId: string): AppError | null {
    const reopens = this.mutationsReopen.get(deviceId);
    if (reopens === undefined) return null;
    const wait = reopens - Date.now();
    if (wait <= 0) {
      this.mutationsReopen.delete(deviceId);
      return null;
    }
    return AppError.wait('RATE_LIMITED', `This device sent more changes than it may. Send them again in ${secondsText(wait)}.`, wait);
  }

  async takeCertificate(deviceId: string): Promise<void> {
    await this.take('certificates', this.certificates, deviceId, 1, (wait) => `This device asked for more certificates than it may. Ask again in ${wait}.`);
  }

  async takeHandshake(address: string): Promise<void> {
    await this.take('handshakes', this.handshakes, address, 1, (wait) => `Too many connections from this address. Connect again in ${wait}.`);
  }

  /** Refuses while a store's pairing is paused after too many wrong codes for it. */
  async pairingOpen(storeTag: string): Promise<void> {
    const state = await this.pairingGuesses.get(storeTag);
    if (state && state.consumedPoints >= this.limits.pairingGuesses.points) {
      throw AppError.wait('RATE_LIMITED', `Pairing with this store is paused after too many wrong codes. Try again in ${secondsText(state.msBeforeNext)}.`, state.msBeforeNext);
    }
  }

  /** A wrong code for a store: counted, and pairing pauses for it once too many have come. */
  async pairingGuessFailed(storeTag: string): Promise<void> {
    await this.take('pairing-guesses', this.pairingGuesses, storeTag, 1, (wait) => `Pairing with this store is paused after too many wrong codes. Try again in ${wait}.`).catch((error: unknown) => {
      if (!(error instanceof AppError)) throw error;
    });
  }

  /**
   * Refuses while an account must wait after wrong passwords, or is locked. Keyed by the email as
   * typed, known or not, so the answers say nothing about which accounts exist.
   */
  async passwordMayBeTried(email: string): Promise<void> {
    const [failures, backoff] = await Promise.all([this.passwordFailures.get(email), this.passwordBackoff.get(email)]);
    if (failures && failures.consumedPoints >= this.limits.passwords.lockAfter) {
      throw AppError.wait(
        'ACCOUNT_LOCKED',
        `Too many wrong passwords: this account is locked for ${Math.ceil(failures.msBeforeNext / 60_000)} more minutes. Wait, or ask an owner to set a new password.`,
        failures.msBeforeNext,
      );
    }
    if (backoff && backoff.msBeforeNext > 0) {
      throw AppError.wait('RATE_LIMITED', `After several wrong passwords each try must wait. Try again in ${secondsText(backoff.msBeforeNext)}.`, backoff.msBeforeNext);
    }
  }

  /** A wrong password: after a few, every next try waits twice as long; after more, a timed lock. */
  async passwordFailed(email: string): Promise<void> {
    const failures = await this.passwordFailures.penalty(email, 1);
    const { backoffAfter, lockAfter } = this.limits.passwords;
    if (failures.consumedPoints >= lockAfter) {
      await this.passwordFailures.block(email, this.limits.passwords.lockSeconds);
      this.onTrip('password-lock', email);
    } else if (failures.consumedPoints >= backoffAfter) {
      await this.passwordBackoff.set(email, 1, 2 ** (failures.consumedPoints - backoffAfter));
    }
  }

  async passwordSucceeded(email: string): Promise<void> {
    await Promise.all([this.passwordFailures.delete(email), this.passwordBackoff.delete(email)]);
  }
}
