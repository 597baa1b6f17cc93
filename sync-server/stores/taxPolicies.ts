import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import type { TaxPolicy } from '../protocol/pricing';

const TTL_MS = 60_000;

/**
 * Each store's tax policy, read once a minute rather than once per upload: every uploaded order is
 * re-priced with it, and under load that is thousands of reads a second for a value that changes
 * perhaps once a year.
 */
export class TaxPolicies {
  private readonly cache = new Map<string, { policy: Promise<TaxPolicy>; until: number }>();

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {}

  get(storeId: string): Promise<TaxPolicy> {
    const cached = this.cache.get(storeId);
    if (cached && cached.until > this.now()) return cached.policy;
    const policy = this.db.store.findUnique({ where: { id: storeId }, select: { taxRateBp: true, pricesIncludeTax: true } }).then((store) => {
      if (!store) throw new AppError('STORE_NOT_FOUND');
      return store;
    });
    this.cache.set(storeId, { policy, until: this.now() + TTL_MS });
    policy.catch(() => this.cache.delete(storeId));
    return policy;
  }
}
