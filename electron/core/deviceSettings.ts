import { ALL_STATIONS, KitchenStationsSchema, type HelloResponse, type KioskSettings, type KitchenSettings, type KitchenStations, type StoreSettings } from '#protocol/events';
import { kioskSettingsOf as kioskWithDefaults, kitchenSettingsOf as kitchenWithDefaults } from '#protocol/settingsDefaults';
import type { LocalSql } from './db/localSql';
import { isSealed, tokenToStore, tokenFromStore, type SecretBox } from './deviceSecrets';

const ROW = 1;

export interface Settings {
  serverUrl: string;
  /** The device token as stored: sealed where there is a keychain (see deviceSecrets.ts). */
  deviceToken: string;
  deviceId: string | null;
  deviceName: string | null;
  role: string | null;
  orderPrefix: string | null;
  storeId: string | null;
  storeName: string | null;
  timeZone: string | null;
  currency: string | null;
  taxRateBp: number | null;
  pricesIncludeTax: boolean | null;
  storeAddress: string | null;
  /** KioskSettings as JSON; read with kioskSettingsOf. */
  kioskSettings: string | null;
  receiptKey: string | null;
  /** KitchenSettings as JSON; read with kitchenSettingsOf. */
  kitchenSettings: string | null;
  /** KitchenStations as JSON; read with kitchenStationsOf. */
  kitchenStations: string | null;
  clockOffsetMs: number;
  lastHlc: string | null;
  menuVersionId: string | null;
  revokedAt: string | null;
  /** When this terminal lost the server (ISO), until it is back: see cloudOutage.ts. */
  cloudLostAt: string | null;
}

/** Columns a running terminal updates; the rest are written at enrolment, at hello and when the store's settings change. */
type Updatable = Partial<Pick<Settings, 'lastHlc' | 'menuVersionId' | 'revokedAt' | 'serverUrl' | 'clockOffsetMs' | 'kitchenStations' | 'cloudLostAt'>>;

export function readSettings(sql: LocalSql): Settings | null {
  const row = sql.get<Settings & { pricesIncludeTax: number | null }>('SELECT * FROM DeviceSettings WHERE id = ?', ROW);
  return row ? { ...row, pricesIncludeTax: row.pricesIncludeTax === null ? null : Boolean(row.pricesIncludeTax) } : null;
}

/**
 * Records which server this terminal talks to and with which token. Keeps what the server told it
 * before, unless the token changed: then it is a different device and must ask again.
 */
export function enrol(sql: LocalSql, serverUrl: string, deviceToken: string, box?: SecretBox): void {
  const current = readSettings(sql);
  if (!current) {
    sql.run('INSERT INTO DeviceSettings (id, serverUrl, deviceToken, clockOffsetMs, updatedAt) VALUES (?, ?, ?, 0, ?)', ROW, serverUrl, tokenToStore(deviceToken, box), new Date().toISOString());
  } else if (tokenFromStore(current.deviceToken, box) !== deviceToken) {
    throw new Error('This terminal already belongs to a device. Give it a new data folder (TILLSYNC_DATA_DIR) to enrol it as another one.');
  } else if (current.serverUrl !== serverUrl) {
    updateSettings(sql, { serverUrl });
  }
}

/** Stores who the server says this device is, and how far its clock is from the server's. */
export function saveProfile(sql: LocalSql, { device, store, receiptKey }: HelloResponse, clockOffsetMs: number): Settings {
  sql.run(
    `UPDATE DeviceSettings SET deviceId = ?, deviceName = ?, role = ?, orderPrefix = ?, storeId = ?, storeName = ?, timeZone = ?,
       currency = ?, taxRateBp = ?, pricesIncludeTax = ?, storeAddress = coalesce(?, storeAddress), kioskSettings = coalesce(?, kioskSettings),
       kitchenSettings = coalesce(?, kitchenSettings), kitchenStations = coalesce(?, kitchenStations),
       receiptKey = coalesce(?, receiptKey), clockOffsetMs = ?, updatedAt = ? WHERE id = ?`,
    device.id,
    device.name,
    device.role,
    device.orderPrefix,
    store.id,
    store.name,
    store.timeZone,
    store.currency,
    store.taxRateBp,
    store.pricesIncludeTax ? 1 : 0,
    store.address ?? null,
    store.kiosk ? JSON.stringify(store.kiosk) : null,
    store.kitchen ? JSON.stringify(store.kitchen) : null,
    device.kitchen ? JSON.stringify(device.kitchen) : null,
    receiptKey ?? null,
    clockOffsetMs,
    new Date().toISOString(),
    ROW,
  );
  return readSettings(sql)!;
}

/**
 * Stores the store's settings from the feed or a snapshot: how this terminal prices, dates, serves
 * and names what it sells from now on, and the address its receipts print.
 */
export function saveStoreSettings(sql: LocalSql, store: StoreSettings): void {
  sql.run(
    `UPDATE DeviceSettings SET storeName = ?, storeAddress = ?, timeZone = ?, currency = ?, taxRateBp = ?, pricesIncludeTax = ?,
       kioskSettings = coalesce(?, kioskSettings), kitchenSettings = coalesce(?, kitchenSettings), updatedAt = ? WHERE id = ?`,
    store.name,
    store.address,
    store.timeZone,
    store.currency,
    store.taxRateBp,
    store.pricesIncludeTax ? 1 : 0,
    store.kiosk ? JSON.stringify(store.kiosk) : null,
    store.kitchen ? JSON.stringify(store.kitchen) : null,
    new Date().toISOString(),
    ROW,
  );
}

export function updateSettings(sql: LocalSql, changes: Updatable): void {
  const columns = Object.keys(changes) as Array<keyof Updatable>;
  if (columns.length === 0) return;
  sql.run(
    `UPDATE DeviceSettings SET ${columns.map((c) => `${c} = ?`).join(', ')}, updatedAt = ? WHERE id = ?`,
    ...columns.map((c) => changes[c]),
    new Date().toISOString(),
    ROW,
  );
}

/** A token kept in plain text from before there was a keychain gets sealed. */
export function sealStoredToken(sql: LocalSql, box: SecretBox): void {
  const current = readSettings(sql);
  if (!current || isSealed(current.deviceToken)) return;
  sql.run('UPDATE DeviceSettings SET deviceToken = ?, updatedAt = ? WHERE id = ?', tokenToStore(current.deviceToken, box), new Date().toISOString(), ROW);
}

const parsedJson = (stored: string | null): unknown => (stored === null ? null : JSON.parse(stored));

/**
 * A reader of a stored JSON setting that reads the same text once: screens ask for the settings on
 * every change they show (a kitchen display, on every ticket), and the text changes only when head
 * office changes them. The value is shared: read it, never change it.
 */
function storedSetting<T>(read: (stored: unknown) => T): (stored: string | null) => T {
  let last: { stored: string | null; value: T } | undefined;
  return (stored) => {
    if (!last || last.stored !== stored) last = { stored, value: read(parsedJson(stored)) };
    return last.value;
  };
}

const kiosk = storedSetting(kioskWithDefaults);
const kitchen = storedSetting(kitchenWithDefaults);
const stations = storedSetting((stored) => KitchenStationsSchema.safeParse(stored).data ?? ALL_STATIONS);

/** How the store's kiosks serve customers: as head office last sent it, or the defaults until then. */
export const kioskSettingsOf = (settings: Pick<Settings, 'kioskSettings'>): KioskSettings => kiosk(settings.kioskSettings);

/** How the store's kitchens and boards work: as head office last sent it, or the defaults until then. */
export const kitchenSettingsOf = (settings: Pick<Settings, 'kitchenSettings'>): KitchenSettings => kitchen(settings.kitchenSettings);

/** What this kitchen display shows: as head office last set it, or every line until then. */
export const kitchenStationsOf = (settings: Pick<Settings, 'kitchenStations'>): KitchenStations => stations(settings.kitchenStations);
