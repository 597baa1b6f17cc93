// Applies terminals' mutations exactly once (invariant 1) and in one transaction per batch.
//
// Every push from every connection joins one queue. A few transactions run at once; when one is
// free it takes everything queued. At low load a push commits alone and at once; under load
// hundreds of orders share one commit, and one fsync. Transactions of different stores do not wait
// for each other; those of one store serialise on the store's row, in sequence order, and those of
// one device on the device's row. What each transaction does is in mergeBatch.ts.
import type { SqlPool } from '../db/sql';
import type { Logger } from '../log';
import type { Change, MutationResult } from '../protocol/events';
import { mergeBatch, type DeviceContext, type PreparedMutation, type Submission } from './mergeBatch';

export type { DeviceContext, PreparedMutation } from './mergeBatch';

interface Waiting extends Submission {
  resolve(results: MutationResult[]): void;
  reject(error: unknown): void;
}

/** Transactions in flight at once: enough to overlap one store's commit with another's. */
const MAX_IN_FLIGHT = 3;

export class MutationMerger {
  private queue: Waiting[] = [];
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

  private async flush(batch: Waiting[]): Promise<void> {
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

  private async commit(batch: Waiting[]): Promise<void> {
    const { results, changes } = await this.sql.transaction((tx) => mergeBatch(tx, batch));
    batch.forEach((submission, i) => submission.resolve(results[i]!));
    if (changes.size > 0) this.onCommit(changes);
  }
}
