// Which stations a kitchen display makes (grill, fryer, drinks…), or whether it is expo: head
// office sets it per device, and the display hears it on its store's feed (`device.stations`).
import { isDeepStrictEqual } from 'node:util';
import { recordWith, type AuditEntry } from '../audit/auditLog';
import type { ServerDb, ServerTx } from '../db/client';
import { appendChanges } from '../feed/changeFeed';
import { AppError } from '../protocol/errors';
import type { Change, KitchenStations } from '../protocol/events';

type Station = { id: string; name: string };

/** The stations of the menu the store runs, in the menu's order; none before a menu is published to it. */
export async function menuStations(db: ServerDb | ServerTx, storeId: string): Promise<Station[]> {
  // Asked of PostgreSQL rather than by reading the whole menu document.
  const [row] = await db.$queryRaw<Array<{ stations: Station[] | null }>>`
    SELECT m.document->'stations' AS stations FROM "Store" s LEFT JOIN "MenuVersion" m ON m.id = s."menuVersionId" WHERE s.id = ${storeId}::uuid`;
  return (row?.stations ?? []).map(({ id, name }) => ({ id, name }));
}

/**
 * Sets a kitchen display's stations in one transaction with the `device.stations` change that
 * tells the display, and the audit event. Each station must be one of the store's menu; expo sees
 * every station's part, so it names none. Setting what it already has changes nothing.
 */
export async function setKitchenStations(tx: ServerTx, deviceId: string, kitchen: KitchenStations, by: Pick<AuditEntry, 'actor' | 'address'>, at: Date): Promise<Map<string, Change[]>> {
  // Locked first: two admins setting one display at once each see the other's result as "before".
  const [device] = await tx.$queryRaw<Array<{ storeId: string; name: string; role: string; stations: string[]; expo: boolean; revoked: boolean }>>`
    SELECT "storeId", name, role::text AS role, stations, expo, "revokedAt" IS NOT NULL AS revoked FROM "Device" WHERE id = ${deviceId}::uuid FOR NO KEY UPDATE`;
  if (!device) throw new AppError('DEVICE_NOT_FOUND');
  if (device.role !== 'kitchen') throw new AppError('INVALID_PAYLOAD', `"${device.name}" is not a kitchen display: only a kitchen display makes stations, or is expo.`);
  if (device.revoked) throw new AppError('DEVICE_REVOKED', `"${device.name}" was revoked: pair the display again, then choose its stations.`);
  if (kitchen.expo && kitchen.stations.length > 0) throw new AppError('INVALID_PAYLOAD', 'Expo sees every station\'s part of each order: leave the stations empty for expo.', 'stations');
  const known = await menuStations(tx, device.storeId);
  kitchen.stations.forEach((id, i) => {
    if (known.some((s) => s.id === id)) return;
    const choices = known.length > 0 ? `its stations are ${known.map((s) => `${s.id} (${s.name})`).join(', ')}` : 'it names none yet';
    throw new AppError('UNKNOWN_STATION', `"${id}" is not a station of this store's menu (${choices}): choose among them, or add the station to the menu first.`, `stations[${i}]`);
  });
  const before: KitchenStations = { stations: device.stations, expo: device.expo };
  if (isDeepStrictEqual(before, kitchen)) return new Map();
  await tx.device.update({ where: { id: deviceId }, data: kitchen });
  const changes = await appendChanges(tx, [{ storeId: device.storeId, body: { kind: 'device.stations', deviceId, kitchen } }]);
  await recordWith(tx, { action: 'device-stations-changed', ...by, storeId: device.storeId, detail: { deviceId, name: device.name, before, after: kitchen } }, at);
  return changes;
}
