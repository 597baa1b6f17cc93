import { describe, expect, it } from 'vitest';
import { daypartIsOn, localClock, onSale } from '#protocol/dayparts';

describe('dayparts', () => {
  it("reads the store's own clock, whatever the machine's time zone", () => {
    const instant = new Date('2026-12-07T09:45:00Z'); // a Monday
    expect(localClock(instant, 'Europe/Amsterdam')).toEqual({ weekday: 1, time: '10:45' });
    expect(localClock(instant, 'America/New_York')).toEqual({ weekday: 1, time: '04:45' });
    expect(localClock(instant, 'Asia/Kathmandu')).toEqual({ weekday: 1, time: '15:30' });
  });

  it('runs from its start until just before its end, on its days', () => {
    const breakfast = { from: '07:00', until: '10:30' };
    expect(daypartIsOn(breakfast, { weekday: 3, time: '06:59' })).toBe(false);
    expect(daypartIsOn(breakfast, { weekday: 3, time: '07:00' })).toBe(true);
    expect(daypartIsOn(breakfast, { weekday: 3, time: '10:29' })).toBe(true);
    expect(daypartIsOn(breakfast, { weekday: 3, time: '10:30' })).toBe(false);
    expect(daypartIsOn({ ...breakfast, days: [6, 7] }, { weekday: 3, time: '08:00' })).toBe(false);
    expect(daypartIsOn({ ...breakfast, days: [6, 7] }, { weekday: 7, time: '08:00' })).toBe(true);
  });

  it('lets a late-night daypart run past midnight, counted on the day it began', () => {
    const lateFriday = { from: '22:00', until: '03:00', days: [5] };
    expect(daypartIsOn(lateFriday, { weekday: 5, time: '23:30' })).toBe(true);
    expect(daypartIsOn(lateFriday, { weekday: 6, time: '02:59' })).toBe(true);
    expect(daypartIsOn(lateFriday, { weekday: 6, time: '03:00' })).toBe(false);
    expect(daypartIsOn(lateFriday, { weekday: 5, time: '02:00' })).toBe(false);
  });

  it("sells an item in its own dayparts, else its category's, else its parent category's", () => {
    const menu = {
      dayparts: [
        { id: 'breakfast', name: { en: 'Breakfast' }, from: '07:00', until: '10:30' },
        { id: 'lunch', name: { en: 'Lunch' }, from: '11:00', until: '15:00' },
      ],
      categories: [
        { id: 'mornings', daypartIds: ['breakfast'] },
        { id: 'eggs', parentId: 'mornings', daypartIds: [] },
        { id: 'drinks', daypartIds: [] },
      ],
    };
    const at = (time: string) => ({ weekday: 2, time });
    const omelette = { categoryId: 'eggs', daypartIds: [] };
    const brunchEggs = { categoryId: 'eggs', daypartIds: ['lunch'] };
    const tea = { categoryId: 'drinks', daypartIds: [] };
    expect([at('08:00'), at('12:00')].map((c) => onSale(omelette, menu, c))).toEqual([true, false]);
    expect([at('08:00'), at('12:00')].map((c) => onSale(brunchEggs, menu, c))).toEqual([false, true]);
    expect([at('03:00'), at('12:00')].map((c) => onSale(tea, menu, c))).toEqual([true, true]);
  });
});
