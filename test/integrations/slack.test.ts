import { slackSimulator } from '../../engine/sandbox/providers/slack';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'xoxp-slack-test-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-slack' };
const UD = 'user-directory';

const { sim, engine } = useProvider(slackSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-slack', integration: 'slack', context: { access_token: TOKEN }, base_url: url },
  { id: 'wrong-token', integration: 'slack', context: { access_token: 'xoxp-not-the-token' }, base_url: url },
]);

const ada = {
  username: 'ada',
  first_name: 'Ada',
  last_name: 'Lovelace',
  name: 'Ada Lovelace',
  title: 'Analyst',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
};


describe('Slack SCIM users through the engine and the simulator', () => {
  test('create POSTs a SCIM user with the bearer token and maps the answer', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/Users');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      displayName: 'Ada Lovelace',
      title: 'Analyst',
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      phoneNumbers: [{ value: '+44 20 7946 0000', type: 'mobile' }],
    });
    expect(user).toMatchObject({
      username: 'ada', first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace', title: 'Analyst', status: 'active',
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
      urls: [{ url: 'https://acme.slack.com/team/ada', type: 'profile' }],
    });
    expect(user.id).toMatch(/^U\d+$/);
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  });

  test('create without a username sends the primary email as userName, which Slack turns into a username', async () => {
    const user = await engine.create(UD, 'users', { emails: [{ email: 'grace@example.com' }, { email: 'g.hopper@example.com', is_primary: true }] }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'g.hopper@example.com',
      emails: [{ value: 'grace@example.com', primary: false }, { value: 'g.hopper@example.com', primary: true }],
    });
    expect(user['username']).toBe('g.hopper');
  });

  test('get reads one user; update is a SCIM PatchOp of only the fields given', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(await engine.get(UD, 'users', id!, ACCOUNT)).toMatchObject({ id, username: 'ada', status: 'active' });
    const updated = await engine.update(UD, 'users', id!, { last_name: 'King', title: 'Countess' }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      url: `/Users/${id}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: 'name.familyName', value: 'King' },
          { op: 'replace', path: 'title', value: 'Countess' },
        ],
      },
    });
    expect(updated).toMatchObject({ id, first_name: 'Ada', last_name: 'King', title: 'Countess' });
  });

  test('update status inactive sets active false, and active reactivates', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const inactive = await engine.update(UD, 'users', id!, { status: 'inactive' }, ACCOUNT);
    expect((sim.requests.at(-1)!.body as { Operations: unknown[] }).Operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
    expect(inactive['status']).toBe('inactive');
    expect((await engine.update(UD, 'users', id!, { status: 'active' }, ACCOUNT))['status']).toBe('active');
  });

  test('list pages with startIndex/count and stops on totalResults', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await engine.create(UD, 'users', { username: name, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'username');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.requests.map((r) => r.url)).toEqual(['/Users?count=2&startIndex=1', '/Users?count=2&startIndex=3', '/Users?count=2&startIndex=5']);
  });

  test('a full last page ends the list without asking for an empty one', async () => {
    for (const name of ['a', 'b', 'c', 'd']) await engine.create(UD, 'users', { username: name, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const all: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['username'] as string);
    expect(all).toEqual(['a', 'b', 'c', 'd']);
    expect(sim.requests).toHaveLength(2);
  });

  test('list maps the unified email filter to a SCIM filter', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    await engine.create(UD, 'users', { username: 'grace', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['username'])).toEqual(['grace']);
    expect(decodeURIComponent(sim.requests.at(-1)!.url)).toContain('filter=emails eq "grace@example.com"');
  });

  test('delete is Slack\'s DELETE, which deactivates: the user reads back inactive', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /Users/${id}`]);
    expect((await engine.get(UD, 'users', id!, ACCOUNT))['status']).toBe('inactive');
  });

  test('Slack\'s errors come back typed: bad token, duplicate, missing field, unknown id', async () => {
    const unauthorized = await rejection(engine.get(UD, 'users', 'U1', { integratedAccountId: 'wrong-token' }));
    expect(unauthorized).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Slack answered 401 [401]: invalid_authentication',
      remote: { status: 401, body: { Errors: { description: 'invalid_authentication', code: 401 } } },
    });

    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const duplicate = await rejection(engine.create(UD, 'users', { ...ada, username: 'ada2' }, ACCOUNT));
    expect(duplicate).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: `Slack answered 409 [409]: email_taken (existing_user=${id})` });

    // The engine refuses a create without emails before calling Slack; remote_data can still force an empty list.
    const refused = await rejection(engine.create(UD, 'users', { username: 'nobody' }, ACCOUNT));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
    const missing = await rejection(engine.create(UD, 'users', { username: 'nobody', emails: [{ email: 'n@example.com' }], remote_data: { emails: [] } }, ACCOUNT));
    expect(missing).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, remote: { body: { Errors: { description: 'missing_email', code: 400 } } } });

    const unknown = await rejection(engine.update(UD, 'users', 'U404', { title: 'x' }, ACCOUNT));
    expect(unknown).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Slack answered 404 [404]: user_not_found (id=U404)' });
  });
});
