import { DEFAULT_KIOSK_SETTINGS, KioskSettingsSchema, type KioskSettings } from '../protocol/events';

/**
 * A store's kiosk settings from its row: the defaults where it has none (a store from before them),
 * and for any setting added since it was saved.
 */
export function kioskSettingsOf(stored: unknown): KioskSettings {
  if (stored === null || typeof stored !== 'object') return DEFAULT_KIOSK_SETTINGS;
  return KioskSettingsSchema.safeParse({ ...DEFAULT_KIOSK_SETTINGS, ...stored }).data ?? DEFAULT_KIOSK_SETTINGS;
}
