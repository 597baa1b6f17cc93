// Publishing at a set time ("the summer menu goes live in each store at 06:00 on Monday"): kept
// in PostgreSQL, so it survives restarts, and taken by one server node only (FOR UPDATE SKIP
// LOCKED), so a version goes out to a store once however many nodes run.
import type { AuditLog } from '../audit/auditLog';
import type { ServerDb, ServerTx } from '../db/client';
import { PollingJob } from '../db/pollingJob';
import type { Logger } from '../log';
import { AppError } from '../protocol/errors';
import type { Change } from '../protocol/events';
import { uuidv7 } from '../protocol/ids';
import { publishMenuVersion, versionForStores } from './menuCatalog';

/** How often a node looks for publications that are due: a scheduled menu goes out within this. */
const POLL_MS = 5_000;

export async function schedulePublications(tx: ServerTx, menuVersionId: string, storeIds: readonly string[], publishAt: Date, createdById: string) {
  await versionForStores(tx, menuVersionId, storeIds);
  const rows = storeIds.map((storeId) => ({ id: uuidv7(), storeId, menuVersionId, publishAt, createdById }));
  await tx.scheduledPublication.createMany({ data: rows });
  return rows.map(({ id, storeId }) => ({ id, storeId, publishAt }));
}

/** Publications still to go out, soonest first, of the stores an admin sees (`null`: all). */
export async function listScheduled(db: ServerDb, storeIds: ReadonlySet<string> | null) {
  return db.scheduledPublication.findMany({
    where: { publishedAt: null, cancelledAt: null, ...(storeIds ? { storeId: { in: [...storeIds] } } : {}) },
    select: { id: true, storeId: true, menuVersionId: true, publishAt: true, menuVersion: { select: { name: true } } },
    orderBy: { publishAt: 'asc' },
  });
}

/** Cancels a publication that has not gone out; one that has (or another admin's store) is not found. */
export async function cancelScheduled(db: ServerDb, id: string, storeIds: ReadonlySet<string> | null, now: Date) {
  const { count } = await db.scheduledPublication.updateMany({
    where: { id, publishedAt: null, cancelledAt: null, ...(storeIds ? { storeId: { in: [...storeIds] } } : {}) },
    data: { cancelledAt: now },
  });
  if (count === 0) throw new AppError('SCHEDULE_NOT_FOUND');
}

interface Due {
  id: string;
  storeId: string;
  menuVersionId: string;
  createdById: string | null;
}

/** The node's side of the schedule: looks for due publications and sends them out. */
export class PublishSchedule {
  private readonly job: PollingJob;

  constructor(
    private readonly db: ServerDb,
    private readonly deps: { broadcast(changes: Map<string, Change[]>): void; audit: AuditLog; log: Logger; now(): number },
  ) {
    this.job = new PollingJob(() => this.publishDue(), POLL_MS, this.deps.log, 'scheduled menus could not be published; trying again');
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  /**
   * Publishes everything due, one a transaction; answers how many went out. One that can no longer
   * go out (the store changed its currency since) is cancelled and logged, never retried forever.
   */
  async publishDue(): Promise<number> {
    let published = 0;
    for (;;) {
      const now = new Date(this.deps.now());
      const outcome = await this.db.$transaction(async (tx) => {
        const [due] = await tx.$queryRaw<Due[]>`
          SELECT id, "storeId", "menuVersionId", "createdById" FROM "ScheduledPublication"
           WHERE "publishedAt" IS NULL AND "cancelledAt" IS NULL AND "publishAt" <= ${now}
           ORDER BY "publishAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!due) return null;
        try {
          const changes = await publishMenuVersion(tx, due.menuVersionId, [due.storeId]);
          await tx.scheduledPublication.update({ where: { id: due.id }, data: { publishedAt: now } });
          return { due, changes };
        } catch (error) {
          // Refused before anything was written (publishMenuVersion checks first), so the transaction can still record why.
          if (!(error instanceof AppError)) throw error;
          await tx.scheduledPublication.update({ where: { id: due.id }, data: { cancelledAt: now } });
          this.deps.log.warn('a scheduled menu could not be published and was cancelled', { scheduledId: due.id, storeId: due.storeId, reason: error.message });
          return { due, changes: null };
        }
      });
      if (!outcome) return published;
      const { due, changes } = outcome;
      if (!changes) continue;
      this.deps.broadcast(changes);
      this.deps.audit.record({ action: 'menu-published', actor: { type: 'admin', id: due.createdById ?? undefined }, storeId: due.storeId, detail: { menuVersionId: due.menuVersionId, scheduled: true } });
      published += 1;
    }
  }
}
