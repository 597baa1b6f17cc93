// Mutations wait here until the server acknowledges them (invariant 1). An entry is written in the
// same transaction as the change it carries, and removed in the same transaction that records the
// server's answer: a crash at any instant leaves either the entry or the answer.
import type { ErrorBody } from '../../../sync-server/protocol/errors';
import type { Mutation, MutationBody, MutationResult } from '../../../sync-server/protocol/events';
import type { TerminalDb, TerminalTx } from '../db/terminalDb';
import { recomputeStatus } from '../orders/orderRows';

/** Adds a mutation; its autoincrement id is this device's next mutation number. */
export async function enqueue(tx: TerminalTx, body: MutationBody): Promise<void> {
  await tx.outboxEntry.create({ data: { kind: body.kind, payload: body } });
}

export async function nextBatch(db: TerminalDb, limit: number): Promise<Mutation[]> {
  const entries = await db.outboxEntry.findMany({ orderBy: { mutationId: 'asc' }, take: limit });
  return entries.map((e) => ({ ...(e.payload as MutationBody), id: e.mutationId }) as Mutation);
}

export const pendingCount = (db: TerminalDb) => db.outboxEntry.count();

export interface Refusal {
  mutation: Mutation;
  error: ErrorBody;
}

/**
 * Records the server's answers. Accepted and already-applied mutations leave the outbox; a
 * refused order stays in the database, flagged with the reason for staff; a refused status change
 * is withdrawn so the ticket shows what the rest of the store agrees on.
 */
export async function settle(db: TerminalDb, sent: readonly Mutation[], results: readonly MutationResult[]): Promise<Refusal[]> {
  const byId = new Map(sent.map((m) => [m.id, m]));
  const refusals: Refusal[] = [];
  await db.$transaction(async (tx) => {
    const done: number[] = [];
    const synced: string[] = [];
    for (const result of results) {
      const mutation = byId.get(result.id);
      if (!mutation) continue;
      done.push(mutation.id);
      if (result.outcome !== 'rejected') {
        if (mutation.kind === 'order.place') synced.push(mutation.order.id);
        continue;
      }
      const error = result.error ?? { code: 'INTERNAL', message: 'Refused without a reason.' };
      refusals.push({ mutation, error });
      if (mutation.kind === 'order.place') {
        await tx.order.update({ where: { id: mutation.order.id }, data: { syncState: 'rejected', rejectCode: error.code, rejectMessage: error.message } });
      } else {
        await tx.orderStatusEvent.deleteMany({ where: { orderId: mutation.orderId, hlc: mutation.hlc } });
        await recomputeStatus(tx, mutation.orderId);
      }
    }
    if (synced.length > 0) await tx.order.updateMany({ where: { id: { in: synced }, syncState: 'pending' }, data: { syncState: 'synced' } });
    if (done.length > 0) await tx.outboxEntry.deleteMany({ where: { mutationId: { in: done } } });
  });
  return refusals;
}
