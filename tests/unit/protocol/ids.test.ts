import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDay } from '#protocol/businessDay';
import { UUID_V7, uuidv7 } from '#protocol/ids';

describe('uuidv7', () => {
  it('is a version 7 UUID whose first 48 bits are the time', () => {
    const id = uuidv7(Date.parse('2026-11-22T10:00:00Z'));
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-11-22T10:00:00Z'));
  });

  it('sorts by creation time and does not repeat', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('businessDay', () => {
  it("is the store's local date, not the server's", () => {
    const instant = new Date('2026-11-22T23:30:00Z');
    expect(businessDay(instant, 'Europe/Amsterdam')).toBe('2026-11-23');
    expect(businessDay(instant, 'America/New_York')).toBe('2026-11-22');
    expect(businessDay(new Date('2026-03-29T00:59:59Z'), 'Europe/Amsterdam')).toBe('2026-03-29');
  });

  it('changes at local midnight in zones a quarter or half hour off UTC, however instants follow each other', () => {
    const fresh = (instant: Date, timeZone: string) => instant.toLocaleDateString('en-CA', { timeZone });
    expect(businessDay(new Date('2026-11-22T18:14:59Z'), 'Asia/Kathmandu')).toBe('2026-11-22');
    expect(businessDay(new Date('2026-11-22T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-11-23');
    // A server meets orders minutes apart, day after day, across a change of daylight saving time.
    const start = fc.integer({ min: Date.parse('2026-10-23T00:00:00Z'), max: Date.parse('2026-10-26T00:00:00Z') });
    const steps = fc.array(fc.integer({ min: 0, max: 20 * 60_000 }), { minLength: 100, maxLength: 300 });
    fc.assert(
      fc.property(start, steps, fc.constantFrom('Asia/Kathmandu', 'America/St_Johns', 'Australia/Adelaide', 'Europe/London'), (from, gaps, zone) => {
        let millis = from;
        for (const gap of gaps) {
          millis += gap;
          expect(businessDay(new Date(millis), zone)).toBe(fresh(new Date(millis), zone));
        }
      }),
      { numRuns: 150 },
    );
  });
});
