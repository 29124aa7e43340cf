import { servicenowSimulator } from '../../engine/sandbox/providers/servicenow';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const USERNAME = 'integration.user';
const PASSWORD = 'sn-test-password-0123456789';
const TOKEN = 'sn-oauth-access-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-servicenow' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const T = 'ticketing';

const { sim, engine } = useProvider(servicenowSimulator, { username: USERNAME, password: PASSWORD, access_token: TOKEN }, (url) => [
  { id: 'acme-servicenow', integration: 'servicenow', context: { instance: 'acme', username: USERNAME, password: PASSWORD }, base_url: url },
  { id: 'oauth', integration: 'servicenow', context: { instance: 'acme', access_token: TOKEN }, base_url: url },
  { id: 'wrong-password', integration: 'servicenow', context: { instance: 'acme', username: USERNAME, password: 'not-the-password' }, base_url: url },
]);

const ada = { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com', type: 'primary' }] };
const basic = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;

describe('ServiceNow sys_user through the engine and the simulator', () => {
  test('create POSTs sys_user fields with Basic auth and maps the { result } record', async () => {
    const user = await engine.create(T, 'users', { ...ada, status: 'active', languages: ['en'] }, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/now/table/sys_user');
    expect(sent.headers['authorization']).toBe(basic);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
    expect(sent.body).toEqual({
      user_name: 'ada@example.com', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', active: 'true', preferred_language: 'en',
    });
    expect(user).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', username: 'ada@example.com',
      emails: [{ email: 'ada@example.com', type: 'primary' }], is_active: true, etag: '0',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/),
    });
    expect((user.remote_data as { active: string }).active).toBe('true');
  });

  test('a bare name is split into first and last name; an explicit username wins over the email', async () => {
    await engine.create(T, 'users', { name: 'Grace Brewster Hopper', username: 'ghopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({ user_name: 'ghopper', first_name: 'Grace', last_name: 'Brewster Hopper', email: 'grace@example.com' });
  });

  test('an OAuth access token is sent as a bearer token', async () => {
    await engine.list(T, 'users', { integratedAccountId: 'oauth' });
    expect(sim.requests[0]!.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });

  test('get reads the record back; update PATCHes only the fields given and deactivates with active "false"', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    expect(await engine.get(T, 'users', id!, ACCOUNT)).toMatchObject({ id, name: 'Ada Lovelace', is_active: true });
    const updated = await engine.update(T, 'users', id!, { last_name: 'King', status: 'inactive' }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PATCH', url: `/api/now/table/sys_user/${id}`, body: { last_name: 'King', active: 'false' } });
    expect(updated).toMatchObject({ id, name: 'Ada King', last_name: 'King', first_name: 'Ada', is_active: false, etag: '1' });
    expect(await engine.update(T, 'users', id!, { status: 'active' }, ACCOUNT)).toMatchObject({ is_active: true, etag: '2' });
  });

  test('list follows the Link header over sysparm_offset pages behind an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await engine.create(T, 'users', { first_name: name, last_name: 'Test', emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    const urls = sim.requests.map((r) => decodeURIComponent(r.url));
    expect(urls[0]).toBe('/api/now/table/sys_user?sysparm_query=ORDERBYsys_created_on&sysparm_limit=2');
    expect(urls[1]).toContain('sysparm_offset=2');
    expect(urls[2]).toContain('sysparm_offset=4');
    const all: string[] = [];
    for await (const user of engine.listAll(T, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['first_name'] as string);
    expect(all).toEqual(seen);
  });

  test('list maps the email filter to an encoded sysparm_query', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    await engine.create(T, 'users', { first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    const page = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['first_name'])).toEqual(['Grace']);
    expect(page.next_cursor).toBeNull();
    expect(decodeURIComponent(sim.requests.at(-1)!.url)).toContain('sysparm_query=email=grace@example.com^ORDERBYsys_created_on');
  });

  test('delete answers 204 and the record is gone', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    expect(await engine.delete(T, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/api/now/table/sys_user/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('ServiceNow\'s own errors come back typed: duplicate user_name, missing User ID, unknown sys_id, bad credentials', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    expect(await rejection(engine.create(T, 'users', ada, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 403, retriable: false,
      message: 'ServiceNow answered 403: Operation Failed: Error during insert of sys_user (ada@example.com)',
      remote: { status: 403, body: { status: 'failure', error: { message: 'Operation Failed' } } },
    });
    expect(await rejection(engine.create(T, 'users', { first_name: 'Nobody' }, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 403,
      message: 'ServiceNow answered 403: Operation Failed: Data Policy Exception: The following fields are mandatory: User ID',
    });
    expect(await rejection(engine.get(T, 'users', '0123456789abcdef0123456789abcdef', ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 404,
      message: "ServiceNow answered 404: No Record found: Record doesn't exist or ACL restricts the record retrieval",
    });
    const denied = await rejection(engine.list(T, 'users', { integratedAccountId: 'wrong-password' }));
    expect(denied).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'ServiceNow answered 401: User Not Authenticated: Required to provide Auth information' });
    expect(JSON.stringify(denied)).not.toContain('not-the-password');
  });

  test('unified fields sys_user cannot hold are refused rather than dropped', async () => {
    expect(await rejection(engine.create(T, 'users', { ...ada, roles: [{ name: 'owner' }] }, STRICT))).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(sim.requests).toHaveLength(0);
  });
});
