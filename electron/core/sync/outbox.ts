// Mutations wait here until the server acknowledges them (invariant 1). An entry is written in the
// same transaction as the change it carries, and removed in the same transaction that records the
// server's answer: a crash at any instant leaves either the entry or the answer.
import type { ErrorBody } from '../../../sync-server/protocol/errors';
import type { Mutation, MutationBody, MutationResult } from '../../../sync-server/protocol/events';
import type { LocalSql } from '../db/localSql';
import { recomputeStatus } from '../orders/orderRows';

/** Adds a mutation; its autoincrement id is this device's next mutation number. */
export function enqueue(sql: LocalSql, body: MutationBody): void {
  sql.run('INSERT INTO OutboxEntry (kind, payload, createdAt, attempts) VALUES (?, ?, ?, 0)', body.kind, JSON.stringify(body), new Date().toISOString());
}

export function nextBatch(sql: LocalSql, limit: number): Mutation[] {
  return sql
    .all<{ mutationId: number; payload: string }>('SELECT mutationId, payload FROM OutboxEntry ORDER BY mutationId LIMIT ?', limit)
    .map((e) => ({ ...(JSON.parse(e.payload) as MutationBody), id: e.mutationId }) as Mutation);
}

export const pendingCount = (sql: LocalSql) => sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM OutboxEntry')!.n;

export interface Refusal {
  mutation: Mutation;
  error: ErrorBody;
}

/**
 * Records the server's answers. Accepted and already-applied mutations leave the outbox; a
 * refused order stays in the database, flagged with the reason for staff; a refused status change
 * is withdrawn so the ticket shows what the rest of the store agrees on.
 */
export function settle(sql: LocalSql, sent: readonly Mutation[], results: readonly MutationResult[]): Refusal[] {
  const byId = new Map(sent.map((m) => [m.id, m]));
  const refusals: Refusal[] = [];
  sql.transaction(() => {
    for (const result of results) {
      const mutation = byId.get(result.id);
      if (!mutation) continue;
      sql.run('DELETE FROM OutboxEntry WHERE mutationId = ?', mutation.id);
      if (result.outcome !== 'rejected') {
        if (mutation.kind === 'order.place') sql.run(`UPDATE "Order" SET syncState = 'synced' WHERE id = ? AND syncState = 'pending'`, mutation.order.id);
        continue;
      }
      const error = result.error ?? { code: 'INTERNAL', message: 'Refused without a reason.' };
      refusals.push({ mutation, error });
      if (mutation.kind === 'order.place') {
        sql.run(`UPDATE "Order" SET syncState = 'rejected', rejectCode = ?, rejectMessage = ? WHERE id = ?`, error.code, error.message, mutation.order.id);
      } else {
        sql.run('DELETE FROM OrderStatusEvent WHERE orderId = ? AND hlc = ?', mutation.orderId, mutation.hlc);
        recomputeStatus(sql, mutation.orderId);
      }
    }
  }, { durable: false });
  return refusals;
}
