import { jiraSimulator, newAccountId, type JiraUser } from '../../engine/sandbox/providers/jira';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const EMAIL = 'admin@acme.example';
const TOKEN = 'jira-test-api-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-jira' };
const T = 'ticketing';

const { sim, engine } = useProvider(jiraSimulator, { email: EMAIL, api_token: TOKEN }, (url) => [
  { id: 'acme-jira', integration: 'jira', context: { site: 'acme', email: EMAIL, api_token: TOKEN }, base_url: url },
  { id: 'two-products', integration: 'jira', context: { site: 'acme', email: EMAIL, api_token: TOKEN, products: 'jira-software, jira-servicedesk' }, base_url: url },
  { id: 'wrong-token', integration: 'jira', context: { site: 'acme', email: EMAIL, api_token: 'not-the-token-000' }, base_url: url },
]);


/** A user put straight into the simulated site (as if invited earlier through the UI). */
function seed(displayName: string, extra: Partial<JiraUser> = {}): JiraUser {
  const user: JiraUser = {
    accountId: newAccountId(),
    accountType: 'atlassian',
    active: true,
    displayName,
    emailAddress: `${displayName.toLowerCase().replace(/\s+/g, '.')}@acme.example`,
    products: ['jira-software'],
    groups: [{ name: 'jira-software-users-acme', groupId: '5a1c1b4e-27f4-4e1e-9a3b-2f3c1d0e0a01' }],
    ...extra,
  };
  sim.store.insert(user.accountId, user);
  return user;
}

describe('Jira users through the engine and the simulator', () => {
  test('create POSTs emailAddress and products with Basic auth and maps Jira\'s 201 answer', async () => {
    const user = await engine.create(T, 'users', { emails: [{ email: 'other@acme.example', type: 'other' }, { email: 'mia@acme.example', type: 'primary' }] }, ACCOUNT);
    expect(sim.requests).toHaveLength(1);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/rest/api/3/user');
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({ emailAddress: 'mia@acme.example', products: ['jira-software'] });
    expect(user).toMatchObject({ name: 'mia', emails: [{ email: 'mia@acme.example', type: 'primary' }], is_active: true });
    expect(user.id).toMatch(/^[0-9a-f]{24}$/);
    expect(user['avatar']).toMatch(/^https:\/\/avatar-management.*size=48/);
    expect(user['team_ids']).toBeUndefined(); // groups are listed only with expand=groups
  });

  test('the products sent come from the account context, and remote_data can replace them', async () => {
    await engine.create(T, 'users', { emails: [{ email: 'a@acme.example' }] }, { integratedAccountId: 'two-products' });
    expect(sim.requests.at(-1)!.body).toEqual({ emailAddress: 'a@acme.example', products: ['jira-software', 'jira-servicedesk'] });
    await engine.create(T, 'users', { emails: [{ email: 'b@acme.example' }], remote_data: { products: [] } }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toEqual({ emailAddress: 'b@acme.example', products: [] });
  });

  test('get asks for one accountId with expand=groups and maps groups to team_ids', async () => {
    const mia = seed('Mia Krystof', { groups: [{ name: 'jira-software-users-acme', groupId: 'g-1' }, { name: 'legacy-group', groupId: null }] });
    const user = await engine.get(T, 'users', mia.accountId, ACCOUNT);
    expect(sim.requests.map((r) => r.url)).toEqual([`/rest/api/3/user?accountId=${mia.accountId}&expand=groups`]);
    expect(user).toMatchObject({
      id: mia.accountId, name: 'Mia Krystof', is_active: true, team_ids: ['g-1', 'legacy-group'],
      emails: [{ email: 'mia.krystof@acme.example', type: 'primary' }],
    });
  });

  test('inactive accounts, app accounts and hidden emails map without inventing data', async () => {
    const bot = seed('Automation for Jira', { accountType: 'app', active: false, products: [], groups: [] });
    delete bot.emailAddress;
    const user = await engine.get(T, 'users', bot.accountId, ACCOUNT);
    expect(user).toMatchObject({ id: bot.accountId, name: 'Automation for Jira', is_active: false });
    expect(user['emails']).toBeUndefined();
    expect(user['team_ids']).toBeUndefined();
    expect((user.remote_data as { accountType: string }).accountType).toBe('app');
  });

  test('list pages with startAt/maxResults over bare arrays and stops on a short page', async () => {
    for (const name of ['Ann', 'Bob', 'Cid', 'Dee', 'Eve']) seed(name);
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['Ann', 'Bob', 'Cid', 'Dee', 'Eve']);
    expect(sim.requests.map((r) => r.url)).toEqual([
      '/rest/api/3/users/search?maxResults=2&startAt=0',
      '/rest/api/3/users/search?maxResults=2&startAt=2',
      '/rest/api/3/users/search?maxResults=2&startAt=4',
    ]);
    const all: string[] = [];
    for await (const user of engine.listAll(T, 'users', ACCOUNT)) all.push(user['name'] as string);
    expect(all).toEqual(seen);
    expect(sim.requests.at(-1)!.url).toBe('/rest/api/3/users/search?maxResults=100&startAt=0');
  });

  test('delete removes the user with DELETE ?accountId= and answers the id', async () => {
    const mia = seed('Mia');
    expect(await engine.delete(T, 'users', mia.accountId, ACCOUNT)).toEqual({ id: mia.accountId });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /rest/api/3/user?accountId=${mia.accountId}`]);
    expect(sim.store.get(mia.accountId)).toBeUndefined();
  });

  test('update is refused without a remote call: Jira cannot change users', async () => {
    const mia = seed('Mia');
    const refused = await rejection(engine.update(T, 'users', mia.accountId, { name: 'Mia K' }, ACCOUNT));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', message: expect.stringContaining('Atlassian Administration') });
    expect(sim.requests).toHaveLength(0);
  });

  test('an address that already has Jira access is answered 201 with the existing user', async () => {
    const mia = seed('Mia');
    const user = await engine.create(T, 'users', { emails: [{ email: mia.emailAddress! }] }, ACCOUNT);
    expect(user.id).toBe(mia.accountId);
    expect(sim.store.all()).toHaveLength(1);
  });

  test('Jira\'s own errors come back typed: bad token, missing field, duplicate, unknown id', async () => {
    const unauthorized = await rejection(engine.get(T, 'users', 'x', { integratedAccountId: 'wrong-token' }));
    expect(unauthorized).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 401,
      message: 'Jira answered 401: Client must be authenticated to access this resource.',
    });
    expect(JSON.stringify(unauthorized)).not.toContain(TOKEN);

    // The engine refuses a create without an email before calling Jira …
    expect(await rejection(engine.create(T, 'users', {}, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
    // … and Jira's own answer when products are missing (remote_data null overrides the mapped list).
    const noProducts = await rejection(engine.create(T, 'users', { emails: [{ email: 'n@acme.example' }], remote_data: { products: null } }, ACCOUNT));
    expect(noProducts).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400,
      message: 'Jira answered 400: You must specify the products that user can access.',
      remote: { status: 400, body: { errorMessages: ['You must specify the products that user can access.'], errors: {} } },
    });
    const noEmail = await rejection(engine.create(T, 'users', { emails: [{ email: 'n@acme.example' }], remote_data: { emailAddress: '' } }, ACCOUNT));
    expect(noEmail).toMatchObject({ status: 400, message: 'Jira answered 400: emailAddress: You must specify an email address.' });

    const noAccess = seed('Former User', { products: [], groups: [] });
    const duplicate = await rejection(engine.create(T, 'users', { emails: [{ email: noAccess.emailAddress! }] }, ACCOUNT));
    expect(duplicate).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: expect.stringContaining('already exists') });

    const unknown = await rejection(engine.get(T, 'users', '5b10ac8d82e05b22cc000000', ACCOUNT));
    expect(unknown).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 404,
      message: 'Jira answered 404: Specified user does not exist or you do not have required permissions',
    });
    expect(await rejection(engine.delete(T, 'users', '5b10ac8d82e05b22cc000000', ACCOUNT))).toMatchObject({ status: 404 });
  });
});
