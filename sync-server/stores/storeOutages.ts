// A store's internet outages, as its terminals tell them when they come back: each hello after an
// outage says since when that terminal could not reach the server. The kiosk and the kitchen of a
// store lose the same line, so their reports of it make one outage that names them both.
import type { ServerDb } from '../db/client';

/** Reports this close to an outage's end are the same outage: terminals notice a cut a few seconds apart. */
const SAME_OUTAGE_MS = 60_000;
/** A terminal's clock may be wrong, or it was stored away for months: such a start is not an outage to show. */
const OLDEST_OUTAGE_MS = 30 * 24 * 3600_000;
/** Head office reads a page of outages at a time. */
export const OUTAGES_PAGE = 50;

export interface OutageReport {
  storeId: string;
  deviceId: string;
  /** When the terminal lost the server. */
  offlineSince: Date;
  /** When it came back: the hello's time. */
  backAt: Date;
}

/** Whether a reported start can be believed: not after the hello, not older than 30 days. */
export function plausibleOutage({ offlineSince, backAt }: Pick<OutageReport, 'offlineSince' | 'backAt'>): boolean {
  return offlineSince < backAt && backAt.getTime() - offlineSince.getTime() <= OLDEST_OUTAGE_MS;
}

/** Records a terminal's outage, merged into the store's outage it overlaps (or that ended just before). */
export async function recordOutage(db: ServerDb, report: OutageReport): Promise<void> {
  const { storeId, deviceId, offlineSince, backAt } = report;
  await db.$transaction(async (tx) => {
    // One report at a time per store, so two terminals coming back together make one outage.
    await tx.$executeRaw`SELECT 1 FROM "Store" WHERE id = ${storeId}::uuid FOR UPDATE`;
    const same = await tx.storeOutage.findMany({
      where: { storeId, startedAt: { lte: backAt }, endedAt: { gte: new Date(offlineSince.getTime() - SAME_OUTAGE_MS) } },
      orderBy: { startedAt: 'asc' },
    });
    // A device telling again of an outage it told of (its second hello of a session does) changes nothing.
    if (same.length === 1 && same[0]!.devices.includes(deviceId) && same[0]!.startedAt <= offlineSince) return;
    const startedAt = new Date(Math.min(offlineSince.getTime(), ...same.map((o) => o.startedAt.getTime())));
    const endedAt = new Date(Math.max(backAt.getTime(), ...same.map((o) => o.endedAt.getTime())));
    const devices = [...new Set([...same.flatMap((o) => o.devices), deviceId])];
    const [kept, ...joined] = same;
    if (!kept) return void (await tx.storeOutage.create({ data: { storeId, startedAt, endedAt, devices } }));
    // A report that bridges two outages joins them.
    if (joined.length > 0) await tx.storeOutage.deleteMany({ where: { id: { in: joined.map((o) => o.id) } } });
    await tx.storeOutage.update({ where: { id: kept.id }, data: { startedAt, endedAt, devices } });
  });
}

/** A store's outages, newest first, a page at a time. */
export async function readOutages(db: ServerDb, storeId: string, before: string | undefined) {
  const rows = await db.storeOutage.findMany({
    where: { storeId, ...(before ? { startedAt: { lt: new Date(before) } } : {}) },
    orderBy: { startedAt: 'desc' },
    take: OUTAGES_PAGE + 1,
  });
  const page = rows.slice(0, OUTAGES_PAGE);
  return {
    outages: page.map((o) => ({ id: o.id, startedAt: o.startedAt.toISOString(), endedAt: o.endedAt.toISOString(), devices: o.devices })),
    nextBefore: rows.length > OUTAGES_PAGE ? page.at(-1)!.startedAt.toISOString() : null,
  };
}
