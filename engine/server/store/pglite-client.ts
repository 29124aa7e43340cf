import { PGlite } from '@electric-sql/pglite';
import { UnimapError } from '../../index';
import { createKeyedMutex } from './keyed-mutex';
import type { SqlClient, SqlQueries } from './sql-client';

/**
 * PGlite over a data folder (or in memory when none is given). PGlite serves one connection and queues queries
 * itself, so one instance per process is all there is; another process must not open the same folder.
 */
export async function openPglite(dataDir: string | undefined): Promise<SqlClient> {
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir === undefined ? undefined : { dataDir });
  } catch (cause) {
    throw new UnimapError('UNIMAP_E_SERVER_STORE', `cannot open the embedded database${dataDir === undefined ? '' : ` in ${dataDir}`}: ${describe(cause)}`, { cause });
  }
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): SqlQueries => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await target.query<T>(sql, [...params])).rows;
      } catch (cause) {
        throw storeError('query', cause);
      }
    },
    async exec(sql: string) {
      try {
        await target.exec(sql);
      } catch (cause) {
        throw storeError('statement', cause);
      }
    },
  });
  // A lock in memory, not pg_advisory_lock: PGlite's one connection serves every query of the process, so a lock
  // held on it would be held by everyone, and no other process can open the folder to contend for it.
  const lockHere = createKeyedMutex();
  return {
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    withAdvisoryLock: (key, work) => lockHere(key, work),
    close: () => db.close(),
  };
}

function storeError(what: string, cause: unknown): UnimapError {
  return new UnimapError('UNIMAP_E_SERVER_STORE', `a database ${what} failed: ${describe(cause)}`, { cause });
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
