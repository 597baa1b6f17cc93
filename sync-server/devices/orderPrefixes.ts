// Order-number prefixes (invariant 6): each kiosk of a store numbers its orders under a prefix of its
// own, so numbers are unique in the store for the day without any coordination, even offline.
import type { ServerTx } from '../db/client';
import { businessDay } from '../protocol/businessDay';
import { AppError } from '../protocol/errors';
import { MAX_CLOCK_AHEAD_MS } from '../protocol/events';

// Letters a customer cannot confuse with digits (no I, O) or with each other when called out.
const PREFIX_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

/** Every prefix, in the order they are handed out: A … Z, then AA … ZZ. 552 in all. */
export const ORDER_PREFIXES: readonly string[] = [...PREFIX_LETTERS, ...[...PREFIX_LETTERS].flatMap((first) => [...PREFIX_LETTERS].map((second) => first + second))];

export interface FreePrefix {
  prefix: string;
  /** The revoked kiosk that held it before, which gives it up; null for a prefix never used. */
  from: string | null;
}

/**
 * The prefix a new kiosk of the store gets: the first never used, else one a revoked kiosk held if
 * that kiosk can no longer have numbers on the days the new one will number. A revoked kiosk
 * uploads nothing more, and nothing it uploaded was dated more than the allowed clock skew after
 * its revocation; the new kiosk numbers from today on. Null when none is free. Call it with the
 * store row locked, so two kiosks cannot take the same one.
 */
export async function freeOrderPrefix(tx: ServerTx, storeId: string, now: Date): Promise<FreePrefix | null> {
  const store = await tx.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } });
  const holders = await tx.device.findMany({ where: { storeId, orderPrefix: { not: null } }, select: { id: true, orderPrefix: true, revokedAt: true }, orderBy: { revokedAt: 'asc' } });
  const held = new Map(holders.map((d) => [d.orderPrefix!, d]));
  const fresh = ORDER_PREFIXES.find((prefix) => !held.has(prefix));
  if (fresh) return { prefix: fresh, from: null };
  const today = businessDay(new Date(now.getTime() - MAX_CLOCK_AHEAD_MS), store.timeZone);
  const retired = holders.find((d) => d.revokedAt && businessDay(new Date(d.revokedAt.getTime() + MAX_CLOCK_AHEAD_MS), store.timeZone) < today);
  return retired ? { prefix: retired.orderPrefix!, from: retired.id } : null;
}

export const prefixesExhausted = () =>
  new AppError(
    'ORDER_PREFIXES_EXHAUSTED',
    `Every one of the store's ${ORDER_PREFIXES.length} order-number prefixes belongs to a kiosk. Revoke kiosks that are no longer used: their prefixes are free again from the store's next business day.`,
  );
