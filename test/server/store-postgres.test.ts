import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS, openServerStore, type ServerStore, type StoreOptions } from '../../engine/server';
import type { AccountFields } from '../../engine/server/store/account-repository';
import {
  describeWithPostgres, dropSchema, randomSchemaName, TEST_DATABASE_URL, TEST_DATABASE_URL_WITH_PASSWORD, testDatabaseUrlFor, useTestSchema, withAdminClient,
} from '../helpers/postgres-available';

jest.setTimeout(60_000);

const newKey = () => randomBytes(32).toString('base64');
const sharedKey = newKey();
const PASSWORD = new URL(TEST_DATABASE_URL_WITH_PASSWORD).password;

const account = (context: Record<string, unknown> = { subdomain: 'acme' }): AccountFields => ({
  integration: 'okta', context, secrets: { api_token: 'ssws-shared-secret' }, base_url: null, token_url: null, overrides: null, status: 'active', last_error: null,
});

/** Stores opened by a test, closed after it whatever happened. */
const opened: ServerStore[] = [];
async function open(options: StoreOptions): Promise<ServerStore> {
  const store = await openServerStore(options);
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

/** The error `promise` rejects with, checked never to show the URL's password, in any part of it. */
async function failureOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(() => undefined, (e: unknown) => e as Error & { code: string });
  expect(error).toBeDefined();
  const parts = [error!.message, error!.stack ?? '', JSON.stringify(error), String((error as { cause?: unknown }).cause ?? ''), String(((error as { cause?: { stack?: string } }).cause)?.stack ?? '')];
  for (const part of parts) expect(part).not.toContain(PASSWORD);
  return { code: error!.code, message: error!.message };
}

describe('choosing and checking the store, before any connection', () => {
  test('a URL that is not one, or not PostgreSQL\'s, is refused without repeating the password', async () => {
    const unparsable = await failureOf(openServerStore({ databaseUrl: `postgres://u:${PASSWORD}@[::1/db`, env: { UNIMAP_SECRET_KEY: sharedKey } }));
    expect(unparsable).toEqual({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('not a valid URL') });
    const mysql = await failureOf(openServerStore({ databaseUrl: `mysql://u:${PASSWORD}@db.example/app`, env: { UNIMAP_SECRET_KEY: sharedKey } }));
    expect(mysql).toEqual({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('mysql://u:***@db.example/app') });
  });

  test('a schema name that is not a plain identifier is refused, from the option or the URL', async () => {
    const env = { UNIMAP_SECRET_KEY: sharedKey };
    await expect(openServerStore({ databaseUrl: TEST_DATABASE_URL, databaseSchema: 'x"; DROP SCHEMA public; --', env })).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('not a plain identifier') });
    await expect(openServerStore({ databaseUrl: testDatabaseUrlFor('Mixed-Case'), env })).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('"Mixed-Case"') });
  });

  test('PostgreSQL needs UNIMAP_SECRET_KEY: a key made up per process would strand the other instances\' secrets', async () => {
    await expect(openServerStore({ databaseUrl: TEST_DATABASE_URL, env: {} })).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_SECRET_KEY', message: expect.stringContaining('UNIMAP_SECRET_KEY') });
  });

  test('a data directory and a database URL together are refused; an explicit data directory is not overridden by the environment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'unimap-store-'));
    try {
      await expect(openServerStore({ dataDir, databaseUrl: TEST_DATABASE_URL })).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('one or the other') });
      const embedded = await open({ dataDir, env: { UNIMAP_DATABASE_URL: 'postgres://nowhere.invalid/db' } });
      expect(embedded.kind).toBe('pglite');
      expect(embedded.location).toBe(`embedded PGlite in ${dataDir}`);
    } finally {
      for (const store of opened.splice(0)) await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test('an unreachable server fails with UNIMAP_E_SERVER_STORE naming the redacted URL', async () => {
  const url = new URL(TEST_DATABASE_URL_WITH_PASSWORD);
  url.host = '127.0.0.1:1'; // nothing listens on port 1
  const failure = await failureOf(openServerStore({ databaseUrl: url.href, env: { UNIMAP_SECRET_KEY: sharedKey } }));
  expect(failure.code).toBe('UNIMAP_E_SERVER_STORE');
  expect(failure.message).toContain('cannot connect to postgres://');
  expect(failure.message).toContain(':***@127.0.0.1:1/');
  expect(failure.message).toContain('ECONNREFUSED');
});

describeWithPostgres('the PostgreSQL store', () => {
  test('an unknown database fails with the server\'s reason and code, not the password', async () => {
    const url = new URL(TEST_DATABASE_URL_WITH_PASSWORD);
    url.pathname = '/unimap_no_such_database';
    const failure = await failureOf(openServerStore({ databaseUrl: url.href, env: { UNIMAP_SECRET_KEY: sharedKey } }));
    expect(failure.code).toBe('UNIMAP_E_SERVER_STORE');
    expect(failure.message).toMatch(/\((3D000|28P01|28000)\)/); // no such database, or the server refused the login first
  });

  test('instances opening a fresh schema together apply each migration once', async () => {
    const schema = randomSchemaName();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => open({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, env: { UNIMAP_SECRET_KEY: sharedKey } })));
      expect(stores.map((s) => s.kind)).toEqual(['postgres', 'postgres', 'postgres']);
      const applied = await stores[0]!.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(applied.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
      const tables = await withAdminClient((admin) => admin.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]));
      expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['schema_migrations', 'integrated_accounts', 'api_keys', 'idempotency_records']));
      // a later start finds nothing to do
      const again = await open({ databaseUrl: testDatabaseUrlFor(schema), env: { UNIMAP_SECRET_KEY: sharedKey } });
      expect(await again.db.query('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      for (const store of opened.splice(0)) await store.close();
      await dropSchema(schema);
    }
  });

  describe('two instances on one schema', () => {
    const schema = useTestSchema();
    const env = { UNIMAP_SECRET_KEY: sharedKey };
    const openInstance = (extra: Partial<StoreOptions> = {}) => open({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, env, ...extra });

    test('the start-up description names the schema and hides the password', async () => {
      const store = await open({ databaseUrl: testDatabaseUrlFor(schema, TEST_DATABASE_URL_WITH_PASSWORD), env });
      expect(store.location).toMatch(new RegExp(`^PostgreSQL postgres(ql)?://.*:\\*\\*\\*@.* \\(schema ${schema}\\)$`));
      expect(store.location).not.toContain(PASSWORD);
      expect(store.keySource).toBe('UNIMAP_SECRET_KEY');
      expect(await store.db.query('SHOW search_path')).toEqual([{ search_path: schema }]);
    });

    test('the URL\'s own server options are kept beside the schema', async () => {
      const url = new URL(testDatabaseUrlFor(schema));
      url.searchParams.set('options', '-c statement_timeout=12345');
      const store = await open({ databaseUrl: url.href, env });
      expect(await store.db.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '12345ms' }]);
      expect(await store.db.query('SHOW search_path')).toEqual([{ search_path: schema }]);
    });

    test('UNIMAP_DATABASE_URL is read when no option is given, and the option wins over it', async () => {
      const fromEnv = await open({ env: { ...env, UNIMAP_DATABASE_URL: testDatabaseUrlFor(schema) } });
      expect(fromEnv.kind).toBe('postgres');
      const fromOption = await open({ databaseUrl: testDatabaseUrlFor(schema), env: { ...env, UNIMAP_DATABASE_URL: 'postgres://u:p@127.0.0.1:1/nowhere' } });
      expect(fromOption.location).toContain(schema);
    });

    test('each sees the other\'s writes: accounts after the cache interval, keys and idempotency claims at once', async () => {
      const cacheMs = 100;
      const one = await openInstance({ accountCacheMs: cacheMs });
      const two = await openInstance({ accountCacheMs: cacheMs });
      await one.accounts.insert('acme', 'shared', account());
      expect(await two.accounts.find('acme', 'shared')).toMatchObject({ context: { subdomain: 'acme' }, secrets: { api_token: 'ssws-shared-secret' } });
      await one.accounts.update('acme', 'shared', account({ subdomain: 'globex' }));
      await new Promise((resolve) => setTimeout(resolve, cacheMs + 50));
      expect(await two.accounts.find('acme', 'shared')).toMatchObject({ context: { subdomain: 'globex' } });

      const key = await one.keys.create('acme');
      expect(await two.keys.findTenant(key.key)).toBe('acme');

      const claims = await Promise.all([one.idempotency.claim('acme', 'k-race', 'fp'), two.idempotency.claim('acme', 'k-race', 'fp')]);
      expect(claims.map((c) => c.kind).sort()).toEqual(['claimed', 'running']);
      const winner = claims[0]!.kind === 'claimed' ? one : two;
      await winner.idempotency.complete('acme', 'k-race', { status: 201, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await (winner === one ? two : one).idempotency.claim('acme', 'k-race', 'fp')).toMatchObject({ kind: 'replay', answer: { status: 201 } });
    });

    test('another secret key is refused at start once secrets are stored, and a secret sealed by it does not open here', async () => {
      const one = await openInstance();
      await one.accounts.insert('acme', 'sealed', account());
      const otherKey = { UNIMAP_SECRET_KEY: newKey() };
      await expect(openInstance({ env: otherKey })).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_SECRET_KEY', message: expect.stringContaining('same UNIMAP_SECRET_KEY') });

      // an instance that started with another key on a schema holding no secret yet (its check had nothing to open)
      const freshSchema = randomSchemaName();
      try {
        const right = await open({ databaseUrl: TEST_DATABASE_URL, databaseSchema: freshSchema, env });
        const wrong = await open({ databaseUrl: TEST_DATABASE_URL, databaseSchema: freshSchema, env: otherKey });
        await wrong.accounts.insert('acme', 'by-wrong', account());
        await expect(right.accounts.find('acme', 'by-wrong')).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_SECRET_KEY' });
      } finally {
        for (const store of opened.splice(0)) await store.close();
        await dropSchema(freshSchema);
      }
    });

    test('a failing query is UNIMAP_E_SERVER_STORE with the database\'s message and code', async () => {
      const store = await openInstance();
      await expect(store.db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({
        code: 'UNIMAP_E_SERVER_STORE',
        message: expect.stringMatching(/cannot run a query: relation "no_such_table" does not exist \(42P01\)/),
      });
    });
  });
});
