// The security audit log: who signed in or failed to, who paired or revoked a device, changed a
// role, published a menu, and which budgets ran out. Head office reads it at GET /api/audit.
import type { ServerDb } from '../db/client';
import type { Logger } from '../log';
import type { AuditAction } from '../admin/adminApiSchemas';



export interface AuditEntry {
  action: AuditAction;
  /** Who did it: an admin, a device, or someone not signed in. */
  actor: { type: 'admin' | 'device' | 'anonymous'; id?: string | undefined; email?: string | undefined };
  /** The client's address, as the trusted proxies tell it. */
  address?: string | undefined;
  storeId?: string | undefined;
  detail?: Record<string, unknown>;
}

/** A page of the log, newest first: events before `before` (an id), of one action or store. */
export interface AuditQuery {
  before?: bigint | undefined;
  limit: number;
  action?: AuditAction | undefined;
  storeId?: string | undefined;
}

export async function readAuditEvents(db: ServerDb, { before, limit, action, storeId }: AuditQuery) {
  const events = await db.auditEvent.findMany({
    where: { ...(before ? { id: { lt: before } } : {}), ...(action ? { action } : {}), ...(storeId ? { storeId } : {}) },
    orderBy: { id: 'desc' },
    take: limit,
  });
  // Ids are 64-bit: text, so that JSON carries them whole.
  return events.map((e) => ({ ...e, id: e.id.toString() }));
}

/** An entry as the table keeps it. */
const rowOf = (e: AuditEntry & { at: Date }) => ({
  at: e.at,
  action: e.action,
  actorType: e.actor.type,
  actorId: e.actor.id ?? null,
  actorEmail: e.actor.email ?? null,
  address: e.address ?? null,
  storeId: e.storeId ?? null,
  detail: (e.detail ?? {}) as object,
});

/**
 * Writes an entry in the caller's transaction, for an event the server later relies on (a store's
 * earlier settings, stores/storeRules.ts): it commits with the change, or neither does.
 */
export async function recordWith(tx: Pick<ServerDb, 'auditEvent'>, entry: AuditEntry, at: Date): Promise<void> {
  await tx.auditEvent.create({ data: rowOf({ ...entry, at }) });
}

/** Entries waiting to be written; beyond this, a flood of them is counted, not kept. */
const MAX_WAITING = 10_000;

/**
 * Entries are written once a second in one statement, on head office's own connections: a device
 * tripping limits all day must cost the database little, and can never hold up a request.
 */
export class AuditLog {
  private waiting: Array<AuditEntry & { at: Date }> = [];
  private dropped = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: ServerDb,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(entry: AuditEntry): void {
    if (this.waiting.length >= MAX_WAITING) {
      this.dropped += 1;
      return;
    }
    this.waiting.push({ ...entry, at: new Date(this.now()) });
  }

  async flush(): Promise<void> {
    const entries = this.waiting.splice(0);
    const dropped = this.dropped;
    this.dropped = 0;
    if (dropped > 0) entries.push({ action: 'limit-tripped', actor: { type: 'anonymous' }, detail: { budget: 'audit-log', droppedEntries: dropped }, at: new Date(this.now()) });
    if (entries.length === 0) return;
    try {
      await this.db.auditEvent.createMany({ data: entries.map(rowOf) });
    } catch (error) {
      this.log.error('could not write the audit log', { entries: entries.length, error: String(error) });
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
