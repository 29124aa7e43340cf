import { zoomSimulator } from '../../engine/sandbox/providers/zoom';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'zoom-test-access-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-zoom' };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };
const UD = 'user-directory';

const { sim, engine } = useProvider(zoomSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-zoom', integration: 'zoom', context: { access_token: TOKEN }, base_url: url },
  { id: 'wrong-token', integration: 'zoom', context: { access_token: 'zoom-expired-token' }, base_url: url },
]);

const ada = { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }], licensed_sheet_creator: true };

/** A user Zoom already shows as active (created by autoCreate). */
async function activeUser(email: string, first = 'Test'): Promise<string> {
  const { id } = await engine.create(UD, 'users', { first_name: first, emails: [{ email }] }, { ...ACCOUNT, query: { action: 'autoCreate' } });
  return id!;
}

describe('Zoom users through the engine and the simulator', () => {
  test('create POSTs action + user_info with the bearer token and maps Zoom\'s short answer', async () => {
    const user = await engine.create(UD, 'users', { ...ada, name: 'Ada L.' }, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/users');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.body).toEqual({
      action: 'create',
      user_info: { email: 'ada@example.com', type: 2, first_name: 'Ada', last_name: 'Lovelace', display_name: 'Ada L.' },
    });
    expect(user).toEqual({
      id: expect.any(String), first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace',
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }], user_type: 'licensed', is_licensed: true,
      remote_data: { id: user.id, first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', type: 2 },
    });
  });

  test('create defaults to a basic user and takes the create action from the query', async () => {
    await engine.create(UD, 'users', { emails: [{ email: 'b@example.com' }], user_type: 'basic' }, { ...ACCOUNT, query: { action: 'autoCreate' } });
    expect(sim.requests[0]!.body).toEqual({ action: 'autoCreate', user_info: { email: 'b@example.com', type: 1 } });
    await engine.create(UD, 'users', { emails: [{ email: 'c@example.com' }] }, ACCOUNT);
    expect(sim.requests[1]!.body).toEqual({ action: 'create', user_info: { email: 'c@example.com', type: 1 } });
  });

  test('get maps the full Zoom user; a pending user is invited', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const user = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(user).toMatchObject({ id, name: 'Ada Lovelace', status: 'invited', is_licensed: true, user_type: 'licensed', languages: ['en-US'], roles: [{ id: '2', name: 'Member' }], is_email_verified: false });
    expect(user['created_at']).toMatch(/Z$/);
  });

  test('update PATCHes (204), then reads the user back', async () => {
    const id = await activeUser('ada@example.com', 'Ada');
    sim.requests.length = 0;
    const user = await engine.update(UD, 'users', id, { last_name: 'King', title: 'Countess', timezone: 'Europe/London' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`PATCH /users/${id}`, `GET /users/${id}`]);
    expect(sim.requests[0]!.body).toEqual({ last_name: 'King', job_title: 'Countess', timezone: 'Europe/London' });
    expect(user).toMatchObject({ id, first_name: 'Ada', last_name: 'King', title: 'Countess', timezone: 'Europe/London', status: 'active' });
  });

  test('update status uses PUT /users/{id}/status before the PATCH', async () => {
    const id = await activeUser('ada@example.com');
    sim.requests.length = 0;
    const user = await engine.update(UD, 'users', id, { status: 'inactive' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`PUT /users/${id}/status`, `PATCH /users/${id}`, `GET /users/${id}`]);
    expect(sim.requests[0]!.body).toEqual({ action: 'deactivate' });
    expect(sim.requests[1]!.body).toEqual({});
    expect(user['status']).toBe('inactive');
    expect((await engine.update(UD, 'users', id, { status: 'active', licensed_sheet_creator: false }, ACCOUNT))).toMatchObject({ status: 'active', is_licensed: false, user_type: 'basic' });
  });

  test('update with a status Zoom cannot set fails on Zoom\'s validation before the profile changes', async () => {
    const id = await activeUser('ada@example.com');
    sim.requests.length = 0;
    const error = await rejection(engine.update(UD, 'users', id, { status: 'deleted', last_name: 'Gone' }, ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: 'Zoom answered 400 [300]: Validation Failed.: action: Invalid field.' });
    expect(sim.requests).toHaveLength(1);
  });

  test('list follows next_page_token over pages; status picks inactive or pending users', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await activeUser(`${name}@example.com`, name);
    await engine.create(UD, 'users', { first_name: 'p', emails: [{ email: 'p@example.com' }] }, ACCOUNT);
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.requests.map((r) => r.url)).toEqual([
      '/users?page_size=2',
      expect.stringMatching(/^\/users\?page_size=2&next_page_token=[\w-]+$/),
      expect.stringMatching(/^\/users\?page_size=2&next_page_token=[\w-]+$/),
    ]);
    const pending = await engine.list(UD, 'users', { ...ACCOUNT, query: { status: 'pending' } });
    expect(pending.result.map((u) => [u['first_name'], u['status']])).toEqual([['p', 'invited']]);
    expect(sim.requests.at(-1)!.url).toBe('/users?status=pending&page_size=300');
  });

  test('delete removes the user for good (action=delete); disassociate on request', async () => {
    const id = await activeUser('ada@example.com');
    const other = await activeUser('bob@example.com');
    sim.requests.length = 0;
    expect(await engine.delete(UD, 'users', id, ACCOUNT)).toEqual({ id });
    await engine.delete(UD, 'users', other, { ...ACCOUNT, query: { action: 'disassociate' } });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /users/${id}?action=delete`, `DELETE /users/${other}?action=disassociate`]);
    expect(sim.store.all()).toHaveLength(0);
  });

  test('Zoom\'s errors come back typed: bad token, duplicate, missing field, unknown id', async () => {
    const unauthorized = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-token' }));
    expect(unauthorized).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Zoom answered 401 [124]: Invalid access token.', remote: { body: { code: 124 } } });

    await engine.create(UD, 'users', ada, ACCOUNT);
    const duplicate = await rejection(engine.create(UD, 'users', ada, ACCOUNT));
    expect(duplicate).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: 'Zoom answered 409 [1005]: User already in the account: ada@example.com' });

    const missing = await rejection(engine.create(UD, 'users', { emails: [{ email: 'x@example.com' }], remote_data: { user_info: { email: '' } } }, ACCOUNT));
    expect(missing).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: 'Zoom answered 400 [300]: Validation Failed.: user_info.email: Invalid field.' });

    const unknown = await rejection(engine.get(UD, 'users', 'nobody', ACCOUNT));
    expect(unknown).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Zoom answered 404 [1001]: User does not exist: nobody.' });
  });

  test('fields Zoom cannot write are refused before any call', async () => {
    const error = await rejection(engine.update(UD, 'users', 'u1', { emails: [{ email: 'new@example.com' }] }, STRICT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(sim.requests).toHaveLength(0);
  });
});
