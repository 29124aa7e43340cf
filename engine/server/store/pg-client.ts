import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { UnimapError } from '../../index';
import { quoteIdentifier, scrubSecrets, type DatabaseUrl } from './database-url';
import { createKeyedMutex } from './keyed-mutex';
import type { SqlClient, SqlQueries } from './sql-client';

export interface PgClientOptions {
  url: DatabaseUrl;
  /** Connections for queries and transactions (default 10). */
  poolSize?: number;
  /** Connections that hold advisory locks (default 5), apart from the others: see withAdvisoryLock. */
  lockPoolSize?: number;
}

/** How long to wait for a connection, new or free in the pool, before failing: an unreachable host must not hang a start. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A PostgreSQL pool behind the SqlClient interface, shared by every instance. pg's default type parsers already give
 * what the repositories read from PGlite: jsonb parsed, bytea as Buffer (a Uint8Array), timestamptz as Date.
 * Connects once before returning, so a wrong URL fails at start, and creates the schema when one is named.
 */
export async function openPostgres(options: PgClientOptions): Promise<SqlClient> {
  const client = new PostgresClient(options);
  try {
    await client.checkConnection();
    const { schema } = options.url;
    // Instances starting together take turns: concurrent CREATE SCHEMA IF NOT EXISTS fail on a duplicate key.
    if (schema !== undefined) await client.withAdvisoryLock('unimap:create-schema', () => client.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`));
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

/** The advisory lock id of a key: the first 8 bytes of its sha256 as a signed int64, the same in every process. */
export function advisoryLockId(key: string): bigint {
  return createHash('sha256').update(key, 'utf8').digest().readBigInt64BE(0);
}

class PostgresClient implements SqlClient {
  private readonly url: DatabaseUrl;
  private readonly queries: Pool;
  /**
   * A lock is held on a connection of its own for as long as its work runs, and the work queries through `queries`:
   * were both one pool, holders and waiters could take every connection and leave the work none (a deadlock).
   */
  private readonly locks: Pool;
  /** One waiter per key per process: the others wait here rather than each holding a connection to wait on. */
  private readonly lockHere = createKeyedMutex();
  private closing: Promise<void> | undefined;

  constructor(options: PgClientOptions) {
    this.url = options.url;
    this.queries = this.createPool(options.poolSize ?? 10, 'unimap');
    this.locks = this.createPool(options.lockPoolSize ?? 5, 'unimap-lock');
  }

  async checkConnection(): Promise<void> {
    try {
      (await this.queries.connect()).release();
    } catch (cause) {
      throw this.failure(`connect to ${this.url.redacted}`, cause);
    }
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return (await this.queries.query(sql, [...params])).rows as T[];
    } catch (cause) {
      throw this.failure('run a query', cause);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.queries.query(sql); // no parameters: the simple protocol, which takes several statements
    } catch (cause) {
      throw this.failure('run a statement', cause);
    }
  }

  transaction<T>(work: (tx: SqlQueries) => Promise<T>): Promise<T> {
    return this.onOneConnection(this.queries, 'begin a transaction', async (session) => {
      await session.run('BEGIN', [], 'begin a transaction');
      let result: T;
      try {
        result = await work({
          query: async <R>(sql: string, params: readonly unknown[] = []) => (await session.run(sql, params, 'run a query')) as R[],
          exec: async (sql: string) => void (await session.run(sql, [], 'run a statement')),
        });
      } catch (error) {
        await session.run('ROLLBACK', [], 'roll back').catch(() => undefined); // the connection is closed then, ending the transaction
        throw error;
      }
      await session.run('COMMIT', [], 'commit');
      return result;
    });
  }

  withAdvisoryLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const id = advisoryLockId(key).toString();
    const name = JSON.stringify(key);
    return this.lockHere(key, () => this.onOneConnection(this.locks, `take the advisory lock ${name}`, async (session) => {
      await session.run('SELECT pg_advisory_lock($1::bigint)', [id], `take the advisory lock ${name}`);
      let result: T;
      try {
        result = await work();
      } catch (error) {
        await session.run('SELECT pg_advisory_unlock($1::bigint)', [id], 'unlock').catch(() => undefined); // closing the connection unlocks
        throw error;
      }
      if (session.lost !== undefined) {
        throw this.failure(`hold the advisory lock ${name}: its connection was lost while the work ran, so PostgreSQL released the lock early and the work may have overlapped another holder's`, session.lost);
      }
      await session.run('SELECT pg_advisory_unlock($1::bigint)', [id], `release the advisory lock ${name}`);
      return result;
    }));
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([this.queries.end(), this.locks.end()]).then(() => undefined);
    return this.closing;
  }

  private createPool(max: number, applicationName: string): Pool {
    const { schema, serverOptions } = this.url;
    const options = [serverOptions, schema === undefined ? undefined : `-c search_path=${schema}`].filter((part) => part !== undefined).join(' ');
    const config: PoolConfig = {
      connectionString: this.url.connectionString,
      max,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: applicationName,
      ...(options === '' ? {} : { options }),
    };
    const pool = new Pool(config);
    // An idle connection that breaks (a server restart, pg_terminate_backend) is dropped by the pool and replaced at the
    // next checkout; the failure reaches whoever queries next. Without a listener its error would end the process.
    pool.on('error', () => undefined);
    return pool;
  }

  /** `use` on one checked-out connection (see Session for when it is closed rather than reused). */
  private async onOneConnection<T>(pool: Pool, step: string, use: (session: Session) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (cause) {
      throw this.failure(step, cause);
    }
    const session = new Session(client, (what, cause) => this.failure(what, cause));
    try {
      return await use(session);
    } finally {
      session.release();
    }
  }

  /** UNIMAP_E_SERVER_STORE naming the step and the database's message and code, with the URL's password scrubbed. */
  private failure(step: string, cause: unknown): UnimapError {
    const said = describeCause(cause);
    const scrubbed = scrubSecrets(said, this.url.secrets);
    // The cause is kept for its stack unless it quotes the password (only the scrubbed message may leave).
    return new UnimapError('UNIMAP_E_SERVER_STORE', `PostgreSQL store: cannot ${step}: ${scrubbed}`, scrubbed === said ? { cause } : {});
  }
}

/**
 * A checked-out connection: watches for its loss while idle, and goes back to the pool once — closed instead when any
 * statement on it failed, since a rollback or an unlock that did not happen would leave it in a state no one knows.
 */
class Session {
  /** Why the connection broke, when it did (pg emits that on the client, even between queries). */
  lost: unknown = undefined;
  private failed = false;
  private readonly onError = (error: unknown) => {
    this.lost ??= error;
  };

  constructor(private readonly client: PoolClient, private readonly failure: (step: string, cause: unknown) => UnimapError) {
    client.on('error', this.onError);
  }

  async run(sql: string, params: readonly unknown[], step: string): Promise<unknown[]> {
    try {
      return (await this.client.query(sql, [...params])).rows as unknown[];
    } catch (cause) {
      this.failed = true;
      throw this.failure(step, this.lost ?? cause);
    }
  }

  release(): void {
    this.client.off('error', this.onError);
    this.client.release(this.failed || this.lost !== undefined);
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node reports a refused connection to every address of a host as an AggregateError with an empty message.
  const message = cause.message || (cause instanceof AggregateError ? cause.errors.map(describeCause).join('; ') : cause.name);
  const { code } = cause as { code?: unknown };
  return typeof code === 'string' && code !== '' && !message.includes(code) ? `${message} (${code})` : message;
}
