// Per-address budgets of REST calls through @fastify/rate-limit, kept in the PostgreSQL budgets
// every server node shares (limits/budgets.ts): a guesser gains nothing by spreading over nodes,
// and a refusal is answered before the request's body is read.
import rateLimit, { type FastifyRateLimitStore, type RateLimitOptions } from '@fastify/rate-limit';
import { addressKey } from '../limits/clientAddress';
import { secondsText, type AddressBudget, type Budgets } from '../limits/budgets';
import { RateLimiterRes } from '../limits/rateLimiters';
import { AppError } from '../protocol/errors';
import type { HttpApp } from './httpApp';

/** A route's rate-limit setting, naming the budget it spends. */
type AddressLimit = RateLimitOptions & { budget: AddressBudget };

const REFUSALS: Record<AddressBudget, (wait: string) => string> = {
  'sign-ins': (wait) => `Too many sign-in attempts from this address. Try again in ${wait}.`,
  pairings: (wait) => `Too many pairing attempts from this address. Try again in ${wait}.`,
  receipts: (wait) => `Too many receipt pages asked for from this address. Try again in ${wait}.`,
};

export async function registerAddressLimits(app: HttpApp, budgets: Budgets): Promise<void> {
  /** The plugin's store: counts a route's calls in its budget's shared table. */
  class BudgetStore implements FastifyRateLimitStore {
    private readonly budget: AddressBudget | undefined;

    /** The plugin's settings, or a route's (which name the budget). */
    constructor(setting: object) {
      this.budget = (setting as Partial<AddressLimit>).budget;
    }

    child(routeSetting: object): FastifyRateLimitStore {
      return new BudgetStore(routeSetting);
    }

    incr(key: string, answer: (error: Error | null, result?: { current: number; ttl: number }) => void): void {
      if (!this.budget) return answer(new Error('A rate-limited route must name its budget.'));
      const budget = this.budget;
      const { limiter, window } = budgets.addressBudget(budget);
      const allowed = (res: RateLimiterRes) => answer(null, { current: res.consumedPoints, ttl: res.msBeforeNext });
      // A refusal (which may come from the limiter's memory, counting nothing) is reported as one
      // past the limit, which the plugin answers 429; an error is a database that did not answer.
      const refused = (refusal: unknown) => {
        if (!(refusal instanceof RateLimiterRes)) return answer(refusal as Error);
        budgets.tripped(budget, key, refusal.msBeforeNext);
        answer(null, { current: window.points + 1, ttl: refusal.msBeforeNext });
      };
      limiter.consume(key, 1).then(allowed, refused);
    }
  }

  await app.register(rateLimit, {
    global: false,
    store: BudgetStore,
    keyGenerator: (request) => addressKey(request.clientAddress),
    // The answer says how long to wait, in the same shape as every other refusal.
    errorResponseBuilder: (request, { ttl }) => {
      const { budget } = request.routeOptions.config.rateLimit as AddressLimit;
      return AppError.wait('RATE_LIMITED', REFUSALS[budget](secondsText(ttl)), ttl);
    },
  });
}

/** The rate-limit setting of a route that spends `budget` per client address. */
export function addressLimit(budgets: Budgets, budget: AddressBudget): AddressLimit {
  const { points, seconds } = budgets.addressBudget(budget).window;
  return { max: points, timeWindow: seconds * 1000, budget };
}
