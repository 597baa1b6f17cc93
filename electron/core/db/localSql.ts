// The terminal's write path: one better-sqlite3 connection that does every write, in synchronous
// transactions. Nothing else can run in the middle of one, so an order, its number and its outbox
// entry are written together in microseconds; Prisma's interactive transactions took milliseconds
// (and tens of them at the 99th percentile). Reads for the screens go through Prisma.
import Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[]>;

export class LocalSql {
  private readonly statements = new Map<string, Statement>();
  readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file, { timeout: 10_000 });
    // A commit is on disk before the customer sees their order number: a power cut loses nothing.
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

  /** Runs `work` as one write transaction, taken at once (BEGIN IMMEDIATE). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  close(): void {
    this.db.close();
  }
}
