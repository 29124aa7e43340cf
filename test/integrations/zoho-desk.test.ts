import { zohoDeskSimulator } from '../../engine/sandbox/providers/zoho-desk';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = '1000.zoho-test-token.0123456789';
const ORG_ID = '2389290';
const ACCOUNT = { integratedAccountId: 'acme-zoho' };
const T = 'ticketing';
const DEPARTMENT = '1892000000006907';

const { sim, engine } = useProvider(zohoDeskSimulator, { access_token: TOKEN, org_id: ORG_ID }, (url) => [
  { id: 'acme-zoho', integration: 'zoho-desk', context: { org_id: ORG_ID, access_token: TOKEN }, base_url: url },
  { id: 'wrong-token', integration: 'zoho-desk', context: { org_id: ORG_ID, access_token: '1000.not-the-token' }, base_url: url },
  { id: 'eu', integration: 'zoho-desk', context: { api_domain: 'desk.zoho.eu', org_id: ORG_ID, access_token: TOKEN } },
  { id: 'evil', integration: 'zoho-desk', context: { api_domain: 'evil.example.com', org_id: ORG_ID, access_token: TOKEN } },
]);

const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'primary' }],
  roles: [{ name: 'owner' }],
  team_ids: [DEPARTMENT],
  languages: ['en_GB'],
};

const calls = () => sim.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`);

describe('Zoho Desk agents through the engine and the simulator', () => {
  test('create POSTs the agent with the Zoho-oauthtoken and orgId headers and maps the invited agent', async () => {
    const user = await engine.create(T, 'users', ada, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v1/agents');
    expect(sent.headers['authorization']).toBe(`Zoho-oauthtoken ${TOKEN}`);
    expect(sent.headers['orgid']).toBe(ORG_ID);
    expect(sent.body).toEqual({
      emailId: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', associatedDepartmentIds: [DEPARTMENT], rolePermissionType: 'Admin', langCode: 'en_GB',
    });
    expect(user).toMatchObject({
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', is_active: true,
      emails: [{ email: 'ada@example.com', type: 'primary' }],
      roles: [{ id: '1892000000056091', name: 'owner' }],
      team_ids: [DEPARTMENT],
    });
    expect(user.id).toMatch(/^1892\d+$/);
    expect((user.remote_data as { isConfirmed: boolean }).isConfirmed).toBe(false);
  });

  test('create splits a name alone and defaults to the AgentPublic permission type; the host follows the data center', async () => {
    await engine.create(T, 'users', { name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }], team_ids: [DEPARTMENT] }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({ emailId: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', associatedDepartmentIds: [DEPARTMENT], rolePermissionType: 'AgentPublic' });
    const planned = await engine.planRequest({ category: T, resource: 'users', method: 'get', id: '1', integratedAccountId: 'eu' });
    expect(planned.url).toBe('https://desk.zoho.eu/api/v1/agents/1');
    expect(planned.headers['Authorization']).toBe('Zoho-oauthtoken [redacted]');
    expect(await rejection(engine.get(T, 'users', '1', { integratedAccountId: 'evil' }))).toMatchObject({ code: 'UNIMAP_E_AUTH_INVALID_CONTEXT' });
  });

  test('get reads one agent; update PATCHes the fields given and reads the agent back', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    expect(await engine.get(T, 'users', id!, ACCOUNT)).toMatchObject({ id, name: 'Ada Lovelace' });
    sim.requests.length = 0;
    const updated = await engine.update(T, 'users', id!, { last_name: 'King', roles: [{ name: 'viewer' }] }, ACCOUNT);
    expect(calls()).toEqual([`PATCH /api/v1/agents/${id}`, `GET /api/v1/agents/${id}`]);
    expect(sim.requests[0]!.body).toEqual({ lastName: 'King', rolePermissionType: 'Light' });
    expect(updated).toMatchObject({ id, name: 'Ada King', last_name: 'King', roles: [{ id: '1892000000056095', name: 'viewer' }] });
  });

  test('update with a status deactivates or activates through Zoho Desk\'s own operations', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.update(T, 'users', id!, { status: 'inactive' }, ACCOUNT)).toMatchObject({ is_active: false });
    expect(calls()).toEqual([`GET /api/v1/agents/${id}`, `POST /api/v1/agents/${id}/deactivate`, `GET /api/v1/agents/${id}`]);
    sim.requests.length = 0;
    expect(await engine.update(T, 'users', id!, { status: 'active', first_name: 'Augusta' }, ACCOUNT)).toMatchObject({ is_active: true, first_name: 'Augusta' });
    expect(calls()).toEqual([`GET /api/v1/agents/${id}`, `PATCH /api/v1/agents/${id}`, 'POST /api/v1/agents/activate', `GET /api/v1/agents/${id}`]);
    expect(sim.requests[2]!.body).toEqual({ agentIds: [id] });
    sim.requests.length = 0;
    await engine.update(T, 'users', id!, { status: 'active' }, ACCOUNT); // already active: nothing to do
    expect(calls()).toEqual([`GET /api/v1/agents/${id}`, `GET /api/v1/agents/${id}`]);
  });

  test('list pages with from (1-based) and limit, stops on a short page, and searches by email', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await engine.create(T, 'users', { last_name: `Agent ${name}`, emails: [{ email: `${name}@example.com` }], team_ids: [DEPARTMENT] }, ACCOUNT);
    }
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'last_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['Agent a', 'Agent b', 'Agent c', 'Agent d', 'Agent e']);
    expect(calls()).toEqual(['GET /api/v1/agents?limit=2&from=1', 'GET /api/v1/agents?limit=2&from=3', 'GET /api/v1/agents?limit=2&from=5']);
    const found = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'd@example.com' } });
    expect(found.result.map((u) => u['last_name'])).toEqual(['Agent d']);
    expect(calls().at(-1)).toBe('GET /api/v1/agents?searchStr=d@example.com&fieldName=emailId&limit=100&from=1');
  });

  test('a list past the last agent is Zoho Desk\'s 204 without a body: an empty page', async () => {
    for (const name of ['a', 'b']) await engine.create(T, 'users', { last_name: name, emails: [{ email: `${name}@example.com` }], team_ids: [DEPARTMENT] }, ACCOUNT);
    const first = await engine.list(T, 'users', { ...ACCOUNT, query: { limit: 2 } });
    expect(first.next_cursor).not.toBeNull(); // a full page: Zoho Desk gives no total
    const second = await engine.list(T, 'users', { ...ACCOUNT, query: { limit: 2, next_cursor: first.next_cursor! } });
    expect(second).toEqual({ result: [], next_cursor: null, result_count: 0 });
  });

  test('delete removes an unconfirmed agent; a confirmed one can only be deactivated', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(T, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.map((r) => [r.method, r.url, r.body])).toEqual([['POST', '/api/v1/agents/deleteUnconfirmed', { agentIds: [id] }]]);
    expect(sim.store.get(id!)).toBeUndefined();
    const confirmed = await engine.create(T, 'users', ada, ACCOUNT);
    sim.store.get(confirmed.id!)!['isConfirmed'] = true;
    expect(await rejection(engine.delete(T, 'users', confirmed.id!, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 422, message: 'Zoho Desk answered 422 [UNPROCESSABLE_ENTITY]: Only unconfirmed agents can be deleted.',
    });
  });

  test('a missing last name is Zoho Desk\'s INVALID_DATA with a missing /lastName', async () => {
    const error = await rejection(engine.create(T, 'users', { first_name: 'Only', emails: [{ email: 'only@example.com' }], team_ids: [DEPARTMENT] }, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 422,
      message: 'Zoho Desk answered 422 [INVALID_DATA]: An invalid value was provided for one or more fields.: lastName: lastName is a mandatory field',
      remote: { body: { errorCode: 'INVALID_DATA', errors: [{ fieldName: '/lastName', errorType: 'missing' }] } },
    });
    expect(await rejection(engine.create(T, 'users', { last_name: 'No Department', emails: [{ email: 'x@example.com' }] }, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
  });

  test('a duplicate email is Zoho Desk\'s INVALID_DATA with a duplicate /emailId', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    const error = await rejection(engine.create(T, 'users', ada, ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 422, message: expect.stringContaining('emailId: An agent with this email address already exists') });
  });

  test('an unknown id is Zoho Desk\'s URL_NOT_FOUND for get, update and delete', async () => {
    for (const call of [
      () => engine.get(T, 'users', '1892000000999999', ACCOUNT),
      () => engine.update(T, 'users', '1892000000999999', { last_name: 'X' }, ACCOUNT),
      () => engine.delete(T, 'users', '1892000000999999', ACCOUNT),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: expect.stringContaining('Zoho Desk answered 404 [URL_NOT_FOUND]') });
    }
  });

  test('a wrong token is Zoho Desk\'s INVALID_OAUTH 401', async () => {
    const error = await rejection(engine.list(T, 'users', { integratedAccountId: 'wrong-token' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Zoho Desk answered 401 [INVALID_OAUTH]: The OAuth Token you provided is invalid.' });
  });
});
