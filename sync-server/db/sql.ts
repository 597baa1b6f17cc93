// The server's hot path — merging uploads and reading the feed — talks to PostgreSQL through
// node-postgres directly: the same driver Prisma's adapter wraps, without the query engine in
// between, which halves the time of a merge transaction. Everything else uses Prisma.
import { createHash } from 'node:crypto';
import pg from 'pg';

/** What the feed and the merger need of a connection: Prisma's raw-query methods, nothing more. */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(sql: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(sql: string, ...values: unknown[]): Promise<number>;
}

export interface SqlPool extends RawSql {
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (tx: RawSql) => Promise<T>): Promise<T>;
  /** The connections themselves, for what takes a pg pool (the shared rate limits). */
  pool: pg.Pool;
  close(): Promise<void>;
}

const names = new Map<string, string>();
/**
 * Every statement of the hot path runs as a named prepared statement: each connection parses and
 * plans it once, not on every order. That is most of PostgreSQL's work for a small transaction.
 */
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `tillsync_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text, values };
}

function raw(client: pg.Pool | pg.PoolClient): RawSql {
  return {
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => (await client.query(prepared(sql, values))).rows as T,
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await client.query(prepared(sql, values))).rowCount ?? 0,
  };
}

export function createSqlPool(databaseUrl: string, { max = 8 } = {}): SqlPool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max });
  // A broken idle connection (the database restarted) is dropped; the next query opens a new one.
  pool.on('error', () => {});
  return {
    ...raw(pool),
    async transaction(work) {
      const client = await pool.connect();
      // The pool stops listening to a client it has lent out. If the server goes away between two
      // statements (PostgreSQL restarting: 57P01), the error arrives with no query to fail and
      // would be thrown at the process; the next statement fails with it instead.
      let lost: Error | undefined;
      const onError = (error: Error) => void (lost = error);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(raw(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.removeListener('error', onError);
        // A broken connection is discarded, not handed to the next transaction.
        client.release(lost);
      }
    },
    pool,
    close: () => pool.end(),
  };
}
