/**
 * The one SQL door of the server's store. The embedded default is PGlite (PostgreSQL compiled to WASM, in this
 * process, persisted to a folder); a PostgreSQL pool implements the same interface, so one dialect and one set of
 * migrations serve both.
 */
export interface SqlClient {
  /** One statement with $1… parameters; the rows it returns. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** `work` inside BEGIN … COMMIT, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T>;
  /**
   * `work` while holding the lock named `key`, exclusive across every process sharing the database (an OAuth refresh
   * runs once per account however many instances ask). PostgreSQL holds it as a session advisory lock on a connection of
   * its own, so a process that dies releases it with its connection; the embedded store has one process, and locks
   * in memory. Not re-entrant: `work` must not ask for the same key again.
   */
  withAdvisoryLock<T>(key: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type SqlQueries = Pick<SqlClient, 'query' | 'exec'>;
