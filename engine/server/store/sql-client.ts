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
  close(): Promise<void>;
}

export type SqlQueries = Pick<SqlClient, 'query' | 'exec'>;
