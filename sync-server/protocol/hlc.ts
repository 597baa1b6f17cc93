// Hybrid logical clock (Kulkarni et al.), as a string that sorts in time order:
//   2026-11-22T03:13:06.943Z-0000-<deviceId>
// Wall time, a counter for events in the same millisecond, and the device id, which breaks ties so
// two kitchen screens bumping at the same instant still agree on the winner.

export const MAX_COUNTER = 0xffff;

export interface Hlc {
  millis: number;
  counter: number;
  deviceId: string;
}

const PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-f]{4})-([0-9a-f-]{36})$/;

export function formatHlc({ millis, counter, deviceId }: Hlc): string {
  return `${new Date(millis).toISOString()}-${counter.toString(16).padStart(4, '0')}-${deviceId}`;
}

export function parseHlc(value: string): Hlc | null {
  const match = PATTERN.exec(value);
  if (!match) return null;
  const millis = Date.parse(match[1]!);
  if (Number.isNaN(millis)) return null;
  return { millis, counter: Number.parseInt(match[2]!, 16), deviceId: match[3]! };
}

/** The wall time a clock (already checked against HlcSchema) was made at: its first 24 characters. */
export const timeOfHlc = (value: string): Date => new Date(value.slice(0, 24));

/** The earlier of a time held (null: none yet) and another. */
export const earliest = (held: Date | null, at: Date): Date => (held === null || at < held ? at : held);

export class ClockDriftError extends Error {
  constructor(readonly aheadMs: number) {
    super(`A clock is ${Math.round(aheadMs / 1000)} s ahead of ours`);
    this.name = 'ClockDriftError';
  }
}

/**
 * A device's clock. `now` is its physical time (already corrected by the offset to the server's
 * clock); `last` is the highest timestamp it has issued or seen, persisted by the caller.
 */
export class HybridClock {
  private last: Hlc;

  constructor(
    private readonly deviceId: string,
    private readonly now: () => number,
    last: string | null = null,
    private readonly maxDriftMs = Number.POSITIVE_INFINITY,
  ) {
    this.last = (last && parseHlc(last)) || { millis: 0, counter: 0, deviceId };
  }

  /** A timestamp for a local event, greater than every timestamp issued or seen before. */
  tick(): string {
    const physical = this.now();
    if (physical > this.last.millis) {
      this.last = { millis: physical, counter: 0, deviceId: this.deviceId };
    } else {
      this.last = this.bump(this.last.millis, this.last.counter);
    }
    return formatHlc(this.last);
  }

  /**
   * Folds in a timestamp from another device, so the next local event sorts after it. A remote
   * clock further ahead than `maxDriftMs` is refused rather than allowed to drag ours forward.
   */
  receive(remote: string): void {
    const other = parseHlc(remote);
    if (!other) return;
    const physical = this.now();
    if (other.millis - physical > this.maxDriftMs) throw new ClockDriftError(other.millis - physical);
    const millis = Math.max(physical, this.last.millis, other.millis);
    if (millis === this.last.millis && millis === other.millis) {
      this.last = this.bump(millis, Math.max(this.last.counter, other.counter));
    } else if (millis === this.last.millis) {
      this.last = this.bump(millis, this.last.counter);
    } else if (millis === other.millis) {
      this.last = this.bump(millis, other.counter);
    } else {
      this.last = { millis, counter: 0, deviceId: this.deviceId };
    }
  }

  current(): string {
    return formatHlc(this.last);
  }

  /**
   * Forgets timestamps issued after `latest` (null: all of them). Only for stamps that were refused
   * and withdrawn, so no one holds them: a clock once far ahead would otherwise stamp ahead for good.
   */
  rewind(latest: string | null): void {
    const to = (latest && parseHlc(latest)) || { millis: 0, counter: 0, deviceId: this.deviceId };
    if (to.millis < this.last.millis || (to.millis === this.last.millis && to.counter < this.last.counter)) this.last = { ...to, deviceId: this.deviceId };
  }

  private bump(millis: number, counter: number): Hlc {
    // The counter overflows only after 65,536 events in one millisecond: borrow the next millisecond.
    return counter >= MAX_COUNTER
      ? { millis: millis + 1, counter: 0, deviceId: this.deviceId }
      : { millis, counter: counter + 1, deviceId: this.deviceId };
  }
}
