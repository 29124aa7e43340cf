import { smartsheetSimulator } from '../../engine/sandbox/providers/smartsheet';
import { rejection, useProvider } from '../helpers/provider-harness';

const TOKEN = 'smartsheet-test-token-0123456789';
const ACCOUNT = { integratedAccountId: 'acme-smartsheet' };
const UD = 'user-directory';

const { sim, engine } = useProvider(smartsheetSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-smartsheet', integration: 'smartsheet', context: { access_token: TOKEN }, base_url: `${url}/2.0` },
  { id: 'wrong-token', integration: 'smartsheet', context: { access_token: 'revoked-token-000' }, base_url: `${url}/2.0` },
]);

const ada = { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }], licensed_sheet_creator: true };

describe('Smartsheet users through the engine and the simulator', () => {
  test('create POSTs the user with sendEmail and maps the result envelope', async () => {
    const user = await engine.create(UD, 'users', { ...ada, roles: [{ name: 'Group Admin' }] }, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/2.0/users?sendEmail=true');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.body).toEqual({
      email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace',
      admin: false, licensedSheetCreator: true, groupAdmin: true, resourceViewer: false,
    });
    expect(user).toMatchObject({
      first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace', status: 'invited', is_licensed: true,
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      roles: [{ id: 'groupAdmin', name: 'Group Admin' }],
    });
    expect(user.id).toMatch(/^\d{16}$/);
    expect((user.remote_data as { id: unknown }).id).toEqual(Number(user.id));
  });

  test('create sends admin and licensedSheetCreator even when not asked (Smartsheet requires them)', async () => {
    await engine.create(UD, 'users', { name: 'Grace Brewster Hopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({ email: 'grace@example.com', firstName: 'Grace', lastName: 'Brewster Hopper', admin: false, licensedSheetCreator: false });
  });

  test('get reads the user profile', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(await engine.get(UD, 'users', id!, ACCOUNT)).toMatchObject({
      id, name: 'Ada Lovelace', timezone: 'US/Pacific', languages: ['en_US'], organizations: [{ id: '3173821341106052', name: 'Acme Corp' }],
    });
  });

  test('update reads the current flags, then PUTs them back with the change', async () => {
    const { id } = await engine.create(UD, 'users', { ...ada, roles: [{ id: 'admin' }] }, ACCOUNT);
    sim.requests.length = 0;
    const user = await engine.update(UD, 'users', id!, { last_name: 'King' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /2.0/users/${id}`, `PUT /2.0/users/${id}`]);
    expect(sim.requests[1]!.body).toEqual({ admin: true, licensedSheetCreator: true, lastName: 'King' });
    expect(user).toMatchObject({ id, first_name: 'Ada', last_name: 'King', is_licensed: true, roles: [{ id: 'admin', name: 'System Admin' }] });
    const unlicensed = await engine.update(UD, 'users', id!, { licensed_sheet_creator: false, roles: [] }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).toEqual({ admin: false, licensedSheetCreator: false, groupAdmin: false, resourceViewer: false });
    expect(unlicensed['is_licensed']).toBe(false);
    expect(unlicensed['roles']).toBeUndefined();
  });

  test('update status deactivates and reactivates through Smartsheet\'s own calls', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.store.get(id!)!['status'] = 'ACTIVE';
    sim.requests.length = 0;
    expect((await engine.update(UD, 'users', id!, { status: 'inactive' }, ACCOUNT))['status']).toBe('inactive');
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /2.0/users/${id}`, `POST /2.0/users/${id}/deactivate`, `PUT /2.0/users/${id}`]);
    sim.requests.length = 0;
    expect((await engine.update(UD, 'users', id!, { status: 'inactive' }, ACCOUNT))['status']).toBe('inactive');
    expect(sim.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    sim.requests.length = 0;
    expect((await engine.update(UD, 'users', id!, { status: 'active' }, ACCOUNT))['status']).toBe('active');
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /2.0/users/${id}`, `POST /2.0/users/${id}/reactivate`, `PUT /2.0/users/${id}`]);
  });

  test('list pages with page/pageSize and stops on totalPages (Smartsheet repeats the last page past the end)', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await engine.create(UD, 'users', { first_name: name, emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    sim.requests.length = 0;
    const seen: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) seen.push(user['first_name'] as string);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.requests.map((r) => r.url)).toEqual(['/2.0/users?include=lastLogin&pageSize=2&page=1', '/2.0/users?include=lastLogin&pageSize=2&page=2', '/2.0/users?include=lastLogin&pageSize=2&page=3']);
    const first = await engine.list(UD, 'users', { ...ACCOUNT, query: { limit: 2 } });
    expect(first).toMatchObject({ result_count: 2, next_cursor: expect.any(String) });
  });

  test('list maps the unified email filter to Smartsheet\'s email parameter', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    await engine.create(UD, 'users', { first_name: 'Grace', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['first_name'])).toEqual(['Grace']);
    expect(decodeURIComponent(sim.requests.at(-1)!.url)).toBe('/2.0/users?include=lastLogin&email=grace@example.com&pageSize=100&page=1');
  });

  test('delete removes the user from the organization', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`DELETE /2.0/users/${id}`]);
    expect(sim.store.all()).toHaveLength(0);
  });

  test('Smartsheet\'s errors come back typed: bad token, duplicate, missing field, unknown id', async () => {
    const unauthorized = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-token' }));
    expect(unauthorized).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Smartsheet answered 401 [1002]: Your Access Token is invalid.', remote: { body: { errorCode: 1002 } } });

    await engine.create(UD, 'users', ada, ACCOUNT);
    const duplicate = await rejection(engine.create(UD, 'users', ada, ACCOUNT));
    expect(duplicate).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 403, message: 'Smartsheet answered 403 [1016]: The user is already a member of your account.' });

    const missing = await rejection(engine.create(UD, 'users', { emails: [{ email: 'x@example.com' }], remote_data: { email: null } }, ACCOUNT));
    expect(missing).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: 'Smartsheet answered 400 [1012]: A required object attribute is missing from your request: user.email.' });

    const unknown = await rejection(engine.get(UD, 'users', '123', ACCOUNT));
    expect(unknown).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, message: 'Smartsheet answered 404 [1006]: Not Found.' });
    const unknownUpdate = await rejection(engine.update(UD, 'users', '123', { first_name: 'x' }, ACCOUNT));
    expect(unknownUpdate).toMatchObject({ status: 404 });
    expect(sim.requests.at(-1)!.method).toBe('GET');
  });
});
