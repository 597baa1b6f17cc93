// Mutations wait here until the server acknowledges them (invariant 1). An entry is written in the
// same transaction as the change it carries, and removed in the same transaction that records the
// server's answer: a crash at any instant leaves either the entry or the answer.
import { RETRYABLE, type ErrorBody } from '#protocol/errors';
import type { Mutation, MutationBody, MutationResult } from '#protocol/events';
import type { LocalSql } from '../db/localSql';
import { recomputeLines, recomputeStatus } from '../orders/orderRows';

/** Adds a mutation; its autoincrement id is this device's next mutation number. */
export function enqueue(sql: LocalSql, body: MutationBody): void {
  sql.run('INSERT INTO OutboxEntry (kind, payload, createdAt, attempts) VALUES (?, ?, ?, 0)', body.kind, JSON.stringify(body), new Date().toISOString());
}

/**
 * The next mutations to send, oldest first, past those that wait for their time. A waiting bump
 * may then reach the server after a later change of the same order: that is safe, as the server
 * merges an order's status and its lines last-writer-wins by clock, keeps every event, and a
 * payment only ever goes from unpaid to paid (invariant 4).
 */
export function nextBatch(sql: LocalSql, limit: number): Mutation[] {
  return sql
    .all<{ mutationId: number; payload: string }>(
      'SELECT mutationId, payload FROM OutboxEntry WHERE notBefore IS NULL OR notBefore <= ? ORDER BY mutationId LIMIT ?',
      new Date().toISOString(),
      limit,
    )
    .map((e) => ({ ...(JSON.parse(e.payload) as MutationBody), id: e.mutationId }) as Mutation);
}

/** How long until the first waiting entry may be sent; null when none waits. */
export function nextWaitEndsInMs(sql: LocalSql): number | null {
  const first = sql.get<{ at: string | null }>('SELECT min(notBefore) AS at FROM OutboxEntry WHERE notBefore IS NOT NULL')!.at;
  return first === null ? null : Math.max(0, Date.parse(first) - Date.now());
}

export const pendingCount = (sql: LocalSql) => sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM OutboxEntry')!.n;

/** The highest mutation number this terminal has handed out. */
const lastNumber = (sql: LocalSql) => sql.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'OutboxEntry'")?.seq ?? 0;

/**
 * A terminal restored from a backup counts from where the backup left off, below numbers the
 * server already holds its later changes under. It numbers on from the server's highest instead,
 * moving what waits in the outbox there in order, so nothing it sends is mistaken for another
 * change. Returns null when this terminal was not behind the server, else how many entries moved.
 */
export function numberOutboxAfter(sql: LocalSql, serverHighest: number): number | null {
  if (lastNumber(sql) >= serverHighest) return null;
  return sql.transaction(() => {
    if (sql.run("UPDATE sqlite_sequence SET seq = ? WHERE name = 'OutboxEntry'", serverHighest).changes === 0) {
      sql.run("INSERT INTO sqlite_sequence (name, seq) VALUES ('OutboxEntry', ?)", serverHighest);
    }
    const { changes } = sql.run(
      'INSERT INTO OutboxEntry (kind, payload, createdAt, attempts, notBefore) SELECT kind, payload, createdAt, attempts, notBefore FROM OutboxEntry WHERE mutationId <= ? ORDER BY mutationId',
      serverHighest,
    );
    sql.run('DELETE FROM OutboxEntry WHERE mutationId <= ?', serverHighest);
    return changes;
  });
}

export interface Refusal {
  mutation: Mutation;
  error: ErrorBody;
}

export interface Settled {
  refusals: Refusal[];
  /** Entries the server said carry a number it holds another change under; they wait under new numbers. */
  renumbered: number;
}

/** A change the server cannot take yet is sent again after 2 s, then twice as long each time, up to 5 minutes. */
const FIRST_WAIT_MS = 2_000;
const LONGEST_WAIT_MS = 5 * 60_000;
/** A change still not taken after this long is given up: its order will not come (it was refused, or its kiosk is gone). */
const GIVE_UP_AFTER_MS = 2 * 24 * 60 * 60_000;

const orderOf = (mutation: Mutation) => (mutation.kind === 'order.place' ? mutation.order.id : mutation.orderId);

/**
 * Puts off an entry the server asked to send again later, unless it waited long enough already or
 * its order is no longer on this terminal: then it is withdrawn like a refusal. Returns whether it waits.
 */
function putOff(sql: LocalSql, mutation: Mutation, now: Date): boolean {
  const entry = sql.get<{ createdAt: string; attempts: number }>('SELECT createdAt, attempts FROM OutboxEntry WHERE mutationId = ?', mutation.id);
  if (!entry || now.getTime() - Date.parse(entry.createdAt) > GIVE_UP_AFTER_MS) return false;
  if (!sql.get('SELECT 1 FROM "Order" WHERE id = ?', orderOf(mutation))) return false;
  const waitMs = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(entry.attempts, 20));
  sql.run('UPDATE OutboxEntry SET attempts = attempts + 1, notBefore = ? WHERE mutationId = ?', new Date(now.getTime() + waitMs).toISOString(), mutation.id);
  return true;
}

/**
 * Records the server's answers. Accepted and already-applied mutations leave the outbox; a
 * refused order stays in the database, flagged with the reason for staff; a refused status change
 * or line bump is withdrawn so the ticket shows what the rest of the store agrees on. A mutation whose number
 * was taken is not refused at all: it waits under a new one. One the server can take only later
 * (a retryable code) keeps its number and its place on the ticket, and waits (see `putOff`).
 */
export function settle(sql: LocalSql, sent: readonly Mutation[], results: readonly MutationResult[]): Settled {
  const byId = new Map(sent.map((m) => [m.id, m]));
  const refusals: Refusal[] = [];
  let renumbered = 0;
  const now = new Date();
  sql.transaction(() => {
    const reused: number[] = [];
    for (const result of results) {
      const mutation = byId.get(result.id);
      if (!mutation) continue;
      if (result.error?.code === 'MUTATION_ID_REUSED') {
        reused.push(mutation.id);
        continue;
      }
      if (result.outcome === 'rejected' && result.error && RETRYABLE.has(result.error.code) && putOff(sql, mutation, now)) continue;
      sql.run('DELETE FROM OutboxEntry WHERE mutationId = ?', mutation.id);
      if (result.outcome !== 'rejected') {
        // Applied now, or held already: either way the server confirmed this order's id.
        if (mutation.kind === 'order.place') sql.run(`UPDATE "Order" SET syncState = 'synced' WHERE id = ? AND syncState = 'pending'`, mutation.order.id);
        continue;
      }
      const error = result.error ?? { code: 'INTERNAL', message: 'Refused without a reason.' };
      refusals.push({ mutation, error });
      if (mutation.kind === 'order.place') {
        sql.run(`UPDATE "Order" SET syncState = 'rejected', rejectCode = ?, rejectMessage = ? WHERE id = ?`, error.code, error.message, mutation.order.id);
      } else if (mutation.kind === 'order.status') {
        sql.run('DELETE FROM OrderStatusEvent WHERE orderId = ? AND hlc = ?', mutation.orderId, mutation.hlc);
        recomputeStatus(sql, mutation.orderId);
      } else if (mutation.kind === 'order.lines') {
        sql.run('DELETE FROM LineStatusEvent WHERE orderId = ? AND hlc = ?', mutation.orderId, mutation.hlc);
        recomputeLines(sql, mutation.orderId, mutation.lineNos);
      }
      // A refused `order.paid` stays paid here: staff took the money; the refusal is shown to them.
    }
    for (const id of reused) {
      sql.run('INSERT INTO OutboxEntry (kind, payload, createdAt, attempts) SELECT kind, payload, createdAt, attempts + 1 FROM OutboxEntry WHERE mutationId = ?', id);
      sql.run('DELETE FROM OutboxEntry WHERE mutationId = ?', id);
      renumbered += 1;
    }
  }, { durable: false });
  return { refusals, renumbered };
}
