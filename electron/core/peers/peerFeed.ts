// This device's own changes, kept for the store's other terminals to take over the LAN (PROTOCOL.md,
// "The store's LAN"). Each is written in the transaction that writes its outbox entry, so a peer
// never sees a change this device could still lose, nor misses one it made.
import { randomUUID } from 'node:crypto';
import type { ChangeBody } from '#protocol/events';
import type { PeerFeedChange } from '#protocol/peerEvents';
import type { LocalSql } from '../db/localSql';

/** What a terminal originates and its peers may take from it, before its feed numbers it. */
export type PeerChange = Extract<ChangeBody, { kind: PeerFeedChange['kind'] }>;

/** A peer that was away longer than this takes what it missed from the server. */
export const PEER_FEED_KEPT_MS = 2 * 24 * 60 * 60_000;
/** Old entries go every this many appends: often enough that the table stays small, rarely enough to cost nothing. */
const PRUNE_EVERY = 256;

const listeners = new WeakMap<LocalSql, Set<() => void>>();

/** Calls `listener` after each append to this database's feed; returns how to stop. */
export function onPeerFeed(sql: LocalSql, listener: () => void): () => void {
  const set = listeners.get(sql) ?? new Set();
  listeners.set(sql, set);
  set.add(listener);
  return () => set.delete(listener);
}

/** Appends a change this device made, in the caller's transaction. */
export function publishToPeers(sql: LocalSql, change: PeerChange, now = new Date()): void {
  const { lastInsertRowid } = sql.run('INSERT INTO PeerFeed (body, createdAt) VALUES (?, ?)', JSON.stringify({ ...change, at: now.toISOString() }), now.toISOString());
  if (Number(lastInsertRowid) % PRUNE_EVERY === 0) sql.run('DELETE FROM PeerFeed WHERE createdAt < ?', new Date(now.getTime() - PEER_FEED_KEPT_MS).toISOString());
  // After the caller's transaction: better-sqlite3's transactions are synchronous, so a listener
  // reading the feed in a microtask finds the change committed (or, rolled back, finds nothing).
  const waiting = listeners.get(sql);
  if (waiting?.size) queueMicrotask(() => waiting.forEach((listener) => listener()));
}

/** Names this file's feed; made on first use, so a replaced file starts a new one. */
export function peerEpoch(sql: LocalSql): string {
  sql.run('INSERT OR IGNORE INTO PeerFeedEpoch (id, epoch) VALUES (1, ?)', randomUUID());
  return sql.get<{ epoch: string }>('SELECT epoch FROM PeerFeedEpoch WHERE id = 1')!.epoch;
}

/** Up to `limit` changes after `after`, oldest first. */
export function peerFeedAfter(sql: LocalSql, after: number, limit: number): PeerFeedChange[] {
  return sql
    .all<{ seq: number; body: string }>('SELECT seq, body FROM PeerFeed WHERE seq > ? ORDER BY seq LIMIT ?', after, limit)
    .map(({ seq, body }) => ({ seq, ...(JSON.parse(body) as Omit<PeerFeedChange, 'seq'>) }) as PeerFeedChange);
}
