// A store's saved kiosk and kitchen settings read back: the defaults are valid settings, a store
// from before a setting gets its default, and a setting added later (a new bump-bar key) keeps the
// ones already chosen.
import { describe, expect, it } from 'vitest';
import { DEFAULT_KIOSK_SETTINGS, DEFAULT_KITCHEN_SETTINGS, KioskSettingsSchema, KitchenSettingsSchema } from '#protocol/events';
import { kioskSettingsOf, kitchenSettingsOf } from '#protocol/settingsDefaults';

describe('store settings with defaults', () => {
  it('has defaults that are valid settings (the space bar is a key)', () => {
    expect(KitchenSettingsSchema.parse(DEFAULT_KITCHEN_SETTINGS)).toEqual(DEFAULT_KITCHEN_SETTINGS);
    expect(KioskSettingsSchema.parse(DEFAULT_KIOSK_SETTINGS)).toEqual(DEFAULT_KIOSK_SETTINGS);
  });

  it('gives a store from before the settings the defaults', () => {
    expect(kitchenSettingsOf(null)).toEqual(DEFAULT_KITCHEN_SETTINGS);
    expect(kioskSettingsOf(undefined)).toEqual(DEFAULT_KIOSK_SETTINGS);
  });

  it('keeps what was chosen and fills in what was added since, one level deep', () => {
    const { bumpItem: _added, ...savedKeys } = { ...DEFAULT_KITCHEN_SETTINGS.keyMap, bump: '5', next: '6' };
    const read = kitchenSettingsOf({ readyWhen: 'all-stations', lateMinutes: 15, keyMap: savedKeys });
    expect(read).toEqual({ ...DEFAULT_KITCHEN_SETTINGS, readyWhen: 'all-stations', lateMinutes: 15, keyMap: { ...DEFAULT_KITCHEN_SETTINGS.keyMap, bump: '5', next: '6' } });
  });

  it('falls back to the defaults rather than use settings that break a rule', () => {
    expect(kitchenSettingsOf({ warnMinutes: 20, lateMinutes: 10 })).toEqual(DEFAULT_KITCHEN_SETTINGS);
    expect(kitchenSettingsOf({ keyMap: { bump: 'Enter', next: 'Enter' } })).toEqual(DEFAULT_KITCHEN_SETTINGS);
  });
});
