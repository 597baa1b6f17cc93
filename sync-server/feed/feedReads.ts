// One feed read at a time per device — a snapshot page or a pull — over every server node. Twenty
// snapshot requests from one kitchen once held every database connection; now the second is told
// to wait. The lock is PostgreSQL's own (an advisory lock held by the read's transaction), so
// nodes need not talk to each other, and a node that dies mid-read lets go at once.
import type { ServerDb, ServerTx } from '../db/client';
import type { RawSql } from '../db/sql';
import { AppError } from '../protocol/errors';

/** The advisory-lock class of feed reads; the device's id picks the lock within it. */
const FEED_READS = 7_241;
const BUSY_RETRY_MS = 500;

const busy = () => AppError.wait('RATE_LIMITED', 'This device is already reading the feed. Ask again once that answer has come.', BUSY_RETRY_MS);

/** Takes the device's feed-read lock for the rest of the transaction `tx`, or refuses. */
export async function lockFeedReads(tx: RawSql, deviceId: string): Promise<void> {
  const [{ locked }] = await tx.$queryRawUnsafe<[{ locked: boolean }]>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', FEED_READS, deviceId);
  if (!locked) throw busy();
}

/**
 * How long a feed read may wait for a connection and then take. Prisma's defaults (2 s and 5 s) fail
 * reads that merely queue while twenty kitchens take their snapshots on a busy machine; a read is
 * one bounded page, so waiting its turn is right.
 */
const READ_WAIT_MS = 15_000;
const READ_TIMEOUT_MS = 30_000;

/** Runs `read` in a transaction that holds the device's feed-read lock. */
export function oneFeedReadAtATime<T>(db: ServerDb, deviceId: string, read: (tx: ServerTx) => Promise<T>, options: { isolationLevel?: 'RepeatableRead' } = {}): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await lockFeedReads(tx, deviceId);
      return read(tx);
    },
    { maxWait: READ_WAIT_MS, timeout: READ_TIMEOUT_MS, ...options },
  );
}
