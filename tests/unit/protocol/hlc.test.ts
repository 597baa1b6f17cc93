import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClockDriftError, HybridClock, formatHlc, parseHlc } from '#protocol/hlc';

const A = '0195f3c8-0000-7000-8000-00000000000a';
const B = '0195f3c8-0000-7000-8000-00000000000b';

describe('HybridClock', () => {
  it('round-trips through its string form', () => {
    const hlc = { millis: Date.parse('2026-11-22T09:15:00.123Z'), counter: 42, deviceId: A };
    expect(formatHlc(hlc)).toBe(`2026-11-22T09:15:00.123Z-002a-${A}`);
    expect(parseHlc(formatHlc(hlc))).toEqual(hlc);
    expect(parseHlc('yesterday')).toBeNull();
  });

  it('never goes backwards, even when the wall clock does', () => {
    let wall = 1_000_000;
    const clock = new HybridClock(A, () => wall);
    const first = clock.tick();
    wall -= 60_000; // NTP steps the clock back a minute
    const second = clock.tick();
    expect(second > first).toBe(true);
    expect(parseHlc(second)).toMatchObject({ millis: 1_000_000, counter: 1 });
  });

  it('orders a local event after any remote one it has seen', () => {
    const slow = new HybridClock(A, () => 5_000); // three hours behind
    const remote = new HybridClock(B, () => 5_000 + 3 * 3600_000).tick();
    slow.receive(remote);
    expect(slow.tick() > remote).toBe(true);
  });

  it('breaks exact ties by device id', () => {
    const a = new HybridClock(A, () => 7).tick();
    const b = new HybridClock(B, () => 7).tick();
    expect(a < b).toBe(true);
  });

  it('refuses a remote clock further ahead than the allowed drift', () => {
    const clock = new HybridClock(A, () => 0, null, 60_000);
    const ahead = formatHlc({ millis: 2 * 3600_000, counter: 0, deviceId: B });
    expect(() => clock.receive(ahead)).toThrow(ClockDriftError);
    expect(clock.current() < ahead).toBe(true);
  });

  it('issues strictly increasing timestamps for any interleaving of ticks, receives and clock jumps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ jump: fc.integer({ min: -5000, max: 5000 }) }), fc.record({ remote: fc.integer({ min: 0, max: 20_000 }) })), { maxLength: 200 }),
        (steps) => {
          let wall = 10_000;
          const clock = new HybridClock(A, () => wall);
          let previous = clock.tick();
          for (const step of steps) {
            if ('jump' in step) wall = Math.max(0, wall + step.jump);
            else clock.receive(formatHlc({ millis: step.remote, counter: 3, deviceId: B }));
            const next = clock.tick();
            if (!(next > previous)) return false;
            previous = next;
          }
          return true;
        },
      ),
    );
  });

  it('forgets withdrawn stamps ahead of the server, and only goes back to what it still holds', () => {
    let wall = 3 * 3600_000;
    const clock = new HybridClock(A, () => wall);
    const ahead = clock.tick();
    wall = 1000; // the clock was three hours fast; now it is right
    expect(clock.tick() > ahead).toBe(true); // without rewinding, it keeps stamping three hours ahead
    const held = formatHlc({ millis: 900, counter: 2, deviceId: B });
    clock.rewind(held);
    const next = clock.tick();
    expect(next > held && next < ahead).toBe(true);
    expect(parseHlc(next)!.millis).toBe(1000);
    // Rewinding never moves a clock forward.
    clock.rewind(formatHlc({ millis: 5_000_000, counter: 0, deviceId: B }));
    expect(parseHlc(clock.tick())!.millis).toBe(1000);
  });
});
