import type { HelloResponse } from '../../sync-server/protocol/events';
import type { TerminalDb, TerminalTx } from './db/terminalDb';

const ROW = 1;

/**
 * Records which server this terminal talks to and with which token. Keeps what the server told it
 * before, unless the token changed: then it is a different device and must ask again.
 */
export async function enrol(db: TerminalDb, serverUrl: string, deviceToken: string): Promise<void> {
  const current = await db.deviceSettings.findUnique({ where: { id: ROW } });
  if (!current) {
    await db.deviceSettings.create({ data: { id: ROW, serverUrl, deviceToken } });
  } else if (current.deviceToken !== deviceToken) {
    throw new Error(
      'This terminal already belongs to a device. Give it a new data folder (TILLSYNC_DATA_DIR) to enrol it as another one.',
    );
  } else if (current.serverUrl !== serverUrl) {
    await db.deviceSettings.update({ where: { id: ROW }, data: { serverUrl } });
  }
}

export const readSettings = (db: TerminalDb | TerminalTx) => db.deviceSettings.findUnique({ where: { id: ROW } });
export type Settings = NonNullable<Awaited<ReturnType<typeof readSettings>>>;

/** Stores who the server says this device is, and how far its clock is from the server's. */
export async function saveProfile(db: TerminalDb, hello: HelloResponse, clockOffsetMs: number): Promise<Settings> {
  const { device, store } = hello;
  return db.deviceSettings.update({
    where: { id: ROW },
    data: {
      deviceId: device.id,
      deviceName: device.name,
      role: device.role,
      orderPrefix: device.orderPrefix,
      storeId: store.id,
      storeName: store.name,
      timeZone: store.timeZone,
      currency: store.currency,
      taxRateBp: store.taxRateBp,
      pricesIncludeTax: store.pricesIncludeTax,
      clockOffsetMs,
    },
  });
}

export const updateSettings = (db: TerminalDb | TerminalTx, data: Parameters<TerminalDb['deviceSettings']['update']>[0]['data']) =>
  db.deviceSettings.update({ where: { id: ROW }, data });
