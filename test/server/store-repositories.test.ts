import { randomBytes } from 'node:crypto';
import { openServerStore, type ServerStore } from '../../engine/server';
import type { AccountFields } from '../../engine/server/store/account-repository';
import { describeWithPostgres, dropSchema, randomSchemaName, TEST_DATABASE_URL } from '../helpers/postgres-available';

// One set of assertions, run on the embedded store and on PostgreSQL: the repositories' SQL and the values they read
// back (jsonb, bytea, timestamptz) must mean the same on both.

jest.setTimeout(60_000);

const env = { UNIMAP_SECRET_KEY: randomBytes(32).toString('base64') };

const okta = (overrides: Partial<AccountFields> = {}): AccountFields => ({
  integration: 'okta',
  context: { subdomain: 'acme' },
  secrets: { api_token: 'ssws-secret-token-9d2c' },
  base_url: null,
  token_url: null,
  overrides: null,
  status: 'active',
  last_error: null,
  ...overrides,
});

/** A tenant per test, so the tests of one store do not see each other's rows. */
const tenantFor = (name: string) => `t-${name}-${randomBytes(3).toString('hex')}`;

function behavesLikeTheStore(open: () => Promise<ServerStore>): void {
  let store: ServerStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  test('an account keeps its context as JSON, its secrets sealed as bytes, its times as dates', async () => {
    const tenant = tenantFor('types');
    const inserted = await store.accounts.insert(tenant, 'a1', okta({ overrides: { 'user-directory/users': { get: { response: '{ "x": 1 }' } } } }));
    expect(inserted).toMatchObject({ tenant_id: tenant, id: 'a1', integration: 'okta', context: { subdomain: 'acme' }, secrets: { api_token: 'ssws-secret-token-9d2c' } });
    expect(inserted.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const [row] = await store.db.query<Record<string, unknown>>('SELECT context, secrets, overrides, created_at FROM integrated_accounts WHERE tenant_id = $1', [tenant]);
    expect(row!['context']).toEqual({ subdomain: 'acme' });
    expect(row!['overrides']).toEqual({ 'user-directory/users': { get: { response: '{ "x": 1 }' } } });
    expect(row!['secrets']).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(row!['secrets'] as Uint8Array).toString('latin1')).not.toContain('ssws-secret-token');
    expect(row!['created_at']).toBeInstanceOf(Date);
  });

  test('find, list, update, status, upsert and remove, always within the tenant', async () => {
    const tenant = tenantFor('crud');
    for (const id of ['b', 'a', 'c']) await store.accounts.insert(tenant, id, okta(id === 'c' ? { integration: 'zendesk', secrets: {} } : {}));
    expect(await store.accounts.find('someone-else', 'a')).toBeUndefined();
    expect((await store.accounts.find(tenant, 'c'))!.secrets).toEqual({});

    expect((await store.accounts.list(tenant, { limit: 2 })).map((a) => a.id)).toEqual(['a', 'b']);
    expect((await store.accounts.list(tenant, { limit: 2, afterId: 'b' })).map((a) => a.id)).toEqual(['c']);
    expect((await store.accounts.list(tenant, { limit: 10, integration: 'zendesk' })).map((a) => a.id)).toEqual(['c']);

    const updated = await store.accounts.update(tenant, 'a', okta({ context: { subdomain: 'globex' }, secrets: { api_token: 'rotated' } }));
    expect(updated).toMatchObject({ context: { subdomain: 'globex' }, secrets: { api_token: 'rotated' } });
    expect(await store.accounts.update(tenant, 'missing', okta())).toBeUndefined();

    const lastError = { code: 'UNIMAP_E_REMOTE_HTTP', message: 'unauthorized', remote_status: 401, at: new Date().toISOString() };
    await store.accounts.setStatus(tenant, 'a', 'needs_reauth', lastError);
    expect(await store.accounts.find(tenant, 'a')).toMatchObject({ status: 'needs_reauth', last_error: lastError, secrets: { api_token: 'rotated' } });

    await store.accounts.upsert(tenant, 'sandbox', okta());
    expect((await store.accounts.upsert(tenant, 'sandbox', okta({ base_url: 'http://127.0.0.1:9' }))).base_url).toBe('http://127.0.0.1:9');

    expect(await store.accounts.remove(tenant, 'b')).toBe(true);
    expect(await store.accounts.remove(tenant, 'b')).toBe(false);
    expect(await store.accounts.find(tenant, 'b')).toBeUndefined();
  });

  test('a sealed secret moved onto another account does not open', async () => {
    const tenant = tenantFor('bound');
    await store.accounts.insert(tenant, 'one', okta());
    await store.accounts.insert(tenant, 'two', okta({ secrets: { api_token: 'other' } }));
    await store.db.query(`UPDATE integrated_accounts SET secrets = (SELECT secrets FROM integrated_accounts WHERE tenant_id = $1 AND id = 'one') WHERE tenant_id = $1 AND id = 'two'`, [tenant]);
    await expect(store.accounts.find(tenant, 'two')).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_SECRET_KEY' });
  });

  test('API keys: found by the key, counted as a number, revoked once', async () => {
    const before = await store.keys.countActive();
    expect(typeof before).toBe('number');
    const tenant = tenantFor('keys');
    const created = await store.keys.create(tenant);
    expect(created.created_at).toMatch(/Z$/);
    expect(await store.keys.findTenant(created.key)).toBe(tenant);
    expect(await store.keys.countActive()).toBe(before + 1);
    expect(await store.keys.revoke(created.id)).toBe(true);
    expect(await store.keys.revoke(created.id)).toBe(false);
    expect(await store.keys.findTenant(created.key)).toBeUndefined();
    expect(await store.keys.findTenant('umk_unknown')).toBeUndefined();
  });

  test('idempotency claims: claimed, running, mismatch, replay, release', async () => {
    const tenant = tenantFor('claims');
    expect(await store.idempotency.claim(tenant, 'k', 'fp-1')).toEqual({ kind: 'claimed' });
    expect(await store.idempotency.claim(tenant, 'k', 'fp-1')).toEqual({ kind: 'running' });
    expect(await store.idempotency.claim(tenant, 'k', 'fp-2')).toEqual({ kind: 'mismatch' });
    expect(await store.idempotency.claim(tenantFor('other'), 'k', 'fp-2')).toEqual({ kind: 'claimed' });
    const answer = { status: 201, headers: { 'content-type': 'application/json', 'x-unimap-warnings': '[]' }, body: '{"id":"1"}' };
    await store.idempotency.complete(tenant, 'k', answer);
    expect(await store.idempotency.claim(tenant, 'k', 'fp-1')).toEqual({ kind: 'replay', answer });

    await store.idempotency.release(tenant, 'k'); // a done record stays
    expect((await store.idempotency.claim(tenant, 'k', 'fp-1')).kind).toBe('replay');
    expect(await store.idempotency.claim(tenant, 'r', 'fp')).toEqual({ kind: 'claimed' });
    await store.idempotency.release(tenant, 'r');
    expect(await store.idempotency.claim(tenant, 'r', 'fp')).toEqual({ kind: 'claimed' });
  });

  test('a claim left running past the stale interval is taken over; an expired answer is forgotten and purged', async () => {
    const tenant = tenantFor('stale');
    const age = (key: string, interval: string) => store.db.query(`UPDATE idempotency_records SET created_at = now() - $3::interval WHERE tenant_id = $1 AND key = $2`, [tenant, key, interval]);
    await store.idempotency.claim(tenant, 'crashed', 'fp-1');
    await age('crashed', '10 minutes'); // the store's stale interval is 5 minutes
    expect(await store.idempotency.claim(tenant, 'crashed', 'fp-2')).toEqual({ kind: 'claimed' });
    expect(await store.idempotency.claim(tenant, 'crashed', 'fp-2')).toEqual({ kind: 'running' }); // taken over just now

    await store.idempotency.claim(tenant, 'old', 'fp');
    await store.idempotency.complete(tenant, 'old', { status: 200, headers: {}, body: '' });
    await age('old', '25 hours');
    expect(await store.idempotency.claim(tenant, 'old', 'fp-new')).toEqual({ kind: 'claimed' });

    await store.idempotency.claim(tenant, 'expired', 'fp');
    await age('expired', '25 hours');
    expect(await store.idempotency.purgeExpired()).toBe(1);
    expect(await store.db.query('SELECT key FROM idempotency_records WHERE tenant_id = $1 ORDER BY key', [tenant])).toEqual([{ key: 'crashed' }, { key: 'old' }]);
  });

  test('a transaction commits as a whole or not at all; a failed statement is a store error and the store goes on', async () => {
    const tenant = tenantFor('tx');
    await expect(store.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ($1, $2, $1, 'p')`, [`${tenant}-1`, tenant]);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    await expect(store.db.transaction((tx) => tx.query('SELECT * FROM no_such_table'))).rejects.toMatchObject({ code: 'UNIMAP_E_SERVER_STORE', message: expect.stringContaining('no_such_table') });
    await store.db.transaction(async (tx) => {
      await tx.exec(`INSERT INTO api_keys (id, tenant_id, key_hash, prefix) VALUES ('${tenant}-2', '${tenant}', '${tenant}-2', 'p')`);
    });
    expect(await store.db.query('SELECT id FROM api_keys WHERE tenant_id = $1', [tenant])).toEqual([{ id: `${tenant}-2` }]);
  });

  test('withAdvisoryLock: one holder per key, other keys free, released when the work fails', async () => {
    const [keyA, keyB] = [lockKey(), lockKey()];
    const events: string[] = [];
    const firstIn = deferred();
    const firstMayLeave = deferred();
    const first = store.db.withAdvisoryLock(keyA, async () => {
      events.push('first in');
      firstIn.resolve();
      await firstMayLeave.promise;
      events.push('first out');
      return 1;
    });
    await firstIn.promise;
    const second = store.db.withAdvisoryLock(keyA, async () => {
      events.push('second in');
      return 2;
    });
    // Another key does not wait for keyA's holder (were it to, this would never settle: the holder is not let go yet).
    expect(await store.db.withAdvisoryLock(keyB, async () => 'b')).toBe('b');
    expect(events).toEqual(['first in']);
    firstMayLeave.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first in', 'first out', 'second in']);

    await expect(store.db.withAdvisoryLock(keyA, async () => {
      throw new Error('work failed');
    })).rejects.toThrow('work failed');
    expect(await store.db.withAdvisoryLock(keyA, async () => 'free again')).toBe('free again');
  });
}

/** Advisory locks are per database, across schemas: keys of their own keep test files from meeting. */
const lockKey = () => `test-lock-${randomBytes(6).toString('hex')}`;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('the store on PGlite (embedded)', () => {
  behavesLikeTheStore(() => openServerStore({ env }));
});

describeWithPostgres('the store on PostgreSQL', () => {
  const schema = randomSchemaName();
  behavesLikeTheStore(() => openServerStore({ databaseUrl: TEST_DATABASE_URL, databaseSchema: schema, env }));
  afterAll(() => dropSchema(schema)); // declared after the store's close, so it runs after it
});
