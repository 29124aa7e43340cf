import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UnimapError } from '../../index';
import { AccountRepository } from './account-repository';
import { IdempotencyRepository } from './idempotency-repository';
import { KeyRepository } from './key-repository';
import { migrate } from './migrations';
import { openPglite } from './pglite-client';
import { createSecretBox, loadSecretKey, type SecretBox } from './secret-box';
import type { SqlClient } from './sql-client';

/** Everything the server keeps: accounts, API keys, idempotency records, and the key that seals secrets. */
export interface ServerStore {
  db: SqlClient;
  accounts: AccountRepository;
  keys: KeyRepository;
  idempotency: IdempotencyRepository;
  box: SecretBox;
  /** Where the secret key came from (env, file, random), for the start-up line; never the key. */
  keySource: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Data folder (created if missing); undefined keeps everything in memory for this process. */
  dataDir?: string | undefined;
  env?: NodeJS.ProcessEnv;
  idempotencyTtlMs?: number;
  /** A claim still running after this long belongs to a server that died; it may be taken over. */
  idempotencyStaleMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const LOCK_FILE = 'server.lock';
/** Folders this process has open: PGlite must never open one folder twice. */
const openHere = new Set<string>();

export async function openServerStore(options: StoreOptions = {}): Promise<ServerStore> {
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
    return {
      db,
      accounts: new AccountRepository(db, box),
      keys: new KeyRepository(db),
      idempotency: new IdempotencyRepository(db, options.idempotencyTtlMs ?? DAY_MS, options.idempotencyStaleMs ?? 5 * 60 * 1000),
      box,
      keySource: source,
      async close() {
        try {
          await db.close();
        } finally {
          if (dir !== undefined) releaseLock(dir);
        }
      },
    };
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
