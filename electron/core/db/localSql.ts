// The terminal's write path: one better-sqlite3 connection that does every write, in synchronous
// transactions. Nothing else can run in the middle of one, so an order, its number and its outbox
// entry are written together in microseconds; Prisma's interactive transactions took milliseconds
// (and tens of them at the 99th percentile). Reads for the screens go through Prisma.
import Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;

export class LocalSql {
  private readonly statements = new Map<string, Statement>();
  private synchronous: 'FULL' | 'NORMAL' = 'FULL';
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 10_000 });
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  /**
   * Runs `work` as one write transaction, taken at once (BEGIN IMMEDIATE). A durable one is on
   * disk before it returns: what staff and customers do here (an order, a bump) survives a power
   * cut. One that is not durable — applying the feed, recording acknowledgements — may be lost
   * with the last moments before a power cut, and is then simply done again: the cursor and the
   * outbox are lost with it. It saves a disk flush per change, which a terminal catching up on
   * thousands of changes, or a hundred terminals taking a menu change, feel.
   */
  transaction<T>(work: () => T, { durable = true } = {}): T {
    const wanted = durable ? 'FULL' : 'NORMAL';
    if (wanted !== this.synchronous) {
      this.db.pragma(`synchronous = ${wanted}`);
      this.synchronous = wanted;
    }
    return this.db.transaction(work).immediate();
  }

  close(): void {
    this.db.close();
  }
}
