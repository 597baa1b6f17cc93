// Each store's change feed (invariant 3). Every accepted change gets the store's next sequence
// number inside the transaction that makes the change, under the store row's lock: so a store's
// changes commit in sequence order, and a reader who sees seq n has every seq below it too.
import type { ServerDb, ServerTx } from '../db/client';
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
 * Numbers and stores changes, returning them grouped by store in seq order. Store rows are locked
 * in id order, the last locks a transaction takes, so concurrent writers never deadlock and hold
 * the locks only until their commit.
 */
export async function appendChanges(tx: ServerTx, pending: readonly PendingChange[]): Promise<Map<string, Change[]>> {
  const byStore = new Map<string, ChangeBody[]>();
  for (const { storeId, body } of pending) {
    const list = byStore.get(storeId);
    if (list) list.push(body);
    else byStore.set(storeId, [body]);
  }
  const result = new Map<string, Change[]>();
  if (byStore.size === 0) return result;

  const storeIds = [...byStore.keys()].sort();
  const counts = storeIds.map((id) => byStore.get(id)!.length);
  await tx.$queryRawUnsafe(`SELECT 1 FROM "Store" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, storeIds);
  const heads = await tx.$queryRawUnsafe<Array<{ id: string; changeSeq: number }>>(
    `UPDATE "Store" s SET "changeSeq" = s."changeSeq" + v.n
       FROM unnest($1::uuid[], $2::int[]) AS v(id, n)
      WHERE s.id = v.id
  RETURNING s.id, s."changeSeq"`,
    storeIds,
    counts,
  );
  const at = new Date();
  const rows = { storeId: [] as string[], seq: [] as number[], kind: [] as string[], payload: [] as string[] };
  for (const { id, changeSeq } of heads) {
    const bodies = byStore.get(id)!;
    const first = changeSeq - bodies.length + 1;
    const changes = bodies.map((body, i) => {
      const { kind, ...payload } = body;
      rows.storeId.push(id);
      rows.seq.push(first + i);
      rows.kind.push(kind);
      rows.payload.push(JSON.stringify(payload));
      return { seq: first + i, at: at.toISOString(), ...body } as Change;
    });
    result.set(id, changes);
  }
  await tx.$executeRawUnsafe(
    `INSERT INTO "StoreChange" ("storeId", seq, kind, payload, "createdAt")
     SELECT s, q, k, p, $5 FROM unnest($1::uuid[], $2::int[], $3::text[], $4::jsonb[]) AS t(s, q, k, p)`,
    rows.storeId,
    rows.seq,
    rows.kind,
    rows.payload,
    at,
  );
  return result;
}

/** Changes of a store after `after`, oldest first, at most `limit`. */
export async function readChanges(db: ServerDb, storeId: string, after: number, limit: number): Promise<Change[]> {
  const rows = await db.$queryRawUnsafe<ChangeRow[]>(
    `SELECT seq, kind, payload, "createdAt" FROM "StoreChange" WHERE "storeId" = $1::uuid AND seq > $2 ORDER BY seq LIMIT $3`,
    storeId,
    after,
    limit,
  );
  return rows.map(toChange);
}

export async function headSeq(db: ServerDb | ServerTx, storeId: string): Promise<number> {
  const store = await db.store.findUnique({ where: { id: storeId }, select: { changeSeq: true } });
  return store?.changeSeq ?? 0;
}
