import { IdempotencyRepository } from '../../engine/server/store/idempotency-repository';
import { startServer, type RunningServer } from './harness';
import { okta } from './providers';

jest.setTimeout(60_000);

let running: RunningServer;
let account: string;
const users = () => ({ category: 'user-directory', resource: 'users', integrated_account_id: account });
const ada = (email = 'ada@example.com') => ({ first_name: 'Ada', last_name: 'Lovelace', emails: [{ email }] });
const posts = () => running.sims.get('okta')!.requests.filter((r) => r.method === 'POST').length;
const create = (tenant: string, key: string, body: unknown) => running.client(tenant).request('POST', '/unified/user-directory/users', { integrated_account_id: account }, body, { 'Idempotency-Key': key });

beforeAll(async () => {
  running = await startServer([okta]);
  account = await running.addAccount('acme', 'okta');
});
beforeEach(() => {
  running.sims.get('okta')!.store.clear();
  running.sims.get('okta')!.requests.length = 0;
});
afterAll(() => running?.stop());

describe('Idempotency-Key on POST and PATCH', () => {
  test('the same key and body answer the stored answer; the provider is called once', async () => {
    const first = await create('acme', 'key-1', ada());
    const again = await create('acme', 'key-1', ada());
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(posts()).toBe(1);
  });

  test('the same key with another body is 400, and keys are per tenant', async () => {
    await create('acme', 'key-2', ada('one@example.com'));
    const other = await create('acme', 'key-2', ada('two@example.com'));
    expect(other.body).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_SERVER_IDEMPOTENCY_MISMATCH' });
    // globex's key-2 is its own: its request runs (and fails on its own terms: the account is not globex's)
    const globex = await create('globex', 'key-2', ada('two@example.com'));
    expect(globex.body.code).toBe('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND');
    expect(posts()).toBe(1);
  });

  test('a second request while the first runs waits for its answer (never a 409)', async () => {
    const at = new Date().toISOString();
    running.sims.get('okta')!.failNext({
      match: /^POST/, delayMs: 400, status: 200,
      body: { id: '00uSLOW', status: 'ACTIVE', created: at, lastUpdated: at, profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } },
    });
    const [one, two] = await Promise.all([create('acme', 'key-3', ada()), create('acme', 'key-3', ada())]);
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body).toEqual(one.body);
    expect(one.body.id).toBe('00uSLOW');
    expect(posts()).toBe(1);
  });

  test('an answer a retry could improve (a rate limit) is not stored: the retry runs', async () => {
    running.sims.get('okta')!.failNext({ match: /^POST/, status: 429, headers: { 'retry-after': '1' }, body: { errorSummary: 'rate limited' } });
    const limited = await create('acme', 'key-4', ada());
    expect(limited.status).toBe(429);
    const retried = await create('acme', 'key-4', ada());
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  test('an answer that says the create may have been applied is stored and replayed, so a retry never duplicates', async () => {
    running.sims.get('okta')!.failNext({ match: /^POST/, status: 500, body: { errorSummary: 'internal' } });
    const failed = await create('acme', 'key-5', ada());
    expect(failed.body).toMatchObject({ statusCode: 502, retriable: false, details: { outcome: 'unknown' } });
    const again = await create('acme', 'key-5', ada());
    expect(again.body).toEqual(failed.body);
    expect(posts()).toBe(1);
  });

  test('PATCH is covered too; a key that is not 1-255 visible characters is refused', async () => {
    const { id } = (await running.client('acme').unifiedApi.create(ada(), users())).body;
    const patch = () => running.client('acme').request('PATCH', `/unified/user-directory/users/${id}`, { integrated_account_id: account }, { last_name: 'King' }, { 'Idempotency-Key': 'key-6' });
    const first = await patch();
    const second = await patch();
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const bad = await create('acme', 'x'.repeat(300), ada());
    expect(bad.body).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_SERVER_INVALID_REQUEST' });
  });

  test('records expire (24 h in the server); an expired key is claimed anew', async () => {
    const repository = new IdempotencyRepository(running.server.store.db, 50, 60_000);
    expect(await repository.claim('t', 'k', 'f1')).toEqual({ kind: 'claimed' });
    await repository.complete('t', 'k', { status: 201, headers: {}, body: '{}' });
    expect((await repository.claim('t', 'k', 'f1')).kind).toBe('replay');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await repository.claim('t', 'k', 'f2')).toEqual({ kind: 'claimed' });
    expect(await repository.purgeExpired()).toBeGreaterThanOrEqual(0);
  });
});
