import { gorgiasSimulator } from '../../engine/sandbox/providers/gorgias';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const EMAIL = 'api@acme.example';
const API_KEY = 'gorgias-test-api-key-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-gorgias' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const T = 'ticketing';

const { sim, engine } = useProvider(gorgiasSimulator, { email: EMAIL, api_key: API_KEY }, (url) => [
  { id: 'acme-gorgias', integration: 'gorgias', context: { domain: 'acme', email: EMAIL, api_key: API_KEY }, base_url: url },
  { id: 'wrong-key', integration: 'gorgias', context: { domain: 'acme', email: EMAIL, api_key: 'not-the-api-key' }, base_url: url },
]);

const ada = { name: 'Ada Lovelace', emails: [{ email: 'ada@example.com', type: 'primary' }], roles: [{ name: 'member' }] };

describe('Gorgias users through the engine and the simulator', () => {
  test('create POSTs email, name and role with Basic auth and maps the user', async () => {
    const user = await engine.create(T, 'users', { ...ada, languages: ['fr'], avatar: 'https://cdn.example.com/ada.png' }, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/users');
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from(`${EMAIL}:${API_KEY}`).toString('base64')}`);
    expect(sent.body).toEqual({
      email: 'ada@example.com', name: 'Ada Lovelace', role: { name: 'agent' }, language: 'fr', meta: { profile_picture_url: 'https://cdn.example.com/ada.png' },
    });
    expect(user).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace',
      emails: [{ email: 'ada@example.com', type: 'primary' }], avatar: 'https://cdn.example.com/ada.png',
      is_active: true, roles: [{ id: 'agent', name: 'member' }],
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(user['etag']).toBe((user.remote_data as { updated_datetime: string }).updated_datetime);
  });

  test('unified role names map onto Gorgias roles; a Gorgias role name given as id is kept', async () => {
    const owner = await engine.create(T, 'users', { name: 'Olive Owner', emails: [{ email: 'o@example.com' }], roles: [{ name: 'owner' }] }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toMatchObject({ role: { name: 'admin' } });
    expect(owner['roles']).toEqual([{ id: 'admin', name: 'owner' }]);
    const viewer = await engine.create(T, 'users', { first_name: 'Vic', last_name: 'Viewer', emails: [{ email: 'v@example.com' }], roles: [{ name: 'viewer' }] }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toMatchObject({ name: 'Vic Viewer', role: { name: 'observer-agent' } });
    expect(viewer['roles']).toEqual([{ id: 'observer-agent', name: 'viewer' }]);
    const lite = await engine.create(T, 'users', { name: 'Liz Lite', emails: [{ email: 'l@example.com' }], roles: [{ id: 'lite-agent', name: 'viewer' }] }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toMatchObject({ role: { name: 'lite-agent' } });
    expect(lite['roles']).toEqual([{ id: 'lite-agent', name: 'viewer' }]);
  });

  test('get reads the user back; update PUTs name and role only', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    expect(await engine.get(T, 'users', id!, ACCOUNT)).toMatchObject({ id, name: 'Ada Lovelace', roles: [{ id: 'agent', name: 'member' }] });
    const updated = await engine.update(T, 'users', id!, { name: 'Augusta Ada King', roles: [{ name: 'owner' }] }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PUT', url: `/api/users/${id}`, body: { name: 'Augusta Ada King', role: { name: 'admin' } } });
    expect(updated).toMatchObject({ id, name: 'Augusta Ada King', first_name: 'Augusta', last_name: 'Ada King', roles: [{ id: 'admin', name: 'owner' }] });
  });

  test('update refuses emails and status, which the Gorgias API cannot change this way', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await rejection(engine.update(T, 'users', id!, { emails: [{ email: 'new@example.com' }] }, STRICT))).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(await rejection(engine.update(T, 'users', id!, { status: 'inactive' }, STRICT))).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(sim.requests).toHaveLength(0);
  });

  test('list follows meta.next_cursor across pages behind an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await engine.create(T, 'users', { name: `${name} Test`, emails: [{ email: `${name}@example.com` }], roles: [{ name: 'member' }] }, ACCOUNT);
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.requests.map((r) => r.url)).toEqual([
      '/api/users?limit=2',
      expect.stringMatching(/^\/api\/users\?limit=2&cursor=[A-Za-z0-9%=]+$/),
      expect.stringMatching(/^\/api\/users\?limit=2&cursor=[A-Za-z0-9%=]+$/),
    ]);
    const all: string[] = [];
    for await (const user of engine.listAll(T, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['first_name'] as string);
    expect(all).toEqual(seen);
  });

  test('list passes the email filter through', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    await engine.create(T, 'users', { name: 'Grace Hopper', emails: [{ email: 'grace@example.com' }], roles: [{ name: 'member' }] }, ACCOUNT);
    const page = await engine.list(T, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['name'])).toEqual(['Grace Hopper']);
    expect(decodeURIComponent(sim.requests.at(-1)!.url)).toBe('/api/users?email=grace@example.com&limit=100');
  });

  test('delete answers 204 and the user is gone', async () => {
    const { id } = await engine.create(T, 'users', ada, ACCOUNT);
    expect(await engine.delete(T, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'DELETE', url: `/api/users/${id}` });
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('Gorgias\'s own errors come back typed: duplicate email, missing name, unknown id, bad API key', async () => {
    await engine.create(T, 'users', ada, ACCOUNT);
    expect(await rejection(engine.create(T, 'users', ada, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 409, retriable: false,
      message: 'Gorgias answered 409: Failed to create user: email: A user with this email address already exists.',
      remote: { status: 409, body: { error: { msg: 'Failed to create user' } } },
    });
    // No unified name or first/last name: Gorgias itself reports the missing field.
    expect(await rejection(engine.create(T, 'users', { emails: [{ email: 'x@example.com' }], roles: [{ name: 'member' }] }, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400,
      message: 'Gorgias answered 400: Failed to create user: name: Missing data for required field.',
    });
    expect(await rejection(engine.get(T, 'users', '999999', ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Gorgias answered 404: Resource not found.',
    });
    const denied = await rejection(engine.list(T, 'users', { integratedAccountId: 'wrong-key' }));
    expect(denied).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Gorgias answered 401: Unauthorized' });
    expect(JSON.stringify(denied)).not.toContain('not-the-api-key');
  });

  test('create without a role is refused before anything is sent (Gorgias requires one)', async () => {
    expect(await rejection(engine.create(T, 'users', { name: 'No Role', emails: [{ email: 'n@example.com' }] }, ACCOUNT))).toMatchObject({
      code: 'UNIMAP_E_REQ_MISSING_FIELDS', message: expect.stringContaining('"roles"'),
    });
    expect(sim.requests).toHaveLength(0);
  });
});
