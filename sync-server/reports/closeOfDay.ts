// Each store's close of day: once its business day is over (local midnight, and a grace period
// for kiosks that were offline to deliver), the day's summary is written (dailyFacts.ts), and
// reports read the summary instead of the day's orders. Kept in PostgreSQL (DailySummary), so it
// survives restarts, and taken by one server node at a time (FOR UPDATE SKIP LOCKED), so a day is
// written once however many nodes run. A day that something reaches late is marked out of date by
// the database itself (the report_rollups migration's triggers) and written again here.
import type { ServerDb } from '../db/client';
import { PollingJob } from '../db/pollingJob';
import type { Logger } from '../log';
import { DAILY_FACTS } from './dailyFacts';

/** How long after a store's local midnight its day stays open to uploads before it is summarised. */
export const GRACE_MS = 60 * 60_000;
/** How often a node looks for days to summarise: a day is summarised within this of its close. */
const POLL_MS = 60_000;
/** A day's summary waits for the uploads in flight for that day, then reads a few thousand rows. */
const SUMMARY_TIMEOUT_MS = 120_000;

export interface StoreDay {
  storeId: string;
  businessDay: string;
}

/** The day being summarised, as a relation the facts read. */
const THE_DAY = `(SELECT $1::uuid AS "storeId", $2::char(10) AS "businessDay")`;

/** The node's side of the close of day: looks for days to summarise and writes them. */
export class CloseOfDay {
  private readonly job: PollingJob;

  constructor(
    private readonly db: ServerDb,
    private readonly deps: { log: Logger; now(): number },
  ) {
    this.job = new PollingJob(() => this.summariseDue(), POLL_MS, this.deps.log, 'daily summaries could not be written; trying again');
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /** Writes the summary of every closed day that has none or an out-of-date one; answers the days it wrote. */
  async summariseDue(): Promise<StoreDay[]> {
    await this.openClosedDays();
    const written: StoreDay[] = [];
    for (let day = await this.summariseOne(); day; day = await this.summariseOne()) written.push(day);
    return written;
  }

  /**
   * Lists every store's days that have closed since its last one listed, empty days too (so a
   * report finds them summarised). A store's first is the day of its first order, or of its opening.
   * Several nodes may do this at once: a day is listed once.
   */
  private async openClosedDays(): Promise<void> {
    const closedBy = new Date(this.deps.now() - GRACE_MS);
    await this.db.$executeRawUnsafe(
      `INSERT INTO "DailySummary" ("storeId", "businessDay")
       SELECT s.id, to_char(d, 'YYYY-MM-DD')
         FROM "Store" s
        CROSS JOIN LATERAL (SELECT COALESCE(
                 (SELECT max(r."businessDay")::date + 1 FROM "DailySummary" r WHERE r."storeId" = s.id),
                 LEAST((SELECT min(o."businessDay")::date FROM "Order" o WHERE o."storeId" = s.id), (s."createdAt" AT TIME ZONE s."timeZone")::date)) AS first) f
        CROSS JOIN LATERAL generate_series(f.first, ($1::timestamptz AT TIME ZONE s."timeZone")::date - 1, interval '1 day') d
       ON CONFLICT DO NOTHING`,
      closedBy,
    );
  }

  /** Writes one day's summary (oldest first), or answers null when there is none to write. */
  private summariseOne(): Promise<StoreDay | null> {
    return this.db.$transaction(
      async (tx) => {
        const [day] = await tx.$queryRawUnsafe<StoreDay[]>(
          `SELECT "storeId", "businessDay" FROM "DailySummary" WHERE NOT "upToDate" ORDER BY "businessDay", "storeId" LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!day) return null;
        const key = [day.storeId, day.businessDay] as const;
        // Waits for uploads of this day that are still to commit, and holds off those to come (see the migration).
        await tx.$queryRawUnsafe(`SELECT report_day_lock($1::uuid, $2::char(10), false)`, ...key);
        for (const fact of DAILY_FACTS) {
          await tx.$executeRawUnsafe(`DELETE FROM "${fact.table}" WHERE "storeId" = $1::uuid AND "businessDay" = $2::char(10)`, ...key);
          const columns = ['storeId', 'businessDay', ...fact.columns].map((c) => `"${c}"`).join(', ');
          await tx.$executeRawUnsafe(`INSERT INTO "${fact.table}" (${columns}) ${fact.of(THE_DAY)}`, ...key);
        }
        await tx.$executeRawUnsafe(
          `UPDATE "DailySummary" SET "upToDate" = true, "summarisedAt" = $3 WHERE "storeId" = $1::uuid AND "businessDay" = $2::char(10)`,
          ...key,
          new Date(this.deps.now()),
        );
        return day;
      },
      { timeout: SUMMARY_TIMEOUT_MS, maxWait: SUMMARY_TIMEOUT_MS },
    );
  }
}
