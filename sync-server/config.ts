import { z } from 'zod';
import { trustedProxies } from './limits/clientAddress';

function compiles(list: string[]): boolean {
  try {
    trustedProxies(list);
    return true;
  } catch {
    return false;
  }
}

/** Every setting of `npm run server`, read from the environment; see the README's Configuration. */
export const ServerConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** An external PostgreSQL. Without it the server runs an embedded one in TILLSYNC_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TILLSYNC_DATA_DIR: z.string().min(1).default('.tillsync'),
  /** Seeds the demo café (store and published menu) when it does not exist. */
  TILLSYNC_SEED_DEMO: z.enum(['0', '1']).default('0'),
  /** The first owner of the admin, created when the database has no admin yet. */
  TILLSYNC_ADMIN_EMAIL: z.email().optional(),
  TILLSYNC_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  /**
   * How server nodes share live changes: `local` for a single node; `postgres` when several nodes
   * share the database (the Socket.IO PostgreSQL adapter: no sticky sessions, no other service).
   */
  TILLSYNC_FANOUT: z.enum(['local', 'postgres']).default('local'),
  /**
   * Reverse proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose
   * X-Forwarded-For names the client. Without it every client is the address it connects from.
   */
  TILLSYNC_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine(compiles, 'addresses or CIDR ranges separated by commas, e.g. 10.0.0.0/8,::1'),
  /** The bearer token Prometheus gives to read /metrics; without it the server has no /metrics. */
  TILLSYNC_METRICS_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  /**
   * The secret every kiosk's receipt key is derived from (the same on every node). Without it the
   * server makes one once and keeps it in the database. Changing it breaks the links on receipts
   * already printed.
   */
  TILLSYNC_RECEIPT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /**
   * The secret each store's certificate authority key is sealed with in the database (the same on
   * every node), so a copy of the database alone cannot certify a device into a store's LAN.
   * Without it the keys are kept plain; once set, a node seals them as it starts.
   */
  TILLSYNC_AUTHORITY_SECRET: z.string().min(32, 'at least 32 characters').optional(),
});
export type ServerConfig = z.output<typeof ServerConfigSchema>;

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ServerConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new Error(`The server's configuration is not valid:\n${problems}\nFix these environment variables and start again.`);
}
