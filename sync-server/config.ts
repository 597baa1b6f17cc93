import { z } from 'zod';

/** Every setting of `npm run server`, read from the environment; see the README's Configuration. */
export const ServerConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** An external PostgreSQL. Without it the server runs an embedded one in TILLSYNC_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TILLSYNC_DATA_DIR: z.string().min(1).default('.tillsync'),
  /** Seeds a demo store, menu and devices when the database has no store yet. */
  TILLSYNC_SEED_DEMO: z.enum(['0', '1']).default('0'),
});
export type ServerConfig = z.output<typeof ServerConfigSchema>;

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ServerConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new Error(`The server's configuration is not valid:\n${problems}\nFix these environment variables and start again.`);
}
