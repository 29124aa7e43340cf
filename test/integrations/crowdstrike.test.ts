import { crowdstrikeSimulator, falconRateLimited } from '../../engine/sandbox/providers/crowdstrike';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'cs-test-access-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-falcon' };
const UD = 'user-directory';

const { sim, engine } = useProvider(crowdstrikeSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-falcon', integration: 'crowdstrike', context: { access_token: TOKEN }, base_url: url },
  { id: 'expired', integration: 'crowdstrike', context: { access_token: 'cs-expired-token-0123456789' }, base_url: url },
]);

const create = (email: string, extra: Record<string, unknown> = {}) =>
  engine.create(UD, 'users', { emails: [{ email }], first_name: 'Ada', last_name: 'Lovelace', ...extra }, ACCOUNT);

test('create, then grant the roles; get, list (ids, then users), update, delete', async () => {
  const ada = await create('ada@example.com', { roles: [{ id: 'falconhost_read_only' }] });
  expect(ada).toMatchObject({ username: 'ada@example.com', first_name: 'Ada', status: 'active', emails: [{ email: 'ada@example.com' }] });
  expect(sim.store.get(ada.id!)!['roles']).toEqual(['falconhost_read_only']);
  expect(await engine.get(UD, 'users', ada.id!, ACCOUNT)).toMatchObject({ id: ada.id, name: 'Ada Lovelace' });

  const grace = await create('grace@example.com');
  const linus = await create('linus@example.com');
  const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 1 } }, 'id');
  expect(seen).toEqual([ada.id, grace.id, linus.id]);
  expect(pages).toBe(3);
  const found = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
  expect(found.result.map((u) => u.id)).toEqual([grace.id]);

  expect(await engine.update(UD, 'users', grace.id!, { last_name: 'Hopper' }, ACCOUNT)).toMatchObject({ id: grace.id, last_name: 'Hopper' });
  expect(await engine.delete(UD, 'users', grace.id!, ACCOUNT)).toEqual({ id: grace.id });
  expect(await rejection(engine.get(UD, 'users', grace.id!, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404 });
});

test('an empty account lists no users without asking for entities', async () => {
  expect(await engine.list(UD, 'users', ACCOUNT)).toMatchObject({ result: [], next_cursor: null });
  expect(sim.requests.map((r) => r.url)).toEqual(['/user-management/queries/users/v1?sort=uid%7Casc&limit=500&offset=0']);
});

test('Falcon\'s refusals are typed errors with its messages', async () => {
  expect(await rejection(engine.list(UD, 'users', { integratedAccountId: 'expired' }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: expect.stringContaining('invalid bearer token') });
  await create('ada@example.com');
  expect(await rejection(create('ada@example.com'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: expect.stringContaining('already exists') });
});

describe('past Falcon\'s rate limit', () => {
  const epochSeconds = () => Math.floor(Date.now() / 1000);

  test('a 429 whose X-RateLimit-RetryAfter is a second away is waited out and the read sent again', async () => {
    await create('ada@example.com');
    sim.failNext(falconRateLimited(epochSeconds() + 1));
    expect((await engine.list(UD, 'users', ACCOUNT)).result.map((u) => u.username)).toEqual(['ada@example.com']);
    expect(sim.requests.filter((r) => r.url.startsWith('/user-management/queries/users/v1'))).toHaveLength(2);
  });

  test('a 429 whose X-RateLimit-RetryAfter is an hour away is not waited for: RATE_LIMITED, with the wait', async () => {
    sim.failNext(falconRateLimited(epochSeconds() + 3600));
    const refused = await rejection(engine.list(UD, 'users', ACCOUNT));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, message: expect.stringContaining('API rate limit exceeded.') });
    // the engine read the epoch second as a wait of about an hour
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3000);
    expect(sim.requests).toHaveLength(1);
  });
});
