import { helpScoutSimulator, type HelpScoutUser } from '../../engine/sandbox/providers/helpscout';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'helpscout-test-access-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-helpscout' };
const T = 'ticketing';

const { sim, engine } = useProvider(helpScoutSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-helpscout', integration: 'helpscout', context: { access_token: TOKEN }, base_url: `${url}/v2` },
  { id: 'expired-token', integration: 'helpscout', context: { access_token: 'expired-token-000' }, base_url: `${url}/v2` },
]);


let nextId = 4;
function seed(firstName: string, lastName: string, extra: Partial<HelpScoutUser> = {}): HelpScoutUser {
  const id = nextId++;
  const user: HelpScoutUser = {
    id,
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}@acme.example`,
    role: 'user',
    timezone: 'America/New_York',
    photoUrl: `https://d33v4339jhl8k0.cloudfront.net/users/${id}.jpg`,
    createdAt: '2021-04-01T03:18:33Z',
    updatedAt: '2024-07-24T20:18:33Z',
    type: 'user',
    mention: firstName.toLowerCase(),
    initials: `${firstName[0]}${lastName[0]}`,
    jobTitle: 'Support',
    phone: null,
    alternateEmails: [],
    mailboxes: [1],
    ...extra,
  };
  sim.store.insert(id, user);
  return user;
}

describe('Help Scout users through the engine and the simulator', () => {
  test('get reads one user with the bearer token and maps names, emails and role', async () => {
    const vernon = seed('Vernon', 'Bear', { role: 'owner', alternateEmails: ['bear@forest.example', 'vernon@acme.example'] });
    const user = await engine.get(T, 'users', String(vernon.id), ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.url).toBe(`/v2/users/${vernon.id}`);
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(user).toEqual({
      id: String(vernon.id),
      first_name: 'Vernon',
      last_name: 'Bear',
      name: 'Vernon Bear',
      username: 'vernon',
      emails: [{ email: 'vernon@acme.example', type: 'primary' }, { email: 'bear@forest.example', type: 'other' }],
      avatar: `https://d33v4339jhl8k0.cloudfront.net/users/${vernon.id}.jpg`,
      roles: [{ id: 'owner', name: 'owner' }],
      created_at: '2021-04-01T03:18:33.000Z',
      updated_at: '2024-07-24T20:18:33.000Z',
      etag: '2024-07-24T20:18:33Z',
      remote_data: expect.objectContaining({ id: vernon.id, _links: { self: { href: `${sim.url}/v2/users/${vernon.id}` } } }),
    });
  });

  test('get "me" answers the token\'s own user; admins map to owner, users to member', async () => {
    const owner = seed('Olive', 'Owner', { role: 'admin' });
    seed('Uma', 'User');
    expect(await engine.get(T, 'users', 'me', ACCOUNT)).toMatchObject({ id: String(owner.id), roles: [{ id: 'admin', name: 'owner' }] });
    expect(sim.requests.at(-1)!.url).toBe('/v2/users/me');
    const list = await engine.list(T, 'users', ACCOUNT);
    expect(list.result.map((u) => u['roles'])).toEqual([[{ id: 'admin', name: 'owner' }], [{ id: 'user', name: 'member' }]]);
  });

  test('list pages through _embedded.users by page number until page.totalPages', async () => {
    for (let i = 0; i < 120; i++) seed(`User${i}`, 'Agent');
    const { pages, seen } = await walkPages(engine, T, 'users', ACCOUNT, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => `User${i}`));
    expect(sim.requests.map((r) => r.url)).toEqual(['/v2/users?page=1', '/v2/users?page=2', '/v2/users?page=3']);
  });

  test('list filters by exact email and by mailbox (collection), and an empty answer has no _embedded', async () => {
    seed('Ann', 'A', { mailboxes: [1] });
    seed('Bob', 'B', { mailboxes: [2] });
    const byEmail = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'bob@acme.example' } });
    expect(byEmail.result.map((u) => u['first_name'])).toEqual(['Bob']);
    expect(sim.requests.at(-1)!.url).toBe('/v2/users?email=bob%40acme.example&page=1');
    const byMailbox = await engine.list(T, 'users', { ...ACCOUNT, query: { collection: '1' } });
    expect(byMailbox.result.map((u) => u['first_name'])).toEqual(['Ann']);
    expect(sim.requests.at(-1)!.url).toBe('/v2/users?mailbox=1&page=1');
    const none = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'nobody@acme.example' } });
    expect(none).toEqual({ result: [], next_cursor: null, result_count: 0 });
  });

  test('create, update and delete are refused without a remote call', async () => {
    const refusals = await Promise.all([
      rejection(engine.create(T, 'users', { emails: [{ email: 'new@acme.example' }] }, ACCOUNT)),
      rejection(engine.update(T, 'users', '4', { first_name: 'X' }, ACCOUNT)),
      rejection(engine.delete(T, 'users', '4', ACCOUNT)),
    ]);
    for (const refusal of refusals) expect(refusal).toMatchObject({ code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', message: expect.stringContaining('Help Scout app') });
    expect(sim.requests).toHaveLength(0);
  });

  test('Help Scout\'s own errors come back typed: bad token, invalid field, unknown id', async () => {
    const unauthorized = await rejection(engine.list(T, 'users', { integratedAccountId: 'expired-token' }));
    expect(unauthorized).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Help Scout answered 401 [invalid_token]: Invalid access token',
      remote: { status: 401, body: { error: 'invalid_token' } },
    });
    const invalid = await rejection(engine.list(T, 'users', { ...ACCOUNT, query: { email: 'not-an-email' } }));
    expect(invalid).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: 'Help Scout answered 400: Bad request: email must be a well-formed email address',
      remote: { body: { logRef: expect.any(String), _embedded: { errors: [{ path: 'email', rejectedValue: 'not-an-email' }] } } },
    });
    const unknown = await rejection(engine.get(T, 'users', '999999', ACCOUNT));
    expect(unknown).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Help Scout answered 404: Resource not found' });
  });
});
