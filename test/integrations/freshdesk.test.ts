import { freshdeskSimulator } from '../../engine/sandbox/providers/freshdesk';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const API_KEY = 'freshdesk-test-key-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-freshdesk' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const T = 'ticketing';
const ADMINISTRATOR = 43000000002;
const AGENT = 43000000004;

const { sim, engine } = useProvider(freshdeskSimulator, { api_key: API_KEY }, (url) => [
  { id: 'acme-freshdesk', integration: 'freshdesk', context: { domain: 'acme', api_key: API_KEY }, base_url: url },
  { id: 'wrong-key', integration: 'freshdesk', context: { domain: 'acme', api_key: 'not-the-key-000' }, base_url: url },
]);

const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'primary' }],
  roles: [{ name: 'owner' }],
  team_ids: ['77001', '77002'],
  languages: ['en'],
};

const calls = () => sim.requests.map((r) => `${r.method} ${decodeURIComponent(r.url)}`);

describe('Freshdesk agents through the engine and the simulator', () => {
  test('create reads the roles, then POSTs the agent with Basic api_key:X auth and ticket_scope 1', async () => {
    const user = await engine.create(T, 'users', ada, ACCOUNT);
    expect(calls()).toEqual(['GET /api/v2/roles', 'POST /api/v2/agents']);
    const sent = sim.requests[1]!;
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from(`${API_KEY}:X`).toString('base64')}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      ticket_scope: 1,
      role_ids: [ADMINISTRATOR],
      group_ids: [77001, 77002],
      language: 'en',
    });
    expect(user).toMatchObject({
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', is_active: false, // not verified yet
      emails: [{ email: 'ada@example.com', type: 'primary' }],
      roles: [{ id: String(ADMINISTRATOR), name: 'owner' }],
      team_ids: ['77001', '77002'],
    });
    expect(user.id).toMatch(/^\d+$/);
    expect(user['etag']).toBe((user.remote_data as { updated_at: string }).updated_at);
  });

  test('create keeps role ids as given, maps user_type to agent_type, and remote_data can set ticket_scope', async () => {
    const user = await engine.create(T, 'users', {
      name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }], roles: [{ id: String(AGENT) }], user_type: 'collaborator', remote_data: { ticket_scope: 3 },
    }, ACCOUNT);
    expect(sim.requests[1]!.body).toEqual({ email: 'grace@example.com', name: 'Grace Hopper', ticket_scope: 3, role_ids: [AGENT], agent_type: 3 });
    expect(user['roles']).toEqual([{ id: String(AGENT), name: 'viewer' }]); // a collaborator's roles are read-only
  });

  test('get and update: PUT changes email, roles and groups', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.get(T, 'users', id!, ACCOUNT)).toMatchObject({ id, name: 'Ada Lovelace' });
    expect(calls()).toEqual(['GET /api/v2/roles', `GET /api/v2/agents/${id}`]);
    sim.requests.length = 0;
    const updated = await engine.update(T, 'users', id!, { emails: [{ email: 'ada.king@example.com' }], roles: [{ name: 'member' }], team_ids: ['77003'] }, ACCOUNT);
    expect(calls()).toEqual(['GET /api/v2/roles', `PUT /api/v2/agents/${id}`]);
    expect(sim.requests[1]!.body).toEqual({ email: 'ada.king@example.com', role_ids: [AGENT], group_ids: [77003] });
    expect(updated).toMatchObject({ id, emails: [{ email: 'ada.king@example.com', type: 'primary' }], roles: [{ id: String(AGENT), name: 'member' }], team_ids: ['77003'] });
  });

  test('update refuses a name: Freshdesk cannot change it through the API', async () => {
    const error = await rejection(engine.update(T, 'users', '1', { name: 'New Name' }, STRICT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS', message: expect.stringContaining('"name"') });
    expect(sim.requests).toHaveLength(0);
  });

  test('list follows the Link rel="next" header over page/per_page and filters by email', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await engine.create(T, 'users', { name: `Agent ${name}`, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['Agent a', 'Agent b', 'Agent c', 'Agent d', 'Agent e']);
    expect(calls().filter((c) => c.includes('/agents'))).toEqual([
      'GET /api/v2/agents?per_page=2',
      'GET /api/v2/agents?per_page=2&page=2',
      'GET /api/v2/agents?per_page=2&page=3',
    ]);
    const filtered = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'c@example.com' } });
    expect(filtered.result.map((u) => u['name'])).toEqual(['Agent c']);
    expect(calls().at(-1)).toBe('GET /api/v2/agents?email=c@example.com&per_page=100');
  });

  test('delete downgrades the agent to a contact: it leaves the agent list', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(T, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(calls()).toEqual([`DELETE /api/v2/agents/${id}`]);
    expect((await engine.list(T, 'users', ACCOUNT)).result).toEqual([]);
  });

  test('a missing email is refused by the engine; a missing ticket_scope is Freshdesk\'s missing_field', async () => {
    expect(await rejection(engine.create(T, 'users', { name: 'No Mail' }, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
    const error = await rejection(engine.create(T, 'users', { emails: [{ email: 'x@example.com' }], remote_data: { ticket_scope: null } }, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400,
      message: "Freshdesk answered 400 [missing_field]: Validation failed: ticket_scope: It should be one of these values: '1,2,3'",
      remote: { status: 400, body: { description: 'Validation failed', errors: [{ field: 'ticket_scope', code: 'missing_field' }] } },
    });
  });

  test('a duplicate email is Freshdesk\'s 409 duplicate_value', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    const error = await rejection(engine.create(T, 'users', { name: 'Ada Again', emails: [{ email: 'ada@example.com' }] }, ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: 'Freshdesk answered 409 [duplicate_value]: Validation failed: email: It should be a unique value' });
  });

  test('an unknown id is Freshdesk\'s empty 404 for get, update and delete', async () => {
    for (const call of [
      () => engine.get(T, 'users', '999', ACCOUNT),
      () => engine.update(T, 'users', '999', { languages: ['fr'] }, ACCOUNT),
      () => engine.delete(T, 'users', '999', ACCOUNT),
    ]) {
      expect(await rejection(call())).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Freshdesk answered 404: HTTP 404' });
    }
  });

  test('a wrong API key is Freshdesk\'s invalid_credentials 401', async () => {
    const error = await rejection(engine.get(T, 'users', '1', { integratedAccountId: 'wrong-key' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Freshdesk answered 401 [invalid_credentials]: You have to be logged in to perform this action.' });
  });
});
