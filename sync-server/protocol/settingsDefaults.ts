// A store's kiosk and kitchen settings as saved (in PostgreSQL, or a terminal's SQLite): the
// defaults where there are none (a store from before them), and for any setting added since they
// were saved, one level deep (a key added to the bump bar's map keeps the keys already set).
import type { z } from 'zod';
import { DEFAULT_KIOSK_SETTINGS, DEFAULT_KITCHEN_SETTINGS, KioskSettingsSchema, KitchenSettingsSchema } from './events';

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function withDefaults<T extends Record<string, unknown>>(schema: z.ZodType<T>, defaults: T): (stored: unknown) => T {
  return (stored) => {
    if (!isObject(stored)) return defaults;
    const merged: Record<string, unknown> = { ...defaults };
    for (const [key, value] of Object.entries(stored)) merged[key] = isObject(value) && isObject(defaults[key]) ? { ...defaults[key], ...value } : value;
    return schema.safeParse(merged).data ?? defaults;
  };
}

export const kioskSettingsOf = withDefaults(KioskSettingsSchema, DEFAULT_KIOSK_SETTINGS);
export const kitchenSettingsOf = withDefaults(KitchenSettingsSchema, DEFAULT_KITCHEN_SETTINGS);
