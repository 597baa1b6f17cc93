// A store's devices as head office sees them.
import type { ServerDb } from '../db/client';

const LISTED = { id: true, name: true, role: true, orderPrefix: true, cursor: true, createdAt: true, lastSeenAt: true, appVersion: true, revokedAt: true, stations: true, expo: true } as const;

/** A store's devices, oldest first, as head office lists them. */
export async function listDevices(db: ServerDb, storeId: string) {
  return db.device.findMany({ where: { storeId }, select: LISTED, orderBy: { createdAt: 'asc' } });
}

/** One device as head office sees it, with its store; null when there is none with this id. */
export async function findDevice(db: ServerDb, deviceId: string) {
  return db.device.findUnique({ where: { id: deviceId }, select: { ...LISTED, storeId: true } });
}
