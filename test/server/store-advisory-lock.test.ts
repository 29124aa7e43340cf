import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseDatabaseUrl } from '../../engine/server/store/database-url';
import { advisoryLockId, openPostgres } from '../../engine/server/store/pg-client';
import type { SqlClient } from '../../engine/server/store/sql-client';
import { describeWithPostgres, TEST_DATABASE_URL, withAdminClient } from '../helpers/postgres-available';

// Two pools stand for two instances: each has its own connections, as two processes would.

jest.setTimeout(60_000);

test('a lock id is the first 8 bytes of the key\'s sha256 as a signed int64', () => {
  const digest = createHash('sha256').update('oauth-refresh:acme:okta-1', 'utf8').digest('hex');
  expect(advisoryLockId('oauth-refresh:acme:okta-1')).toBe(BigInt.asIntN(64, BigInt(`0x${digest.slice(0, 16)}`)));
  expect(advisoryLockId('a')).not.toBe(advisoryLockId('b'));
});

describeWithPostgres('advisory locks across instances on PostgreSQL', () => {
  const url = parseDatabaseUrl(TEST_DATABASE_URL);
  let one: SqlClient;
  let two: SqlClient;
  beforeAll(async () => {
    one = await openPostgres({ url });
    two = await openPostgres({ url });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  test('two instances exclude each other on one key', async () => {
    const key = lockKey();
    const held = hold(one, key);
    await held.entered;
    const events: string[] = [];
    const waiting = two.withAdvisoryLock(key, async () => {
      events.push('two in');
      return 'two done';
    });
    await lockWaiterSeen(key);
    expect(events).toEqual([]); // PostgreSQL has two's session waiting for the lock one holds
    held.letGo();
    expect(await held.done).toBe('one done');
    expect(await waiting).toBe('two done');
    expect(events).toEqual(['two in']);
  });

  test('another key is not held up', async () => {
    const held = hold(one, lockKey());
    await held.entered;
    // Were it held up, this would never settle: one does not let go before it.
    expect(await two.withAdvisoryLock(lockKey(), async () => 'free')).toBe('free');
    held.letGo();
    await held.done;
  });

  test('a lock whose connection is terminated is released; its holder is told, and its pool goes on', async () => {
    const key = lockKey();
    const held = hold(one, key);
    await held.entered;
    await withAdminClient(async (admin) => {
      const [holder] = (await admin.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE ${LOCK_ROW} AND granted`, lockRow(key))).rows;
      expect(holder).toBeDefined();
      await admin.query('SELECT pg_terminate_backend($1)', [holder!.pid]);
    });
    expect(await two.withAdvisoryLock(key, async () => 'two has it')).toBe('two has it');
    held.letGo();
    await expect(held.done).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('connection was lost while the work ran') });
    expect(await one.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    expect(await one.withAdvisoryLock(key, async () => 'one again')).toBe('one again');
  });

  test('a lock held by a process that dies is released with its connection', async () => {
    const key = lockKey();
    // node itself runs the holder (tsx as a loader, not its launcher): SIGKILL then ends the process that holds the lock.
    const holder = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'store-lock-holder.ts')], {
      env: { ...process.env, LOCK_DATABASE_URL: TEST_DATABASE_URL, LOCK_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        holder.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
        holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
        holder.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before holding the lock: ${stderr}`)));
      });
      const waiting = two.withAdvisoryLock(key, async () => 'two has it');
      await lockWaiterSeen(key);
      holder.kill('SIGKILL');
      expect(await waiting).toBe('two has it');
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
  });

  test('work inside a lock has connections even when every lock connection is taken', async () => {
    const small = await openPostgres({ url, poolSize: 1, lockPoolSize: 1 });
    try {
      const results = await Promise.all([lockKey(), lockKey(), lockKey()].map((key, n) =>
        small.withAdvisoryLock(key, () => small.transaction(async (tx) => tx.query<{ n: number }>('SELECT $1::int AS n', [n]))),
      ));
      expect(results).toEqual([[{ n: 0 }], [{ n: 1 }], [{ n: 2 }]]);
    } finally {
      await small.close();
    }
  });
});

/** Advisory locks are per database, across schemas: keys of their own keep test files from meeting. */
const lockKey = () => `test-lock-${randomBytes(6).toString('hex')}`;

/** `db` holding `key` until letGo(). */
function hold(db: SqlClient, key: string): { entered: Promise<void>; letGo: () => void; done: Promise<string> } {
  let entered!: () => void;
  let letGo!: () => void;
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  const mayLeave = new Promise<void>((resolve) => (letGo = resolve));
  const done = db.withAdvisoryLock(key, async () => {
    entered();
    await mayLeave;
    return 'one done';
  });
  done.catch(() => undefined); // awaited by the test; this keeps an early failure from going unhandled meanwhile
  return { entered: enteredPromise, letGo, done };
}

/** pg_locks shows a bigint advisory lock as its high and low 32 bits (classid, objid) with objsubid 1. */
const LOCK_ROW = `locktype = 'advisory' AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

function lockRow(key: string): [string, string] {
  const id = BigInt.asUintN(64, advisoryLockId(key));
  return [(id >> 32n).toString(), (id & 0xffffffffn).toString()];
}

/** Until PostgreSQL shows a session waiting for `key` (a state, not a duration; the test's timeout bounds it). */
async function lockWaiterSeen(key: string): Promise<void> {
  await withAdminClient(async (admin) => {
    for (;;) {
      const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE ${LOCK_ROW} AND NOT granted`, lockRow(key));
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
}
