import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import type { TaxPolicy } from '../protocol/pricing';

/** What every uploaded order of a store is checked against: its tax policy and its time zone. */
export interface StoreRule extends TaxPolicy {
  timeZone: string;
}

const TTL_MS = 60_000;

/**
 * Each store's rules, read once a minute rather than once per upload: every uploaded order is
 * re-priced and dated with them, and under load that is thousands of reads a second for values
 * that change perhaps once a year.
 */
export class StoreRules {
  private readonly cache = new Map<string, { rule: Promise<StoreRule>; until: number }>();

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {}

  get(storeId: string): Promise<StoreRule> {
    const cached = this.cache.get(storeId);
    if (cached && cached.until > this.now()) return cached.rule;
    const rule = this.db.store.findUnique({ where: { id: storeId }, select: { taxRateBp: true, pricesIncludeTax: true, timeZone: true } }).then((store) => {
      if (!store) throw new AppError('STORE_NOT_FOUND');
      return store;
    });
    this.cache.set(storeId, { rule, until: this.now() + TTL_MS });
    rule.catch(() => this.cache.delete(storeId));
    return rule;
  }
}
