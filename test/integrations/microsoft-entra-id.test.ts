import { createEngine, type Engine } from '../../engine';
import { createMicrosoftEntraIdSimulator, microsoftEntraIdSimulator } from '../../engine/sandbox/providers/microsoft-entra-id';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6InRlc3QifQ.graph-test-token.0123456789';
const ACCOUNT = { integratedAccountId: 'contoso' };
const UD = 'user-directory';
const SELECT = 'id,displayName,givenName,surname,userPrincipalName,mail,otherMails,businessPhones,mobilePhone,jobTitle,preferredLanguage,accountEnabled,userType,externalUserState,createdDateTime';

const adele = {
  first_name: 'Adele',
  last_name: 'Vance',
  username: 'AdeleV@contoso.com',
  password: 'xWwvJ]6NMw+bWH-d',
  emails: [{ email: 'AdeleV@contoso.com', is_primary: true }, { email: 'adele@fabrikam.com' }],
  phones: [{ number: '+1 425 555 0109', type: 'mobile' }, { number: '+1 425 555 0100', type: 'work' }],
  title: 'Product Marketing Manager',
  languages: ['en-US'],
};

let sim: RunningSimulator;
let basic: RunningSimulator;
let engine: Engine;
beforeAll(async () => {
  sim = await startSimulator(microsoftEntraIdSimulator, { access_token: TOKEN });
  basic = await startSimulator(createMicrosoftEntraIdSimulator({ premium: false }), { access_token: TOKEN });
  engine = createEngine({
    accounts: [
      { id: 'contoso', integration: 'microsoft-entra-id', context: { access_token: TOKEN }, base_url: sim.url },
      { id: 'contoso-sign-ins', integration: 'microsoft-entra-id', context: { access_token: TOKEN, sign_in_activity: true }, base_url: sim.url },
      { id: 'basic-sign-ins', integration: 'microsoft-entra-id', context: { access_token: TOKEN, sign_in_activity: true }, base_url: basic.url },
      { id: 'wrong-token', integration: 'microsoft-entra-id', context: { access_token: 'eyJ.not-the-token.x' }, base_url: sim.url },
    ],
    maxRetryWaitMs: 2000,
  });
});
afterAll(async () => {
  await sim.close();
  await basic.close();
});
beforeEach(() => {
  sim.store.clear();
  sim.requests.length = 0;
});

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);
const urlOf = (url: string) => new URL(url, sim.url);

describe('Microsoft Entra ID users through the engine and the simulator', () => {
  test('create POSTs the user Graph requires, then reads it back with the selected fields', async () => {
    const user = await engine.create(UD, 'users', adele, ACCOUNT);
    expect(sim.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    const sent = sim.requests[0]!;
    expect(sent.url).toBe('/v1.0/users');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toEqual({
      accountEnabled: true,
      displayName: 'Adele Vance',
      givenName: 'Adele',
      surname: 'Vance',
      userPrincipalName: 'AdeleV@contoso.com',
      mailNickname: 'AdeleV',
      mail: 'AdeleV@contoso.com',
      otherMails: ['adele@fabrikam.com'],
      passwordProfile: { password: 'xWwvJ]6NMw+bWH-d' },
      businessPhones: ['+1 425 555 0100'],
      mobilePhone: '+1 425 555 0109',
      jobTitle: 'Product Marketing Manager',
      preferredLanguage: 'en-US',
    });
    const read = urlOf(sim.requests[1]!.url);
    expect(read.pathname).toBe(`/v1.0/users/${user.id}`);
    expect(read.searchParams.get('$select')).toBe(SELECT);
    expect(user).toMatchObject({
      first_name: 'Adele',
      last_name: 'Vance',
      name: 'Adele Vance',
      username: 'AdeleV@contoso.com',
      status: 'active',
      title: 'Product Marketing Manager',
      languages: ['en-US'],
      user_type: 'Member',
      emails: [
        { email: 'AdeleV@contoso.com', type: 'work', is_primary: true },
        { email: 'adele@fabrikam.com', type: 'other', is_primary: false },
      ],
      phones: [{ number: '+1 425 555 0100', type: 'work' }, { number: '+1 425 555 0109', type: 'mobile' }],
    });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(user).not.toHaveProperty('last_login_at');
    expect(JSON.stringify(user)).not.toContain('xWwvJ');
  });

  test('create derives the sign-in name from the primary email and can create a disabled user', async () => {
    const user = await engine.create(UD, 'users', { name: 'Grace Hopper', password: 'C0bol!Compiler', emails: [{ email: 'grace@contoso.com' }], status: 'inactive' }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({
      accountEnabled: false,
      displayName: 'Grace Hopper',
      userPrincipalName: 'grace@contoso.com',
      mailNickname: 'grace',
      mail: 'grace@contoso.com',
      passwordProfile: { password: 'C0bol!Compiler' },
    });
    expect(user).toMatchObject({ name: 'Grace Hopper', username: 'grace@contoso.com', status: 'inactive' });
  });

  test('create falls back to Graph\'s own answer when the new user is not readable yet', async () => {
    sim.failNext({ match: /^GET \/v1\.0\/users\//, status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'x' does not exist or one of its queried reference-property objects are not present." } } });
    const user = await engine.create(UD, 'users', adele, ACCOUNT);
    expect(sim.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
    expect(user).toMatchObject({ first_name: 'Adele', username: 'AdeleV@contoso.com', emails: [{ email: 'AdeleV@contoso.com', is_primary: true }] });
    expect(user).not.toHaveProperty('status');
    expect((user.remote_data as Record<string, unknown>)['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users/$entity');
  });

  test('get selects the fields Graph returns only on $select; signInActivity only when the account asks', async () => {
    const { id } = await engine.create(UD, 'users', adele, ACCOUNT);
    sim.store.get(id!)!['signInActivity'] = { lastSignInDateTime: '2026-02-01T08:00:00Z', lastSuccessfulSignInDateTime: '2026-02-01T08:00:00Z', lastNonInteractiveSignInDateTime: '2026-02-02T08:00:00Z' };
    const plain = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(urlOf(sim.requests.at(-1)!.url).searchParams.get('$select')).toBe(SELECT);
    expect(plain).not.toHaveProperty('last_login_at');
    const withSignIns = await engine.get(UD, 'users', id!, { integratedAccountId: 'contoso-sign-ins' });
    expect(urlOf(sim.requests.at(-1)!.url).searchParams.get('$select')).toBe(`${SELECT},signInActivity`);
    expect(withSignIns).toMatchObject({ id, last_login_at: '2026-02-01T08:00:00.000Z' });
    const byUpn = await engine.get(UD, 'users', 'AdeleV@contoso.com', ACCOUNT);
    expect(urlOf(sim.requests.at(-1)!.url).pathname).toBe('/v1.0/users/AdeleV%40contoso.com');
    expect(byUpn.id).toBe(id);
    // Without a premium licence Graph refuses any read that selects signInActivity.
    const refused = await failure(engine.list(UD, 'users', { integratedAccountId: 'basic-sign-ins' }));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 403, message: expect.stringContaining('[Authentication_RequestFromNonPremiumTenantOrB2CTenant]') });
  });

  test('update PATCHes (204), then reads the user back; status inactive disables it', async () => {
    const { id } = await engine.create(UD, 'users', adele, ACCOUNT);
    sim.requests.length = 0;
    const updated = await engine.update(UD, 'users', id!, { last_name: 'King', title: 'Director', status: 'inactive' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${urlOf(r.url).pathname}`)).toEqual([`PATCH /v1.0/users/${id}`, `GET /v1.0/users/${id}`]);
    expect(sim.requests[0]!.body).toEqual({ accountEnabled: false, surname: 'King', jobTitle: 'Director' });
    expect(updated).toMatchObject({ id, first_name: 'Adele', last_name: 'King', name: 'Adele Vance', title: 'Director', status: 'inactive' });
    const renamed = await engine.update(UD, 'users', id!, { first_name: 'Ada', last_name: 'King', status: 'active' }, ACCOUNT);
    expect(sim.requests.at(-2)!.body).toEqual({ accountEnabled: true, displayName: 'Ada King', givenName: 'Ada', surname: 'King' });
    expect(renamed).toMatchObject({ name: 'Ada King', status: 'active' });
  });

  test('list follows @odata.nextLink across pages behind an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await engine.create(UD, 'users', { name: `User ${name}`, first_name: name, password: 'Str0ng!Passw0rd', username: `${name}@contoso.com` }, ACCOUNT);
    }
    sim.requests.length = 0;
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { limit: 2, ...(cursor ? { next_cursor: cursor } : {}) } });
      seen.push(...page.result.map((u) => u['first_name'] as string));
      expect(page.result.every((u) => u['status'] === 'active' && typeof u['created_at'] === 'string')).toBe(true);
      cursor = page.next_cursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    const urls = sim.requests.map((r) => urlOf(r.url));
    expect(urls.map((u) => u.pathname)).toEqual(Array(3).fill('/v1.0/users'));
    expect(urls.map((u) => u.searchParams.get('$top'))).toEqual(['2', '2', '2']);
    expect(urls.map((u) => u.searchParams.get('$select'))).toEqual([SELECT, SELECT, SELECT]);
    expect(urls[0]!.searchParams.has('$skiptoken')).toBe(false);
    expect(urls[1]!.searchParams.get('$skiptoken')).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['first_name'] as string);
    expect(all).toEqual(seen);
  });

  test('list maps the email filter to $filter on mail and refuses updated_after', async () => {
    await engine.create(UD, 'users', adele, ACCOUNT);
    await engine.create(UD, 'users', { name: "Miles O'Brien", password: 'Str0ng!Passw0rd', emails: [{ email: "o'brien@contoso.com" }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: "o'brien@contoso.com" } });
    expect(page.result.map((u) => u['name'])).toEqual(["Miles O'Brien"]);
    expect(urlOf(sim.requests.at(-1)!.url).searchParams.get('$filter')).toBe("mail eq 'o''brien@contoso.com'");
    const error = await failure(engine.list(UD, 'users', { ...ACCOUNT, query: { updated_after: '2026-01-01T00:00:00Z' } }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FILTER', status: 400, message: expect.stringContaining('cannot filter user-directory/users by "updated_after"') });
  });

  test('delete is a DELETE answered 204', async () => {
    const { id } = await engine.create(UD, 'users', adele, ACCOUNT);
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/v1.0/users/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('Graph\'s own errors come back typed: missing property, duplicate, unknown id, bad token', async () => {
    const missing = await failure(engine.create(UD, 'users', { username: 'nobody@contoso.com', password: 'Str0ng!Passw0rd' }, ACCOUNT));
    expect(missing).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400,
      message: "Microsoft Entra ID answered 400 [Request_BadRequest]: Invalid value specified for property 'displayName' of resource 'User'.",
      remote: { status: 400, body: { error: { code: 'Request_BadRequest', innerError: { 'request-id': expect.any(String) } } } },
    });

    await engine.create(UD, 'users', adele, ACCOUNT);
    const duplicate = await failure(engine.create(UD, 'users', adele, ACCOUNT));
    expect(duplicate).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400, retriable: false,
      message: 'Microsoft Entra ID answered 400 [Request_BadRequest]: Another object with the same value for property userPrincipalName already exists.',
      remote: { body: { error: { details: [{ code: 'ObjectConflict', target: 'userPrincipalName' }] } } },
    });
    expect(JSON.stringify(duplicate)).not.toContain(TOKEN);

    const ghost = '00000000-0000-0000-0000-000000000000';
    // Calls start one at a time: a rejection left waiting would be reported as unhandled.
    for (const call of [
      () => engine.get(UD, 'users', ghost, ACCOUNT),
      () => engine.update(UD, 'users', ghost, { last_name: 'King' }, ACCOUNT),
      () => engine.delete(UD, 'users', ghost, ACCOUNT),
    ]) {
      expect(await failure(call())).toMatchObject({
        code: 'UNIMAP_E_REMOTE_HTTP', status: 404,
        message: `Microsoft Entra ID answered 404 [Request_ResourceNotFound]: Resource '${ghost}' does not exist or one of its queried reference-property objects are not present.`,
      });
    }

    const denied = await failure(engine.get(UD, 'users', ghost, { integratedAccountId: 'wrong-token' }));
    expect(denied).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 401,
      message: 'Microsoft Entra ID answered 401 [InvalidAuthenticationToken]: Access token validation failure. Invalid audience.',
    });
  });
});
