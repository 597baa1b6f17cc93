import { z } from 'zod';
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import type { TaxPolicy } from '../protocol/pricing';

/** What every uploaded order of a store is checked against: its tax policy and its time zone. */
export interface StoreRule extends TaxPolicy {
  timeZone: string;
}

const TTL_MS = 60_000;

/** The part of a `store-changed` audit event's before and after that orders are checked against. */
const RuleSchema = z.object({ taxRateBp: z.int(), pricesIncludeTax: z.boolean(), timeZone: z.string() });
const ChangedSchema = z.object({ before: RuleSchema, after: RuleSchema });

/**
 * Each store's rules: the ones it has now, first, then every other set it has had (stores.ts keeps
 * them in the audit log, written with each change). A kiosk that was offline when the tax rate or
 * the time zone changed priced and dated its orders under the rules it knew, and those orders are
 * accepted all the same (invariant 1).
 *
 * Read once a minute rather than once per upload: every uploaded order is re-priced and dated with
 * them, and under load that is thousands of reads a second for values that change perhaps once a
 * year. A refusal is never based on that copy (see `judge`).
 */
export class StoreRules {
  private readonly cache = new Map<string, { rules: Promise<StoreRule[]>; until: number }>();

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {}

  get(storeId: string): Promise<StoreRule[]> {
    const cached = this.cache.get(storeId);
    if (cached && cached.until > this.now()) return cached.rules;
    const rules = this.read(storeId);
    this.cache.set(storeId, { rules, until: this.now() + TTL_MS });
    rules.catch(() => this.cache.delete(storeId));
    return rules;
  }

  /**
   * Runs `check` with the store's rules. When it refuses with rules from the copy, they are read
   * again and it runs once more: the store may have changed since, on this server node or another,
   * and a terminal that already has the new rules must not be refused for it.
   */
  async judge<T>(storeId: string, check: (rules: readonly StoreRule[]) => T): Promise<T> {
    const cached = this.cache.get(storeId);
    const fromCopy = cached !== undefined && cached.until > this.now();
    try {
      return check(await this.get(storeId));
    } catch (error) {
      if (!fromCopy || !(error instanceof AppError)) throw error;
      if (this.cache.get(storeId) === cached) this.cache.delete(storeId);
      return check(await this.get(storeId));
    }
  }

  private async read(storeId: string): Promise<StoreRule[]> {
    const [store, changes] = await Promise.all([
      this.db.store.findUnique({ where: { id: storeId }, select: { taxRateBp: true, pricesIncludeTax: true, timeZone: true } }),
      this.db.auditEvent.findMany({ where: { storeId, action: 'store-changed' }, select: { detail: true }, orderBy: { id: 'desc' } }),
    ]);
    if (!store) throw new AppError('STORE_NOT_FOUND');
    const rules = new Map<string, StoreRule>();
    for (const rule of [store, ...changes.flatMap(({ detail }) => Object.values(ChangedSchema.safeParse(detail).data ?? {}))]) {
      const { taxRateBp, pricesIncludeTax, timeZone } = rule;
      rules.set(`${taxRateBp}/${pricesIncludeTax}/${timeZone}`, { taxRateBp, pricesIncludeTax, timeZone });
    }
    return [...rules.values()];
  }
}
