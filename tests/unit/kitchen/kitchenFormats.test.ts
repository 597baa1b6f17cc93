import { describe, expect, it } from 'vitest';
import { formatClock, formatList, formatSpan, urgencyOf } from '../../../renderer/src/views/kitchen/kitchenFormats';

const minutes = (m: number, s = 0) => (m * 60 + s) * 1000;

describe('a ticket timer', () => {
  it('turns amber at the store’s warning time and red at its late time', () => {
    const store = { warnMinutes: 5, lateMinutes: 10 };
    expect(urgencyOf(minutes(4, 59), store)).toBe('on-time');
    expect(urgencyOf(minutes(5), store)).toBe('warn');
    expect(urgencyOf(minutes(9, 59), store)).toBe('warn');
    expect(urgencyOf(minutes(10), store)).toBe('late');
    // A store that keeps a tight line.
    expect(urgencyOf(minutes(1), { warnMinutes: 1, lateMinutes: 2 })).toBe('warn');
  });

  it('reads as a cook reads a timer', () => {
    expect(formatSpan(0)).toBe('0:00');
    expect(formatSpan(minutes(4, 5))).toBe('4:05');
    expect(formatSpan(minutes(12, 40) + 999)).toBe('12:40');
    expect(formatSpan(minutes(62, 9))).toBe('1:02:09');
    // A clock a little ahead of the ticket's start shows no negative time.
    expect(formatSpan(-1500)).toBe('0:00');
  });
});

describe('the clock', () => {
  const afternoon = '2026-03-10T13:05:00Z';

  it('is the store’s time, whatever zone the screen is in', () => {
    expect(formatClock(afternoon, 'en-GB', 'Europe/Amsterdam')).toBe('14:05');
    expect(formatClock(afternoon, 'en-GB', 'America/New_York')).toBe('09:05');
  });

  it('uses the hours the screen’s language uses: 24 in English (en-GB) and French, never a hard-coded 12', () => {
    expect(formatClock(afternoon, 'fr-FR', 'Europe/Paris')).toBe('14:05');
    expect(formatClock(afternoon, 'en-US', 'Europe/Amsterdam')).toMatch(/^02:05\sPM$/);
    expect(formatClock(afternoon, 'ar-u-nu-latn', 'Asia/Dubai')).toMatch(/05:05/);
  });
});

describe('a list of allergens', () => {
  it('is joined as the screen’s language joins a list', () => {
    expect(formatList(['Gluten', 'Milk', 'Eggs'], 'en-GB')).toBe('Gluten, Milk, Eggs');
    expect(formatList(['Gluten', 'Lait', 'Œufs'], 'fr-FR')).toBe('Gluten, Lait et Œufs');
    expect(formatList(['الغلوتين', 'الحليب', 'البيض'], 'ar-u-nu-latn')).toBe('الغلوتين، والحليب، والبيض');
  });
});
