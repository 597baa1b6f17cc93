import { HybridClock } from '../../sync-server/protocol/hlc';

/**
 * This terminal's hybrid logical clock. Physical time is the wall clock corrected by the offset to
 * the server's clock learned at each hello, so a terminal whose clock is hours wrong still stamps
 * its bumps with the right time once it has been online.
 */
export class TerminalClock {
  private offsetMs: number;
  private hlc: HybridClock;

  constructor(
    deviceId: string,
    offsetMs: number,
    lastHlc: string | null,
    /** The machine's own clock; tests give terminals a wrong one. */
    private readonly wall: () => number = Date.now,
  ) {
    this.offsetMs = offsetMs;
    this.hlc = new HybridClock(deviceId, () => this.now(), lastHlc);
  }

  now(): number {
    return this.wall() + this.offsetMs;
  }

  setOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
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
}
