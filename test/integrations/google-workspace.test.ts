import { googleWorkspaceSimulator } from '../../engine/sandbox/providers/google-workspace';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'ya29.google-test-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-google' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const UD = 'user-directory';

const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  password: 'Analytical-Engine-1843',
  emails: [{ email: 'ada@example.com', is_primary: true }, { email: 'ada@home.example', type: 'home' }],
};

const { sim, engine } = useProvider(googleWorkspaceSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-google', integration: 'google-workspace', context: { access_token: TOKEN }, base_url: url },
  { id: 'acme-domain', integration: 'google-workspace', context: { access_token: TOKEN, domain: 'example.com' }, base_url: url },
  { id: 'wrong-token', integration: 'google-workspace', context: { access_token: 'ya29.not-the-token' }, base_url: url },
]);


describe('Google Workspace users through the engine and the simulator', () => {
  test('create sends users.insert with the bearer token and returns the unified user', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(sim.requests).toHaveLength(1);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/admin/directory/v1/users');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toEqual({
      primaryEmail: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      password: 'Analytical-Engine-1843',
      emails: [
        { address: 'ada@example.com', primary: true },
        { address: 'ada@home.example', type: 'home' },
      ],
    });
    expect(user).toMatchObject({
      first_name: 'Ada',
      last_name: 'Lovelace',
      name: 'Ada Lovelace',
      status: 'active',
      is_2fa_enabled: false,
      emails: [
        { email: 'ada@example.com', type: 'work', is_primary: true },
        { email: 'ada@home.example', type: 'home', is_primary: false },
      ],
    });
    expect(user.id).toMatch(/^\d{21}$/);
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // A user who never signed in has lastLoginTime 1970-01-01T00:00:00.000Z: no last_login_at.
    expect(user).not.toHaveProperty('last_login_at');
    expect((user.remote_data as { lastLoginTime: string }).lastLoginTime).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(user)).not.toContain('Analytical-Engine');
  });

  test('create refuses fields Google does not take at insert, and demands the required ones', async () => {
    expect(await rejection(engine.create(UD, 'users', { ...ada, timezone: 'Europe/London' }, STRICT))).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(await rejection(engine.create(UD, 'users', { first_name: 'Ada', emails: ada.emails }, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REQ_MISSING_FIELDS',
      message: expect.stringContaining('"password", "last_name"'),
    });
    expect(sim.requests).toHaveLength(0);
  });

  test('create writes phones, languages, the title and a suspended status; an update of the title keeps the other organizations', async () => {
    const user = await engine.create(UD, 'users', {
      ...ada, phones: [{ number: '+1 650 555 0100', type: 'mobile' }], languages: ['en'], title: 'Analyst', status: 'inactive',
    }, ACCOUNT);
    expect(sim.requests[0]!.body).toMatchObject({
      phones: [{ value: '+1 650 555 0100', type: 'mobile' }], languages: [{ languageCode: 'en' }],
      organizations: [{ title: 'Analyst', primary: true }], suspended: true,
    });
    expect(user).toMatchObject({ title: 'Analyst', status: 'inactive', phones: [{ number: '+1 650 555 0100', type: 'mobile' }], languages: ['en'] });
    sim.store.get(user.id!)!['organizations'] = [{ name: 'Acme', title: 'Analyst', department: 'Research', primary: true }, { name: 'Club', title: 'Treasurer' }];
    sim.requests.length = 0;
    const updated = await engine.update(UD, 'users', user.id!, { title: 'Senior Analyst' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /admin/directory/v1/users/${user.id}`, `PUT /admin/directory/v1/users/${user.id}`]);
    expect(sim.requests[1]!.body).toEqual({ organizations: [{ name: 'Acme', title: 'Senior Analyst', department: 'Research', primary: true }, { name: 'Club', title: 'Treasurer' }] });
    expect(updated).toMatchObject({ title: 'Senior Analyst' });
  });

  test('get reads a user by id or by primary email', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.store.get(id!)!['isEnrolledIn2Sv'] = true;
    sim.store.get(id!)!['lastLoginTime'] = '2026-03-01T09:30:00.000Z';
    sim.store.get(id!)!['thumbnailPhotoUrl'] = 'https://lh3.googleusercontent.com/a/ada=s96-c';
    sim.store.get(id!)!['languages'] = [{ languageCode: 'en', preference: 'preferred' }, { customLanguage: 'Analytical' }];
    const byId = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', url: `/admin/directory/v1/users/${id}` });
    expect(byId).toMatchObject({ id, is_2fa_enabled: true, last_login_at: '2026-03-01T09:30:00.000Z', avatar: 'https://lh3.googleusercontent.com/a/ada=s96-c', languages: ['en', 'Analytical'] });
    const byEmail = await engine.get(UD, 'users', 'ada@example.com', ACCOUNT);
    expect(sim.requests.at(-1)!.url).toBe('/admin/directory/v1/users/ada%40example.com');
    expect(byEmail.id).toBe(id);
  });

  test('update is a PUT with patch semantics; status inactive suspends and active unsuspends', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const suspended = await engine.update(UD, 'users', id!, { last_name: 'King', status: 'inactive' }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PUT', url: `/admin/directory/v1/users/${id}`, body: { name: { familyName: 'King' }, suspended: true } });
    expect(suspended).toMatchObject({ id, first_name: 'Ada', last_name: 'King', name: 'Ada King', status: 'inactive' });
    const active = await engine.update(UD, 'users', id!, {
      status: 'active',
      phones: [{ number: '+1 650 555 0100', type: 'mobile' }, { number: '+1 650 555 0101' }],
      languages: ['fr'],
    }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toEqual({
      suspended: false,
      phones: [{ value: '+1 650 555 0100', type: 'mobile' }, { value: '+1 650 555 0101', type: 'work' }],
      languages: [{ languageCode: 'fr' }],
    });
    expect(active).toMatchObject({
      status: 'active',
      phones: [{ number: '+1 650 555 0100', type: 'mobile' }, { number: '+1 650 555 0101', type: 'work' }],
      languages: ['fr'],
    });
    expect(await engine.get(UD, 'users', id!, ACCOUNT)).toMatchObject({ last_name: 'King', status: 'active' });
  });

  test('update cannot set statuses Google has no equivalent for', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const error = await rejection(engine.update(UD, 'users', id!, { status: 'invited' }, ACCOUNT));
    expect(error).toMatchObject({ message: expect.stringContaining('active or inactive (suspended) only') });
    expect(sim.requests.at(-1)!.method).toBe('POST');
  });

  test('list walks nextPageToken pages behind an opaque cursor, for my_customer', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await engine.create(UD, 'users', { first_name: name, last_name: 'Test', password: 'Secret-Password-1', emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    }
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    const urls = sim.requests.map((r) => new URL(r.url, sim.url));
    expect(urls.map((u) => u.pathname)).toEqual(Array(3).fill('/admin/directory/v1/users'));
    expect(urls.map((u) => u.searchParams.get('customer'))).toEqual(['my_customer', 'my_customer', 'my_customer']);
    expect(urls.map((u) => u.searchParams.get('maxResults'))).toEqual(['2', '2', '2']);
    expect(urls[0]!.searchParams.has('pageToken')).toBe(false);
    expect(urls[1]!.searchParams.get('pageToken')).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['first_name'] as string);
    expect(all).toEqual(seen);
  });

  test('list uses the domain of the account when set, and maps the email filter to a Google search', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    await engine.create(UD, 'users', { first_name: 'Grace', last_name: 'Hopper', password: 'Cobol-Compiler-1959', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { integratedAccountId: 'acme-domain', query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['first_name'])).toEqual(['Grace']);
    const url = new URL(sim.requests.at(-1)!.url, sim.url);
    expect(url.searchParams.get('domain')).toBe('example.com');
    expect(url.searchParams.has('customer')).toBe(false);
    expect(url.searchParams.get('query')).toBe("email='grace@example.com'");
    const empty = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'nobody@example.com' } });
    expect(empty).toMatchObject({ result: [], next_cursor: null, result_count: 0 });
  });

  test('list refuses updated_after, which the Directory API cannot filter on', async () => {
    const error = await rejection(engine.list(UD, 'users', { ...ACCOUNT, query: { updated_after: '2026-01-01T00:00:00Z' } }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FILTER', status: 400, message: expect.stringContaining('cannot filter user-directory/users by "updated_after"') });
    expect(sim.requests).toHaveLength(0);
  });

  test('delete is a DELETE answered 204', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/admin/directory/v1/users/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('Google\'s own errors come back typed: missing field, duplicate, unknown id, bad token', async () => {
    // No primaryEmail: the unified lists do not require emails, Google does.
    const missing = await rejection(engine.create(UD, 'users', { first_name: 'Ada', last_name: 'Lovelace', password: 'Analytical-Engine-1843' }, ACCOUNT));
    expect(missing).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400,
      message: 'Google Workspace answered 400 [invalid]: Invalid Input: primary_user_email',
      remote: { status: 400, body: { error: { code: 400, errors: [{ reason: 'invalid' }] } } },
    });

    await engine.create(UD, 'users', ada, ACCOUNT);
    const duplicate = await rejection(engine.create(UD, 'users', ada, ACCOUNT));
    expect(duplicate).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 409, retriable: false,
      message: 'Google Workspace answered 409 [duplicate]: Entity already exists.',
      remote: { status: 409, body: { error: { code: 409, message: 'Entity already exists.', errors: [{ domain: 'global', reason: 'duplicate' }] } } },
    });
    expect(JSON.stringify(duplicate)).not.toContain(TOKEN);

    // Calls start one at a time: a rejection left waiting would be reported as unhandled.
    for (const call of [
      () => engine.get(UD, 'users', '999999999999999999999', ACCOUNT),
      () => engine.update(UD, 'users', '999999999999999999999', { last_name: 'King' }, ACCOUNT),
      () => engine.delete(UD, 'users', '999999999999999999999', ACCOUNT),
    ]) {
      expect(await rejection(call())).toMatchObject({
        code: 'UNIMAP_E_REMOTE_HTTP', status: 404,
        message: 'Google Workspace answered 404 [notFound]: Resource Not Found: userKey',
        remote: { status: 404, body: { error: { code: 404, errors: [{ reason: 'notFound' }] } } },
      });
    }

    const denied = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-token' }));
    expect(denied).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 401,
      message: expect.stringContaining('Google Workspace answered 401 [authError]: Request had invalid authentication credentials.'),
    });
  });
});
