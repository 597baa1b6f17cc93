import type pg from 'pg';
import { z } from 'zod';
import type { ServerDb } from '../db/client';
import type { HttpApp } from './httpApp';

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

const CheckSchema = z.union([z.object({ state: z.literal('up'), latencyMs: z.number() }), z.object({ state: z.literal('down'), error: z.string() })]);
const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  failing: z.array(z.string()),
  checks: z.object({ database: CheckSchema }),
  terminalConnections: z.object({ open: z.int(), idle: z.int(), waiting: z.int() }).meta({ description: "The terminals' database connections on this node." }),
  terminals: z.int().meta({ description: 'Terminals connected to this node.' }),
  uptimeSeconds: z.int(),
});

/**
 * GET /health: 200 when the database answers on head office's own connections, 503 naming each
 * check that failed, for load balancers and monitoring. How busy the terminals' connections are is
 * reported, not judged: a crowd of terminals is load, not a fault, and must not take a node out.
 */
export function registerHealthRoute(app: HttpApp, pools: { admin: ServerDb; terminals: pg.Pool }, connectedTerminals: () => number): void {
  const startedAt = Date.now();
  app.get('/health', {
    schema: { tags: ['operations'], summary: 'Is this node able to serve?', response: { 200: HealthSchema, 503: HealthSchema } },
    handler: async (_request, reply) => {
      const checks = { database: await check(() => pools.admin.$queryRawUnsafe('SELECT 1')) };
      const failing = Object.entries(checks).filter(([, c]) => c.state === 'down').map(([name]) => name);
      const { totalCount, idleCount, waitingCount } = pools.terminals;
      return reply.code(failing.length === 0 ? 200 : 503).send({
        status: failing.length === 0 ? 'ok' : 'degraded',
        failing,
        checks,
        terminalConnections: { open: totalCount, idle: idleCount, waiting: waitingCount },
        terminals: connectedTerminals(),
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      });
    },
  });
}
