// Applies terminals' mutations exactly once (invariant 1) and in one transaction per batch.
//
// Every push from every connection joins one queue. A few transactions run at once; when one is
// free it takes everything queued. At low load a push commits alone and at once; under load
// hundreds of orders share one commit, and one fsync. Transactions of different stores do not wait
// for each other; those of one store serialise on the store's row, in sequence order. Each device numbers its mutations, and the
// device row remembers the highest number processed, so a retry is recognised even when the
// acknowledgement was lost; the order's own id is a second, independent guard.
import type { RawSql, SqlPool } from '../db/sql';
import { appendChanges, type PendingChange } from '../feed/changeFeed';
import type { Logger } from '../log';
import { ERROR_CODES, type ErrorBody } from '../protocol/errors';
import type { Change, DeviceRole, MutationResult } from '../protocol/events';
import type { OrderRecord, OrderStatus } from '../protocol/orders';

export interface DeviceContext {
  id: string;
  storeId: string;
  role: DeviceRole;
}

/** A mutation after the checks that need no transaction: ready to apply, or already refused. */
export type PreparedMutation =
  | { id: number; kind: 'order.place'; order: OrderRecord }
  | { id: number; kind: 'order.status'; orderId: string; status: OrderStatus; hlc: string }
  | { id: number; kind: 'rejected'; error: ErrorBody };

interface Submission {
  device: DeviceContext;
  mutations: PreparedMutation[];
  resolve(results: MutationResult[]): void;
  reject(error: unknown): void;
}

interface Outcome {
  submission: number;
  index: number;
}

/** Transactions in flight at once: enough to overlap one store's commit with another's. */
const MAX_IN_FLIGHT = 3;

export class MutationMerger {
  private queue: Submission[] = [];
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly sql: SqlPool,
    /** Called after each commit with the new changes of every store touched. */
    private readonly onCommit: (changes: Map<string, Change[]>) => void,
    private readonly log: Logger,
  ) {}

  submit(device: DeviceContext, mutations: PreparedMutation[]): Promise<MutationResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ device, mutations: [...mutations].sort((a, b) => a.id - b.id), resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything submitted so far is committed or failed. */
  drained(): Promise<void> {
    return this.inFlight > 0 || this.queue.length ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  private kick(): void {
    if (this.queue.length === 0) {
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight += 1;
    const batch = this.queue.splice(0);
    void this.flush(batch).finally(() => {
      this.inFlight -= 1;
      this.kick();
    });
  }

  private async flush(batch: Submission[]): Promise<void> {
    try {
      await this.commit(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One submission can fail a shared transaction (say, a database constraint we did not
      // foresee). Retry each alone so the others still commit and only the culprit fails.
      this.log.warn('merge batch failed; retrying its pushes one by one', { pushes: batch.length, error: String(error) });
      for (const submission of batch) {
        await this.commit([submission]).catch((e: unknown) => submission.reject(e));
      }
    }
  }

  private async commit(batch: Submission[]): Promise<void> {
    const { results, changes } = await this.sql.transaction((tx) => mergeBatch(tx, batch));
    batch.forEach((submission, i) => submission.resolve(results[i]!));
    if (changes.size > 0) this.onCommit(changes);
  }
}

async function mergeBatch(tx: RawSql, batch: Submission[]) {
  const results: MutationResult[][] = batch.map((s) => s.mutations.map((m) => ({ id: m.id, outcome: 'applied' as const })));
  const reject = (at: Outcome, error: ErrorBody) => {
    results[at.submission]![at.index] = { id: batch[at.submission]!.mutations[at.index]!.id, outcome: 'rejected', error };
  };
  const duplicate = (at: Outcome) => {
    results[at.submission]![at.index]!.outcome = 'duplicate';
  };

  // 1. Lock the devices (in id order, like every writer), learn where each one stood, and move its
  //    high-water mark past this batch: every mutation above it is processed here, one way or another.
  const highest = new Map<string, number>();
  for (const { device, mutations } of batch) highest.set(device.id, Math.max(highest.get(device.id) ?? 0, ...mutations.map((m) => m.id)));
  const deviceIds = [...highest.keys()].sort();
  const deviceRows = await tx.$queryRawUnsafe<Array<{ id: string; lastMutationId: number }>>(
    `UPDATE "Device" d SET "lastMutationId" = GREATEST(locked."lastMutationId", v.highest), "lastSeenAt" = now()
       FROM (SELECT id, "lastMutationId" FROM "Device" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE) AS locked,
            unnest($1::uuid[], $2::int[]) AS v(id, highest)
      WHERE d.id = locked.id AND d.id = v.id
  RETURNING d.id, locked."lastMutationId"`,
    deviceIds,
    deviceIds.map((id) => highest.get(id)!),
  );
  const lastMutation = new Map(deviceRows.map((d) => [d.id, d.lastMutationId]));

  const places: Array<Outcome & { order: OrderRecord; storeId: string }> = [];
  const statuses: Array<Outcome & { orderId: string; status: OrderStatus; hlc: string; device: DeviceContext }> = [];
  const seenBefore: Array<Outcome & { deviceId: string; mutationId: number }> = [];
  // A retry that caught up with its first attempt in the same batch gets that attempt's answer.
  const firstAttempt = new Map<string, Outcome>();
  const echoes: Array<{ at: Outcome; of: Outcome }> = [];
  const rejections: Array<{ deviceId: string; mutationId: number; error: ErrorBody }> = [];

  batch.forEach((submission, s) => {
    const deviceId = submission.device.id;
    submission.mutations.forEach((mutation, index) => {
      const at = { submission: s, index };
      const last = lastMutation.get(deviceId) ?? 0;
      const key = `${deviceId}/${mutation.id}`;
      if (mutation.id <= last) {
        const first = firstAttempt.get(key);
        if (first) echoes.push({ at, of: first });
        else seenBefore.push({ ...at, deviceId, mutationId: mutation.id });
        return;
      }
      firstAttempt.set(key, at);
      lastMutation.set(deviceId, mutation.id);
      if (mutation.kind === 'rejected') {
        reject(at, mutation.error);
        rejections.push({ deviceId, mutationId: mutation.id, error: mutation.error });
      } else if (mutation.kind === 'order.place') {
        places.push({ ...at, order: mutation.order, storeId: submission.device.storeId });
      } else {
        statuses.push({ ...at, orderId: mutation.orderId, status: mutation.status, hlc: mutation.hlc, device: submission.device });
      }
    });
  });

  // 2. Mutations processed by an earlier push: same answer as then.
  if (seenBefore.length > 0) {
    const stored = await tx.$queryRawUnsafe<Array<{ deviceId: string; mutationId: number; code: string; message: string }>>(
      `SELECT r."deviceId", r."mutationId", r.code, r.message FROM "RejectedMutation" r
         JOIN unnest($1::uuid[], $2::int[]) AS v(d, m) ON r."deviceId" = v.d AND r."mutationId" = v.m`,
      seenBefore.map((m) => m.deviceId),
      seenBefore.map((m) => m.mutationId),
    );
    const refused = new Map(stored.map((r) => [`${r.deviceId}/${r.mutationId}`, r]));
    for (const m of seenBefore) {
      const earlier = refused.get(`${m.deviceId}/${m.mutationId}`);
      if (earlier) reject(m, { code: earlier.code as ErrorBody['code'], message: earlier.message });
      else duplicate(m);
    }
  }

  const pending: PendingChange[] = [];

  // 3. New orders and their lines, in one statement. The id is unique, and so is the number within
  //    the store's day: an order that conflicts on either is skipped here and sorted out below.
  if (places.length > 0) {
    // The orders travel as one JSON document that PostgreSQL takes apart: far cheaper than one
    // array parameter per column, which the driver would escape element by element.
    const inserted = new Set(
      (
        await tx.$queryRawUnsafe<Array<{ id: string }>>(
          `WITH input AS (
             SELECT * FROM json_to_recordset($1::json) AS o(id uuid, "storeId" uuid, "deviceId" uuid, number text, "businessDay" text,
                    "placedAt" timestamptz, "menuVersionId" uuid, currency text, "subtotalCents" int, "taxCents" int, "totalCents" int, lines json)
           ), inserted AS (
             INSERT INTO "Order" (id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency,
                                  "subtotalCents", "taxCents", "totalCents", status, "statusHlc")
             SELECT id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency,
                    "subtotalCents", "taxCents", "totalCents", 'preparing', NULL FROM input
             ON CONFLICT DO NOTHING RETURNING id
           ), lines AS (
             INSERT INTO "OrderLine" ("orderId", "lineNo", "itemId", name, quantity, "unitPriceCents", "lineTotalCents", modifiers)
             SELECT i.id, l."lineNo", l."itemId", l.name, l.quantity, l."unitPriceCents", l."lineTotalCents", l.modifiers
               FROM input i JOIN inserted USING (id),
                    json_to_recordset(i.lines) AS l("lineNo" int, "itemId" text, name text, quantity int, "unitPriceCents" int, "lineTotalCents" int, modifiers jsonb)
           )
           SELECT id FROM inserted`,
          JSON.stringify(places.map((p) => ({ ...p.order, storeId: p.storeId }))),
        )
      ).map((r) => r.id),
    );
    const skipped = places.filter((p) => !inserted.has(p.order.id));
    const existing = new Set(
      skipped.length === 0
        ? []
        : (await tx.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "Order" WHERE id = ANY($1::uuid[])`, skipped.map((p) => p.order.id))).map((r) => r.id),
    );
    const claimed = new Set<string>();
    for (const place of places) {
      if (inserted.has(place.order.id) && !claimed.has(place.order.id)) {
        claimed.add(place.order.id);
        pending.push({ storeId: place.storeId, body: { kind: 'order.placed', order: place.order } });
      } else if (existing.has(place.order.id) || claimed.has(place.order.id)) {
        duplicate(place);
      } else {
        const error: ErrorBody = { code: 'ORDER_NUMBER_TAKEN', message: `${ERROR_CODES.ORDER_NUMBER_TAKEN} (${place.order.number})`, path: 'order.number' };
        reject(place, error);
        rejections.push({ deviceId: place.order.deviceId, mutationId: batch[place.submission]!.mutations[place.index]!.id, error });
      }
    }
  }

  // 4. Status changes: kept in full, merged last-writer-wins by hybrid logical clock.
  if (statuses.length > 0) {
    const orderIds = [...new Set(statuses.map((s) => s.orderId))].sort();
    const current = new Map(
      (
        await tx.$queryRawUnsafe<Array<{ id: string; storeId: string; status: OrderStatus; statusHlc: string | null }>>(
          `SELECT id, "storeId", status, "statusHlc" FROM "Order" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
          orderIds,
        )
      ).map((o) => [o.id, o]),
    );
    const known = statuses.filter((s) => {
      if (current.get(s.orderId)?.storeId === s.device.storeId) return true;
      // Another store's order is as invisible as one that does not exist.
      const error: ErrorBody = { code: 'ORDER_NOT_FOUND', message: ERROR_CODES.ORDER_NOT_FOUND, path: 'orderId' };
      reject(s, error);
      rejections.push({ deviceId: s.device.id, mutationId: batch[s.submission]!.mutations[s.index]!.id, error });
      return false;
    });
    const recorded = new Set(
      known.length === 0
        ? []
        : (
            await tx.$queryRawUnsafe<Array<{ orderId: string; hlc: string }>>(
              `INSERT INTO "OrderStatusEvent" ("orderId", hlc, "deviceId", status)
               SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::"OrderStatus"[])
               ON CONFLICT DO NOTHING RETURNING "orderId", hlc`,
              known.map((s) => s.orderId),
              known.map((s) => s.hlc),
              known.map((s) => s.device.id),
              known.map((s) => s.status),
            )
          ).map((e) => `${e.orderId}/${e.hlc}`),
    );
    const changed = new Set<string>();
    for (const s of known) {
      const key = `${s.orderId}/${s.hlc}`;
      if (!recorded.delete(key)) {
        duplicate(s);
        continue;
      }
      const order = current.get(s.orderId)!;
      // Compared here, not in SQL: string order must not depend on the database's collation.
      if (order.statusHlc === null || s.hlc > order.statusHlc) {
        order.status = s.status;
        order.statusHlc = s.hlc;
        changed.add(order.id);
      }
      pending.push({ storeId: order.storeId, body: { kind: 'order.status', orderId: s.orderId, status: s.status, hlc: s.hlc, deviceId: s.device.id } });
    }
    if (changed.size > 0) {
      const rows = [...changed].map((id) => current.get(id)!);
      await tx.$executeRawUnsafe(
        `UPDATE "Order" o SET status = v.status, "statusHlc" = v.hlc
           FROM unnest($1::uuid[], $2::"OrderStatus"[], $3::text[]) AS v(id, status, hlc) WHERE o.id = v.id`,
        rows.map((o) => o.id),
        rows.map((o) => o.status),
        rows.map((o) => o.statusHlc),
      );
    }
  }

  // 5. Remember refusals, so a retry is refused the same way.
  if (rejections.length > 0) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "RejectedMutation" ("deviceId", "mutationId", code, message)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      rejections.map((r) => r.deviceId),
      rejections.map((r) => r.mutationId),
      rejections.map((r) => r.error.code),
      rejections.map((r) => r.error.message),
    );
  }

  // 6. Number the changes last: the store locks are held for the shortest time.
  const changes = await appendChanges(tx, pending);
  for (const { at, of } of echoes) results[at.submission]![at.index] = { ...results[of.submission]![of.index]! };
  return { results, changes };
}
