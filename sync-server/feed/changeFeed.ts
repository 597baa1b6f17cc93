// Each store's change feed (invariant 3). Every accepted change gets the store's next sequence
// number inside the transaction that makes the change, under the store row's lock: so a store's
// changes commit in sequence order, and a reader who sees seq n has every seq below it too.
import type { RawSql } from '../db/sql';
import type { Change, ChangeBody } from '../protocol/events';

export interface PendingChange {
  storeId: string;
  body: ChangeBody;
}

interface ChangeRow {
  seq: number;
  kind: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

const toChange = (row: ChangeRow): Change => ({ seq: row.seq, at: row.createdAt.toISOString(), kind: row.kind, ...row.payload }) as Change;

/**
 * Numbers and stores changes, returning them grouped by store in seq order: one statement that
 * moves each store's counter and inserts its changes. Writers of several stores lock the store
 * rows in id order first, so concurrent writers never deadlock; the locks are the last a
 * transaction takes, and are held only until its commit.
 */
export async function appendChanges(tx: RawSql, pending: readonly PendingChange[]): Promise<Map<string, Change[]>> {
  const byStore = new Map<string, ChangeBody[]>();
  for (const { storeId, body } of pending) {
    const list = byStore.get(storeId);
    if (list) list.push(body);
    else byStore.set(storeId, [body]);
  }
  const result = new Map<string, Change[]>();
  if (byStore.size === 0) return result;

  const storeIds = [...byStore.keys()].sort();
  if (storeIds.length > 1) await tx.$queryRawUnsafe(`SELECT 1 FROM "Store" WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, storeIds);
  const rows: Array<{ store: string; position: number; kind: string; payload: Omit<ChangeBody, 'kind'> }> = [];
  for (const storeId of storeIds) {
    byStore.get(storeId)!.forEach(({ kind, ...payload }, i) => rows.push({ store: storeId, position: i + 1, kind, payload }));
  }
  const at = new Date();
  const heads = await tx.$queryRawUnsafe<Array<{ id: string; base: number }>>(
    `WITH heads AS (
       UPDATE "Store" s SET "changeSeq" = s."changeSeq" + v.n
         FROM unnest($1::uuid[], $2::int[]) AS v(id, n)
        WHERE s.id = v.id
       RETURNING s.id, s."changeSeq" - v.n AS base
     ), stored AS (
       INSERT INTO "StoreChange" ("storeId", seq, kind, payload, "createdAt")
       SELECT c.store, h.base + c.position, c.kind, c.payload, $4
         FROM json_to_recordset($3::json) AS c(store uuid, position int, kind text, payload json)
         JOIN heads h ON h.id = c.store
     )
     SELECT id, base FROM heads`,
    storeIds,
    storeIds.map((id) => byStore.get(id)!.length),
    JSON.stringify(rows),
    at,
  );
  for (const { id, base } of heads) {
    result.set(id, byStore.get(id)!.map((body, i) => ({ seq: base + i + 1, at: at.toISOString(), ...body }) as Change));
  }
  return result;
}

/** Changes of a store after `after`, oldest first, at most `limit`. */
export async function readChanges(db: RawSql, storeId: string, after: number, limit: number): Promise<Change[]> {
  const rows = await db.$queryRawUnsafe<ChangeRow[]>(
    `SELECT seq, kind, payload, "createdAt" FROM "StoreChange" WHERE "storeId" = $1::uuid AND seq > $2 ORDER BY seq LIMIT $3`,
    storeId,
    after,
    limit,
  );
  return rows.map(toChange);
}

export async function headSeq(db: RawSql, storeId: string): Promise<number> {
  const [store] = await db.$queryRawUnsafe<Array<{ changeSeq: number }>>(`SELECT "changeSeq" FROM "Store" WHERE id = $1::uuid`, storeId);
  return store?.changeSeq ?? 0;
}
