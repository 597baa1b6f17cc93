import type pg from 'pg';
import type { ServerDb } from '../db/client';
import type { HttpResponse } from './router';

const CHECK_TIMEOUT_MS = 2000;

type Check = { state: 'up'; latencyMs: number } | { state: 'down'; error: string };

async function check(query: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  try {
    await Promise.race([
      query(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { state: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { state: 'down', error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/**
 * GET /health: 200 when the database answers on head office's own connections, 503 naming each
 * check that failed, for load balancers and monitoring. How busy the terminals' connections are is
 * reported, not judged: a crowd of terminals is load, not a fault, and must not take a node out.
 */
export async function health(pools: { admin: ServerDb; terminals: pg.Pool }, startedAt: number, connectedTerminals: () => number): Promise<HttpResponse> {
  const checks = { database: await check(() => pools.admin.$queryRawUnsafe('SELECT 1')) };
  const failing = Object.entries(checks).filter(([, c]) => c.state === 'down').map(([name]) => name);
  const { totalCount, idleCount, waitingCount } = pools.terminals;
  return {
    status: failing.length === 0 ? 200 : 503,
    body: {
      status: failing.length === 0 ? 'ok' : 'degraded',
      failing,
      checks,
      terminalConnections: { open: totalCount, idle: idleCount, waiting: waitingCount },
      terminals: connectedTerminals(),
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    },
  };
}
