import { activecampaignSimulator } from '../../engine/sandbox/providers/activecampaign';
import { useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'ac-test-token-0123456789abcdef';
const ACCOUNT = { integratedAccountId: 'acme-ac' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const UD = 'user-directory';

const { sim, engine } = useProvider(activecampaignSimulator, { api_token: TOKEN }, (url) => [
  { id: 'acme-ac', integration: 'activecampaign', context: { account: 'acme', api_token: TOKEN }, base_url: `${url}/api/3` },
  { id: 'wrong-token', integration: 'activecampaign', context: { account: 'acme', api_token: 'not-the-token-000' }, base_url: `${url}/api/3` },
  { id: 'evil-account', integration: 'activecampaign', context: { account: 'evil.com/x?', api_token: TOKEN } },
  { id: 'plan', integration: 'activecampaign', context: { account: 'acme', api_token: TOKEN } },
]);

const ada = {
  name: 'Ada Lovelace',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  password: 'myPa$$w0rd',
  username: 'ada',
  group: 4,
};

const fail = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('ActiveCampaign users through the engine and the simulator', () => {
  test('create sends the { user } envelope with the Api-Token header and returns the unified user', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/3/users');
    expect(sent.headers['api-token']).toBe(TOKEN);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      user: { username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'myPa$$w0rd', group: 4 },
    });
    expect(user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      first_name: 'Ada',
      last_name: 'Lovelace',
      name: 'Ada Lovelace',
      username: 'ada',
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      status: 'active',
      is_2fa_enabled: false,
      timezone: 'America/New_York',
      languages: ['english'],
      remote_data: expect.objectContaining({ username: 'ada', cdate: expect.any(String) }),
    });
    expect(JSON.stringify(user)).not.toContain('myPa$$w0rd');
  });

  test('get reads the user back; dates become ISO 8601 UTC', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const user = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', url: `/api/3/users/${id}` });
    expect(user).toMatchObject({ id, name: 'Ada Lovelace', username: 'ada', status: 'active', is_2fa_enabled: false });
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });

  test('update is a PUT of the changed fields and maps the user inside the answer', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const updated = await engine.update(UD, 'users', id!, { last_name: 'King', group: 3 }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PUT', url: `/api/3/users/${id}`, body: { user: { lastName: 'King', group: 3 } } });
    expect(updated).toMatchObject({ id, first_name: 'Ada', last_name: 'King', name: 'Ada King', username: 'ada' });
    expect(await engine.get(UD, 'users', id!, ACCOUNT)).toMatchObject({ last_name: 'King' });
  });

  test('update refuses the username, which ActiveCampaign cannot change', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const error = await fail(engine.update(UD, 'users', id!, { username: 'ada2' }, STRICT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
  });

  test('list pages with limit and offset behind an opaque cursor and stops at the short page', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await engine.create(UD, 'users', { ...ada, name: `User${n} Test`, username: `user${n}`, emails: [{ email: `user${n}@example.com` }] }, ACCOUNT);
    }
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'username');
    expect(pages).toBe(3);
    expect(seen).toEqual(['user1', 'user2', 'user3', 'user4', 'user5']);
    expect(sim.requests.map((r) => r.url)).toEqual(['/api/3/users?limit=2&offset=0', '/api/3/users?limit=2&offset=2', '/api/3/users?limit=2&offset=4']);
  });

  test('list of an exact multiple of the limit ends on the empty page', async () => {
    for (const n of [1, 2]) {
      await engine.create(UD, 'users', { ...ada, username: `user${n}`, emails: [{ email: `user${n}@example.com` }] }, ACCOUNT);
    }
    const all: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['username'] as string);
    expect(all).toEqual(['user1', 'user2']);
  });

  test('delete removes the user', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/api/3/users/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('a missing required field is ActiveCampaign\'s 422 errors array', async () => {
    // remote_data reaches the remote body untouched: an empty password gets past the engine's own check.
    const error = await fail(engine.create(UD, 'users', { ...ada, name: 'Ada', remote_data: { user: { password: '' } } }, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP',
      status: 422,
      message: 'ActiveCampaign answered 422 [field_missing]: The user lastName was not provided.; The user password was not provided.',
      remote: { status: 422, body: { errors: [{ code: 'field_missing', source: { pointer: '/data/attributes/lastName' } }, { code: 'field_missing' }] } },
    });
  });

  test('a duplicate username is ActiveCampaign\'s 422 duplicate error', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    const error = await fail(engine.create(UD, 'users', { ...ada, emails: [{ email: 'other@example.com' }] }, ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 422, message: 'ActiveCampaign answered 422 [duplicate]: The username is already in use.' });
  });

  test('an unknown id is ActiveCampaign\'s 404 message on get, update and delete', async () => {
    for (const call of [
      () => engine.get(UD, 'users', '999', ACCOUNT),
      () => engine.update(UD, 'users', '999', { last_name: 'King' }, ACCOUNT),
      () => engine.delete(UD, 'users', '999', ACCOUNT),
    ]) {
      expect(await fail(call())).toMatchObject({
        code: 'UNIMAP_E_REMOTE_HTTP',
        status: 404,
        message: 'ActiveCampaign answered 404: No Result found for User with id 999',
      });
    }
  });

  test('a wrong API token is ActiveCampaign\'s 403, and the token never shows', async () => {
    const error = await fail(engine.list(UD, 'users', { integratedAccountId: 'wrong-token' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 403, message: 'ActiveCampaign answered 403: You are not authorized to access this resource' });
    expect(JSON.stringify(error)).not.toContain('not-the-token-000');
  });

  test('an account name that could move the host is refused before any call', async () => {
    const error = await fail(engine.list(UD, 'users', { integratedAccountId: 'evil-account' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_AUTH_INVALID_CONTEXT' });
  });

  test('the base URL is built from the account name', async () => {
    const planned = await engine.planRequest({ category: UD, resource: 'users', method: 'get', id: '7', integratedAccountId: 'plan' });
    expect(planned.url).toBe('https://acme.api-us1.com/api/3/users/7');
    expect(planned.headers['Api-Token']).toBe('[redacted]');
  });
});
