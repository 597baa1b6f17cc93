import { describe, expect, it } from 'vitest';
import { businessDay } from '../../../sync-server/protocol/businessDay';
import { UUID_V7, uuidv7 } from '../../../sync-server/protocol/ids';

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
});
