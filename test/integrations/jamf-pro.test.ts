import { jamfProSimulator } from '../../engine/sandbox/providers/jamf-pro';
import { rejection, useProvider } from '../helpers/provider-harness';

const TOKEN = 'jamf-test-bearer-token-0123456789';
const USERNAME = 'api-user';
const PASSWORD = 'jamf-test-password-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-jamf' };
const MDM = 'mdm';

const { sim, engine } = useProvider(jamfProSimulator, { access_token: TOKEN, username: USERNAME, password: PASSWORD }, (url) => [
  { id: 'acme-jamf', integration: 'jamf-pro', context: { instance: 'acme', access_token: TOKEN }, base_url: url },
  { id: 'basic', integration: 'jamf-pro', context: { instance: 'acme', username: USERNAME, password: PASSWORD }, base_url: url },
  { id: 'expired-token', integration: 'jamf-pro', context: { instance: 'acme', access_token: 'expired-jamf-token' }, base_url: url },
]);

const ada = { name: 'Ada Lovelace', emails: [{ email: 'ada@example.com', is_primary: true }] };

describe('Jamf Pro users (Classic API, XML) through the engine and the simulator', () => {
  test('create POSTs XML to /id/0 with the bearer token, then reads the full record back', async () => {
    const user = await engine.create(MDM, 'users', ada, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /JSSResource/users/id/0', `GET /JSSResource/users/id/${user.id}`]);
    const sent = sim.requests[0]!;
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toBe('application/xml');
    expect(sent.headers['accept']).toBe('application/xml');
    expect(sent.body).toEqual({ user: { name: 'Ada Lovelace', full_name: 'Ada Lovelace', email: 'ada@example.com' } });
    expect(user).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace',
      emails: [{ email: 'ada@example.com', is_primary: true }],
      remote_data: expect.objectContaining({ id: user.id, name: 'Ada Lovelace', email_address: 'ada@example.com', ldap_server: { id: '-1', name: 'None' } }),
    });
  });

  test('the wire body is XML, escaped', async () => {
    const planned = await engine.planRequest({ category: MDM, resource: 'users', method: 'create', integratedAccountId: 'acme-jamf', body: { name: 'A & B', emails: [{ email: 'ab@example.com' }] } });
    expect(planned).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'application/xml', Authorization: 'Bearer [redacted]' } });
    expect(planned.body).toBe('<user><name>A &amp; B</name><full_name>A &amp; B</full_name><email>ab@example.com</email></user>');
    expect(sim.requests).toHaveLength(0);
  });

  test('Basic auth is used when the account holds no token', async () => {
    await engine.list(MDM, 'users', { integratedAccountId: 'basic' });
    expect(sim.requests[0]!.headers['authorization']).toBe(`Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`);
  });

  test('get maps the user\'s site to organization; update PUTs then reads back', async () => {
    const { id } = await engine.create(MDM, 'users', { ...ada, remote_data: { user: { sites: { site: { id: 1 } } } } }, ACCOUNT);
    expect(sim.requests[0]!.body).toMatchObject({ user: { sites: { site: { id: '1' } } } });
    expect(await engine.get(MDM, 'users', id!, ACCOUNT)).toMatchObject({ id, name: 'Ada Lovelace', organization: { id: '1', name: 'Paris' } });
    sim.requests.length = 0;
    const updated = await engine.update(MDM, 'users', id!, { emails: [{ email: 'ada.king@example.com' }] }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`PUT /JSSResource/users/id/${id}`, `GET /JSSResource/users/id/${id}`]);
    expect(sim.requests[0]!.body).toEqual({ user: { email: 'ada.king@example.com' } });
    expect(updated).toMatchObject({ id, name: 'Ada Lovelace', emails: [{ email: 'ada.king@example.com', is_primary: true }], organization: { id: '1', name: 'Paris' } });
    expect(await engine.update(MDM, 'users', id!, { name: 'Augusta King' }, ACCOUNT)).toMatchObject({ name: 'Augusta King', first_name: 'Augusta', last_name: 'King' });
  });

  test('list returns every user (id and name) in one unpaged call; a single user is still a list', async () => {
    expect((await engine.list(MDM, 'users', ACCOUNT)).result).toEqual([]);
    await engine.create(MDM, 'users', { name: 'only', emails: [{ email: 'only@example.com' }] }, ACCOUNT);
    const one = await engine.list(MDM, 'users', ACCOUNT);
    expect(one.result.map((u) => u['name'])).toEqual(['only']);
    for (const name of ['b', 'c', 'd']) await engine.create(MDM, 'users', { name, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const page = await engine.list(MDM, 'users', { ...ACCOUNT, query: { limit: 2 } });
    expect(page.result.map((u) => u['name'])).toEqual(['only', 'b', 'c', 'd']);
    expect(page.result[1]).toEqual({ id: expect.any(String), name: 'b', remote_data: { id: expect.any(String), name: 'b' } });
    expect(page.next_cursor).toBeNull();
    expect(sim.requests.map((r) => r.url)).toEqual(['/JSSResource/users']);
  });

  test('list with an email filter takes full records from /users/email/{email}; no match is an empty list', async () => {
    await engine.create(MDM, 'users', ada, ACCOUNT);
    await engine.create(MDM, 'users', { name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    sim.requests.length = 0;
    const page = await engine.list(MDM, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result).toEqual([expect.objectContaining({ name: 'Grace Hopper', first_name: 'Grace', emails: [{ email: 'grace@example.com', is_primary: true }] })]);
    expect(sim.requests.map((r) => decodeURIComponent(r.url))).toEqual(['/JSSResource/users/email/grace@example.com', '/JSSResource/users']);
    expect((await engine.list(MDM, 'users', { ...ACCOUNT, query: { email: 'nobody@example.com' } })).result).toEqual([]);
  });

  test('delete removes the user', async () => {
    const { id } = await engine.create(MDM, 'users', ada, ACCOUNT);
    expect(await engine.delete(MDM, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/JSSResource/users/id/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('Jamf\'s HTML status pages become typed errors with the reason: duplicate name, missing name, unknown id, bad token', async () => {
    await engine.create(MDM, 'users', ada, ACCOUNT);
    expect(await rejection(engine.create(MDM, 'users', ada, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 409, retriable: false,
      message: 'Jamf Pro answered 409 [Conflict]: Error: Duplicate name',
      remote: { status: 409, body: { html: { head: { title: 'Status page' } } } },
    });
    // The unified name is required, so the engine stops an empty one; remote_data can still send it blank.
    expect(await rejection(engine.create(MDM, 'users', { ...ada, remote_data: { user: { name: '' } } }, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: 'Jamf Pro answered 409 [Conflict]: Error: Name is required',
    });
    expect(await rejection(engine.get(MDM, 'users', '424242', ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Jamf Pro answered 404 [Not Found]: The server has not found anything matching the request URI',
    });
    expect(await rejection(engine.update(MDM, 'users', '424242', { name: 'x' }, ACCOUNT))).toMatchObject({ status: 404 });
    const denied = await rejection(engine.list(MDM, 'users', { integratedAccountId: 'expired-token' }));
    expect(denied).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Jamf Pro answered 401 [Unauthorized]: The request requires user authentication' });
    expect(JSON.stringify(denied)).not.toContain('expired-jamf-token');
  });

  test('an error body that does not parse (so arrives as text) still yields its reason', async () => {
    // Text before the markup (as some proxies add) makes the body unparseable; the mapping then cuts the paragraphs out.
    sim.failNext({ status: 409, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: 'Status page\n<p style="font-weight: bold;">Conflict</p>\n<p>Error: Unable to update the database</p>\n' });
    expect(await rejection(engine.get(MDM, 'users', '1', ACCOUNT))).toMatchObject({
      status: 409, message: 'Jamf Pro answered 409 [Conflict]: Error: Unable to update the database',
    });
  });

  test('create requires a name and an email before anything is sent', async () => {
    expect(await rejection(engine.create(MDM, 'users', { name: 'No Mail' }, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS', message: expect.stringContaining('"emails"') });
    expect(sim.requests).toHaveLength(0);
  });
});
