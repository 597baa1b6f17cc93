import { HybridClock } from '#protocol/hlc';

/** One reading of the server's clock: its time, and this machine's clocks around the request. */
export interface ClockSample {
  serverTime: number;
  /** The wall clock half-way through the round trip, when the server is taken to have answered. */
  wallAt: number;
  /** The same instant on the monotonic clock. */
  monotonicAt: number;
  roundTripMs: number;
}

/** A reading is trusted this long; after it, any newer reading replaces it, however slow. */
const SAMPLE_FRESH_MS = 60_000;

/**
 * This terminal's hybrid logical clock, on the server's time. Once it has read the server's clock
 * in this process, time runs on from that reading by the monotonic clock, so a machine whose clock
 * is hours wrong, or jumps while the terminal runs, still stamps bumps and orders with the right
 * time. Before that (started offline) it has only the wall clock, corrected by the offset learned
 * at the last reading it kept.
 */
export class TerminalClock {
  private offsetMs: number;
  private reading: ClockSample | null = null;
  private readonly hlc: HybridClock;

  constructor(
    deviceId: string,
    offsetMs: number,
    lastHlc: string | null,
    /** The machine's own clock; tests give terminals a wrong one. */
    private readonly wall: () => number = Date.now,
    private readonly monotonic: () => number = () => performance.now(),
  ) {
    this.offsetMs = offsetMs;
    this.hlc = new HybridClock(deviceId, () => this.now(), lastHlc);
  }

  /** The server's time, as well as this terminal knows it. */
  now(): number {
    return this.reading ? Math.round(this.reading.serverTime + (this.monotonic() - this.reading.monotonicAt)) : this.wall() + this.offsetMs;
  }

  /** Server time minus this machine's wall clock: what a restart falls back on. */
  get wallOffsetMs(): number {
    return this.offsetMs;
  }

  /**
   * Takes a reading of the server's clock if it is as good as the one in use (a round trip no
   * longer, since the error is up to half of it) or the one in use has gone stale. Returns whether
   * it was taken.
   */
  adjust(sample: ClockSample): boolean {
    const current = this.reading;
    if (current && sample.roundTripMs > current.roundTripMs && sample.monotonicAt - current.monotonicAt < SAMPLE_FRESH_MS) return false;
    this.reading = sample;
    this.offsetMs = sample.serverTime - sample.wallAt;
    return true;
  }

  tick(): string {
    return this.hlc.tick();
  }

  /** Folds in a change from another device, so our next bump sorts after it. */
  receive(hlc: string): void {
    this.hlc.receive(hlc);
  }

  current(): string {
    return this.hlc.current();
  }

  /** After stamps ahead of the server were refused and withdrawn: carry on from `latest` instead. */
  rewind(latest: string | null): void {
    this.hlc.rewind(latest);
  }
}
