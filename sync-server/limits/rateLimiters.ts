// The few classes of rate-limiter-flexible we use, each loaded from its own file. The package's
// index loads every store it supports (Redis, Mongo, DynamoDB, etcd, …): 8 MiB of code resident in
// every server and terminal process for nothing.
import { createRequire } from 'node:module';
import type * as Library from 'rate-limiter-flexible';

const load = createRequire(import.meta.url);

export const BurstyRateLimiter: typeof Library.BurstyRateLimiter = load('rate-limiter-flexible/lib/BurstyRateLimiter.js');
export const RateLimiterMemory: typeof Library.RateLimiterMemory = load('rate-limiter-flexible/lib/RateLimiterMemory.js');
export const RateLimiterPostgres: typeof Library.RateLimiterPostgres = load('rate-limiter-flexible/lib/RateLimiterPostgres.js');
/** What a limiter answers; a refusal is thrown as one. The same class the limiters' own files load. */
export const RateLimiterRes: typeof Library.RateLimiterRes = load('rate-limiter-flexible/lib/RateLimiterRes.js');
export type RateLimiterRes = Library.RateLimiterRes;
export type BurstyRateLimiter = Library.BurstyRateLimiter;
export type RateLimiterMemory = Library.RateLimiterMemory;
export type RateLimiterPostgres = Library.RateLimiterPostgres;
