import type { ServerDb } from '../db/client';
import type { HttpResponse } from './router';

const DATABASE_TIMEOUT_MS = 2000;

/**
 * GET /health: 200 when the database answers, 503 when it does not, for load balancers and
 * monitoring. Terminals are served either way; they retry their uploads until the database is back.
 */
export async function health(db: ServerDb, startedAt: number, connectedTerminals: () => number): Promise<HttpResponse> {
  const started = performance.now();
  let database: { state: 'up'; latencyMs: number } | { state: 'down'; error: string };
  try {
    await Promise.race([
      db.$queryRawUnsafe('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)), DATABASE_TIMEOUT_MS).unref()),
    ]);
    database = { state: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    database = { state: 'down', error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  const up = database.state === 'up';
  return {
    status: up ? 200 : 503,
    body: {
      status: up ? 'ok' : 'degraded',
      database,
      terminals: connectedTerminals(),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    },
  };
}
