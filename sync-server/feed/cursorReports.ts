import type { ServerDb } from '../db/client';
import type { Logger } from '../log';

/**
 * Where each device says it is in its store's feed (for the admin's device list): its latest report
 * that names a place the feed has reached. Terminals report
 * after every change they apply; writing each report would cost more than the change itself, so
 * the latest report per device is written once a second.
 */
export class CursorReports {
  private latest = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: ServerDb,
    private readonly log: Logger,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  report(deviceId: string, seq: number): void {
    this.latest.set(deviceId, seq);
  }

  async flush(): Promise<void> {
    if (this.latest.size === 0) return;
    const reports = [...this.latest];
    this.latest = new Map();
    try {
      // A cursor beyond the store's head is no place in the feed: such a report is ignored.
      await this.db.$executeRawUnsafe(
        `UPDATE "Device" d SET cursor = v.seq, "lastSeenAt" = now()
           FROM unnest($1::uuid[], $2::int[]) AS v(id, seq), "Store" s
          WHERE d.id = v.id AND s.id = d."storeId" AND v.seq <= s."changeSeq"`,
        reports.map(([id]) => id),
        reports.map(([, seq]) => seq),
      );
    } catch (error) {
      this.log.warn('could not record device cursors', { error: String(error) });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
