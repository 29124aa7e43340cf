import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UnimapError } from '../../index';
import { AccountRepository } from './account-repository';
import { parseDatabaseUrl } from './database-url';
import { IdempotencyRepository } from './idempotency-repository';
import { KeyRepository } from './key-repository';
import { OAuthStateRepository } from './oauth-state-repository';
import { migrate } from './migrations';
import { openPostgres } from './pg-client';
import { openPglite } from './pglite-client';
import { createSecretBox, loadSecretKey, loadSharedSecretKey, type SecretBox } from './secret-box';
import type { SqlClient } from './sql-client';

/** Everything the server keeps: accounts, API keys, idempotency records, and the key that seals secrets. */
export interface ServerStore {
  db: SqlClient;
  accounts: AccountRepository;
  keys: KeyRepository;
  idempotency: IdempotencyRepository;
  /** OAuth connect flows in progress (single-use states). */
  oauthStates: OAuthStateRepository;
  box: SecretBox;
  /** Where the secret key came from (env, file, random), for the start-up line; never the key. */
  keySource: string;
  /** `postgres` is shared by instances; `pglite` belongs to this process. */
  kind: 'pglite' | 'postgres';
  /** Which database holds the data, for the start-up line: PGlite's folder, or the PostgreSQL URL with its password redacted. */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Data folder of the embedded store (created if missing); with neither it nor a database URL, everything stays in memory. */
  dataDir?: string | undefined;
  /**
   * A PostgreSQL database shared by every instance (`postgres://user:password@host:5432/db`, `?schema=name` for a
   * schema of its own) instead of the embedded one; requires UNIMAP_SECRET_KEY. Without it and without `dataDir`,
   * env UNIMAP_DATABASE_URL; an explicit `dataDir` chooses the embedded store.
   */
  databaseUrl?: string | undefined;
  /** The PostgreSQL schema the store works in (created if missing); wins over the URL's `schema` parameter. */
  databaseSchema?: string | undefined;
  /** How long an account read is remembered (default 2 s): another instance's writes show after it. */
  accountCacheMs?: number;
  env?: NodeJS.ProcessEnv;
  idempotencyTtlMs?: number;
  /** A claim still running after this long belongs to a server that died; it may be taken over. */
  idempotencyStaleMs?: number;
}

export const DATABASE_URL_ENV = 'UNIMAP_DATABASE_URL';
const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a person has to consent at the provider before the connect flow must start again. */
const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
const LOCK_FILE = 'server.lock';
/** Folders this process has open: PGlite must never open one folder twice. */
const openHere = new Set<string>();

/** The embedded store (PGlite) by default; a PostgreSQL one when a database URL is given (see StoreOptions). */
export async function openServerStore(options: StoreOptions = {}): Promise<ServerStore> {
  const env = options.env ?? process.env;
  const databaseUrl = chooseDatabaseUrl(options, env);
  if (databaseUrl !== undefined) return openSharedStore(databaseUrl, options, env);
  if (options.databaseSchema !== undefined) throw new UnimapError('UNIMAP_E_SERVER_STORE', 'a database schema applies to a PostgreSQL store; no database URL was given');
  return openEmbeddedStore(options);
}

function chooseDatabaseUrl(options: StoreOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.databaseUrl !== undefined && options.dataDir !== undefined) {
    throw new UnimapError('UNIMAP_E_SERVER_STORE', 'both a data directory (the embedded store) and a database URL (PostgreSQL) were given; a store is one or the other');
  }
  if (options.databaseUrl !== undefined || options.dataDir !== undefined) return options.databaseUrl;
  return env[DATABASE_URL_ENV] || undefined;
}

/**
 * PostgreSQL, shared by instances: no folder lock (sharing is the point), the secret key from the environment, and
 * migrations taken in turns. A store whose secrets another key sealed is refused at start, not at its first call.
 */
async function openSharedStore(databaseUrl: string, options: StoreOptions, env: NodeJS.ProcessEnv): Promise<ServerStore> {
  const { key, source } = loadSharedSecretKey(env);
  const box = createSecretBox(key);
  const url = parseDatabaseUrl(databaseUrl, options.databaseSchema);
  const db = await openPostgres({ url });
  try {
    // migrate() creates its bookkeeping table before its own lock, and concurrent CREATE TABLE IF NOT EXISTS fail on
    // PostgreSQL with a duplicate key: a session lock around the whole run makes instances starting together take turns.
    await db.withAdvisoryLock('unimap:migrate', () => migrate(db));
    await checkSecretKey(db, box);
  } catch (error) {
    await db.close();
    throw error;
  }
  const location = `PostgreSQL ${url.redacted}${url.schema === undefined ? '' : ` (schema ${url.schema})`}`;
  return assembleStore(db, box, options, { keySource: source, kind: 'postgres', location, close: () => db.close() });
}

async function checkSecretKey(db: SqlClient, box: SecretBox): Promise<void> {
  const rows = await db.query<{ secrets: Uint8Array }>('SELECT secrets FROM integrated_accounts WHERE secrets IS NOT NULL LIMIT 1');
  if (rows[0] !== undefined && !box.sealedWithThisKey(rows[0].secrets)) {
    throw new UnimapError('UNIMAP_E_SERVER_SECRET_KEY', 'UNIMAP_SECRET_KEY is not the key that sealed the account secrets stored in this database; every instance sharing it needs the same UNIMAP_SECRET_KEY');
  }
}

function assembleStore(db: SqlClient, box: SecretBox, options: StoreOptions, rest: Pick<ServerStore, 'keySource' | 'kind' | 'location' | 'close'>): ServerStore {
  return {
    db,
    accounts: new AccountRepository(db, box, options.accountCacheMs),
    keys: new KeyRepository(db),
    idempotency: new IdempotencyRepository(db, options.idempotencyTtlMs ?? DAY_MS, options.idempotencyStaleMs ?? 5 * 60 * 1000),
    oauthStates: new OAuthStateRepository(db, box, OAUTH_STATE_TTL_MS),
    box,
    ...rest,
  };
}

async function openEmbeddedStore(options: StoreOptions): Promise<ServerStore> {
  const dir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    takeLock(dir);
  }
  try {
    const { key, source } = loadSecretKey(dir, options.env);
    const box = createSecretBox(key);
    const db = await openPglite(dir === undefined ? undefined : join(dir, 'pgdata'));
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return assembleStore(db, box, options, {
      keySource: source,
      kind: 'pglite',
      location: dir === undefined ? 'embedded PGlite in memory' : `embedded PGlite in ${dir}`,
      async close() {
        try {
          await db.close();
        } finally {
          if (dir !== undefined) releaseLock(dir);
        }
      },
    });
  } catch (error) {
    if (dir !== undefined) releaseLock(dir);
    throw error;
  }
}

/** One process per data folder: a second server (or `unimap keys create` while one runs) is refused, not let in. */
function takeLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  if (openHere.has(dir)) throw new UnimapError('UNIMAP_E_SERVER_STORE', `the data directory ${dir} is already open in this process`);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw new UnimapError('UNIMAP_E_SERVER_STORE', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new UnimapError('UNIMAP_E_SERVER_STORE', `the data directory ${dir} is in use by process ${holder} (a running unimap server); stop it, or use another --data`);
    }
    writeFileSync(path, String(process.pid), { mode: 0o600 }); // left behind by a process that is gone
  }
  openHere.add(dir);
}

function releaseLock(dir: string): void {
  if (!openHere.delete(dir)) return;
  rmSync(join(dir, LOCK_FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}
