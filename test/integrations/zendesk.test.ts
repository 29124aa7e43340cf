import { zendeskSimulator } from '../../engine/sandbox/providers/zendesk';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const EMAIL = 'admin@acme.example';
const TOKEN = 'zendesk-test-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-zendesk' };
const T = 'ticketing';

const { sim, engine } = useProvider(zendeskSimulator, { email: EMAIL, api_token: TOKEN }, (url) => [
  { id: 'acme-zendesk', integration: 'zendesk', context: { subdomain: 'acme', email: EMAIL, api_token: TOKEN }, base_url: url },
  { id: 'wrong-token', integration: 'zendesk', context: { subdomain: 'acme', email: EMAIL, api_token: 'not-the-token-000' }, base_url: url },
]);

const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'primary' }, { email: 'ada@home.example', type: 'other' }],
  roles: [{ name: 'member' }],
  team_ids: ['360001', '360002'],
  nick_name: 'Countess',
  languages: ['en-GB'],
};

const calls = () => sim.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`);

describe('Zendesk users through the engine and the simulator', () => {
  test('create POSTs a { user } envelope with Basic "{email}/token" auth, then reads the group memberships', async () => {
    const user = await engine.create(T, 'users', ada, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v2/users');
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      user: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        identities: [{ type: 'email', value: 'ada@home.example' }],
        role: 'agent',
        group_ids: [360001, 360002],
        alias: 'Countess',
        locale: 'en-GB',
      },
    });
    expect(calls()).toEqual(['POST /api/v2/users', `GET /api/v2/users/${user.id}/group_memberships`]);
    expect(user).toMatchObject({
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', is_active: true,
      emails: [{ email: 'ada@example.com', type: 'primary' }],
      roles: [{ id: 'agent', name: 'member' }],
      team_ids: ['360001', '360002'],
    });
    expect(user.id).toMatch(/^\d+$/);
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(user['etag']).toBe((user.remote_data as { updated_at: string }).updated_at);
  });

  test('create with a password sets it through /users/{id}/password; a custom role id becomes custom_role_id', async () => {
    const user = await engine.create(T, 'users', { name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }], roles: [{ id: '360000000001' }], password: 'C0bol-1959' }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({ user: { name: 'Grace Hopper', email: 'grace@example.com', role: 'agent', custom_role_id: 360000000001 } });
    expect(sim.requests[1]).toMatchObject({ method: 'POST', url: `/api/v2/users/${user.id}/password`, body: { password: 'C0bol-1959' } });
    expect(user['roles']).toEqual([{ id: '360000000001', name: 'viewer' }]); // the light agent role
  });

  test('get reads the user and its group memberships', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    const user = await engine.get(T, 'users', id!, ACCOUNT);
    expect(calls()).toEqual([`GET /api/v2/users/${id}`, `GET /api/v2/users/${id}/group_memberships`]);
    expect(user).toMatchObject({ id, name: 'Ada Lovelace', team_ids: ['360001', '360002'], is_active: true });
  });

  test('update PUTs only the fields given; a last name alone keeps the current first name', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    const updated = await engine.update(T, 'users', id!, { last_name: 'King' }, ACCOUNT);
    expect(calls()).toEqual([`GET /api/v2/users/${id}`, `PUT /api/v2/users/${id}`, `GET /api/v2/users/${id}/group_memberships`]);
    expect(sim.requests[1]!.body).toEqual({ user: { name: 'Ada King' } });
    expect(updated).toMatchObject({ id, name: 'Ada King', first_name: 'Ada', last_name: 'King' });
  });

  test('update with status inactive suspends, active unsuspends; role owner makes an admin', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    const suspended = await engine.update(T, 'users', id!, { status: 'inactive', roles: [{ name: 'owner' }] }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({ user: { role: 'admin', suspended: true } });
    expect(suspended).toMatchObject({ is_active: false, roles: [{ id: 'admin', name: 'owner' }] });
    expect(await engine.update(T, 'users', id!, { status: 'active' }, ACCOUNT)).toMatchObject({ is_active: true });
  });

  test('list follows cursor pagination (page[size], page[after], meta.has_more) behind an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await engine.create(T, 'users', { name: `User ${name}`, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    }
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['User a', 'User b', 'User c', 'User d', 'User e']);
    expect(calls()).toEqual([
      'GET /api/v2/users?page[size]=2',
      expect.stringMatching(/^GET \/api\/v2\/users\?page\[size\]=2&page\[after\]=\w+$/),
      expect.stringMatching(/^GET \/api\/v2\/users\?page\[size\]=2&page\[after\]=\w+$/),
    ]);
    const listed = await engine.list(T, 'users', ACCOUNT);
    expect(listed.result[0]).not.toHaveProperty('team_ids');
  });

  test('list refuses the email filter: Zendesk\'s user list cannot apply it', async () => {
    const error = await rejection(engine.list(T, 'users', { ...ACCOUNT, query: { email: 'ada@example.com' } }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FILTER', message: expect.stringContaining('"email"') });
    expect(sim.requests).toHaveLength(0);
  });

  test('delete soft-deletes: the user stays readable as inactive and leaves the list', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(T, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(calls()).toEqual([`DELETE /api/v2/users/${id}`]);
    expect(await engine.get(T, 'users', id!, ACCOUNT)).toMatchObject({ id, is_active: false });
    expect((await engine.list(T, 'users', ACCOUNT)).result).toEqual([]);
  });

  test('a missing name is Zendesk\'s RecordInvalid, passed through as a 422', async () => {
    const error = await rejection(engine.create(T, 'users', { emails: [{ email: 'nameless@example.com' }] }, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 422,
      message: 'Zendesk answered 422 [RecordInvalid]: Record validation errors: Name:  is too short (minimum is 1 character)',
      remote: { status: 422, body: { error: 'RecordInvalid' } },
    });
  });

  test('a duplicate email is Zendesk\'s DuplicateValue detail', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    const error = await rejection(engine.create(T, 'users', { name: 'Other Ada', emails: [{ email: 'ada@example.com' }] }, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 422,
      message: expect.stringContaining('Email: ada@example.com is already being used by another user'),
      remote: { body: { details: { email: [{ error: 'DuplicateValue' }] } } },
    });
  });

  test('an unknown id is Zendesk\'s RecordNotFound 404 for get, update and delete', async () => {
    for (const call of [
      () => engine.get(T, 'users', '999999', ACCOUNT),
      () => engine.update(T, 'users', '999999', { name: 'X' }, ACCOUNT),
      () => engine.delete(T, 'users', '999999', ACCOUNT),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Zendesk answered 404 [RecordNotFound]: Not found' });
    }
  });

  test('a wrong token is Zendesk\'s 401 "Couldn\'t authenticate you"', async () => {
    const error = await rejection(engine.list(T, 'users', { integratedAccountId: 'wrong-token' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: "Zendesk answered 401: Couldn't authenticate you" });
  });

  test('with truto_strict_fields, fields Zendesk cannot write on update are refused before any call', async () => {
    const error = await rejection(engine.update(T, 'users', '1', { emails: [{ email: 'new@example.com' }] }, { ...ACCOUNT, query: { truto_strict_fields: 'true' } }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS', details: [{ field: 'emails', integration: 'zendesk' }] });
    expect(sim.requests).toHaveLength(0);
  });

  test('by default, fields Zendesk cannot write are left out and reported as warnings', async () => {
    const created = await engine.create(T, 'users', { name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    sim.requests.length = 0;
    const outcome = await engine.call({ category: T, resource: 'users', method: 'update', id: created.id!, body: { name: 'Grace B. Hopper', emails: [{ email: 'new@example.com' }] }, ...ACCOUNT });
    expect(outcome.warnings).toEqual([expect.objectContaining({ code: 'UNIMAP_W_UNSUPPORTED_FIELD', field: 'emails', integration: 'zendesk' })]);
    expect(outcome.result).toMatchObject({ name: 'Grace B. Hopper' });
    expect(JSON.stringify(sim.requests.map((r) => r.body))).not.toContain('new@example.com');
  });
});
