import { walkPages } from '../helpers/provider-harness';
import { ACCOUNT, ada, useOkta } from '../helpers/okta-fixture';

const { sim, engine } = useOkta();

const UD = 'user-directory';

describe('Okta users through the engine and the simulator', () => {
  test('create sends Okta\'s profile shape with the SSWS token and returns the unified user', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v1/users?activate=true');
    expect(sent.headers['authorization']).toBe('SSWS okta-test-token-0123456789');
    expect(sent.body).toEqual({
      profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com', mobilePhone: '+44 20 7946 0000' },
    });
    expect(user).toMatchObject({
      first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace', username: 'ada@example.com', status: 'invited',
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
    });
    expect(typeof user.id).toBe('string');
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((user.remote_data as { status: string }).status).toBe('PROVISIONED');
  });

  test('update is a partial POST and get reads the change back', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const updated = await engine.update(UD, 'users', id!, { last_name: 'King', username: 'ada.king' }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', url: `/api/v1/users/${id}`, body: { profile: { lastName: 'King', login: 'ada.king' } } });
    expect(updated).toMatchObject({ id, last_name: 'King', first_name: 'Ada', username: 'ada.king', name: 'Ada King' });
    expect(await engine.get(UD, 'users', id!, ACCOUNT)).toMatchObject({ id, last_name: 'King' });
  });

  test('update with a status runs Okta\'s lifecycle operation and returns the record read back', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.store.get(id!)!['status'] = 'ACTIVE';
    sim.requests.length = 0;
    const suspended = await engine.update(UD, 'users', id!, { status: 'inactive' }, ACCOUNT);
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST /api/v1/users/${id}`,
      `POST /api/v1/users/${id}/lifecycle/suspend`,
      `GET /api/v1/users/${id}`,
    ]);
    expect(suspended).toMatchObject({ id, status: 'inactive' });
    expect(await engine.update(UD, 'users', id!, { status: 'active' }, ACCOUNT)).toMatchObject({ status: 'active' });
    expect(await engine.update(UD, 'users', id!, { status: 'deleted' }, ACCOUNT)).toMatchObject({ status: 'deleted' });
    sim.requests.length = 0;
    expect(await engine.update(UD, 'users', id!, { first_name: 'Augusta' }, ACCOUNT)).toMatchObject({ first_name: 'Augusta', status: 'deleted' });
    expect(sim.requests).toHaveLength(1); // no status asked: no lifecycle call, no read-back
  });

  test('an account\'s own overrides change its calls only', async () => {
    const CUSTOM = { integratedAccountId: 'custom-okta' };
    const { id } = await engine.create(UD, 'users', ada, CUSTOM);
    expect(sim.requests[0]!.body).toMatchObject({ profile: { firstName: 'Ada', lastName: 'Lovelace', costCenter: 'CC-LOVELACE' } });
    expect(await engine.get(UD, 'users', id!, CUSTOM)).toMatchObject({ id, cost_center: 'CC-LOVELACE', first_name: 'ADA', last_name: 'Lovelace' });
    expect((await engine.list(UD, 'users', CUSTOM)).result[0]).toMatchObject({ cost_center: 'CC-LOVELACE', first_name: 'Ada' });
    const plain = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(plain).not.toHaveProperty('cost_center');
    expect(plain['first_name']).toBe('Ada');
    await engine.create(UD, 'users', { ...ada, emails: [{ email: 'other@example.com' }] }, ACCOUNT);
    expect(sim.requests.at(-1)!.body).not.toHaveProperty('profile.costCenter');
    await expect(engine.get(UD, 'users', id!, { integratedAccountId: 'broken-override' })).rejects.toMatchObject({
      code: 'UNIMAP_E_DEF_JSONATA', message: expect.stringMatching(/^account "broken-override" override user-directory\/users get response: JSONata S0\d{3}/),
    });
  });

  test('list follows Okta\'s Link header across pages behind an opaque cursor', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await engine.create(UD, 'users', { first_name: name, last_name: 'Test', emails: [{ email: `${name}@example.com` }] }, ACCOUNT);
    }
    const { pages, seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 2 } }, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sim.requests.filter((r) => r.method === 'GET').map((r) => r.url)).toEqual([
      '/api/v1/users?limit=2',
      expect.stringMatching(/^\/api\/v1\/users\?after=00u\d+&limit=2$/),
      expect.stringMatching(/^\/api\/v1\/users\?after=00u\d+&limit=2$/),
    ]);
    const all: string[] = [];
    for await (const user of engine.listAll(UD, 'users', { ...ACCOUNT, query: { limit: 2 } })) all.push(user['first_name'] as string);
    expect(all).toEqual(seen);
  });

  test('list maps the unified email filter to an Okta search expression', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    await engine.create(UD, 'users', { first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com' }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } });
    expect(page.result.map((u) => u['first_name'])).toEqual(['Grace']);
    expect(decodeURIComponent(sim.requests.at(-1)!.url)).toContain('search=profile.email eq "grace@example.com"');
  });

  test('delete deactivates first, then deletes, as Okta requires', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    expect(await engine.delete(UD, 'users', id!, ACCOUNT)).toEqual({ id });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/v1/users/${id}`,
      `POST /api/v1/users/${id}/lifecycle/deactivate`,
      `DELETE /api/v1/users/${id}`,
    ]);
    expect(sim.store.get(id!)).toBeUndefined();
  });

  test('delete skips the deactivation of an already deprovisioned user (run_if)', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.store.get(id!)!['status'] = 'DEPROVISIONED';
    sim.requests.length = 0;
    await engine.delete(UD, 'users', id!, ACCOUNT);
    expect(sim.requests.map((r) => r.method)).toEqual(['GET', 'DELETE']);
  });

  test('Okta\'s own errors come back typed, with the remote status and body', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    const duplicate = await engine.create(UD, 'users', ada, ACCOUNT).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP', status: 400, retriable: false,
      message: 'Okta answered 400 [E0000001]: Api validation failed: login: login: An object with this field already exists in the current organization',
      remote: { status: 400, body: { errorCode: 'E0000001' } },
    });
    const missing = await engine.get(UD, 'users', '00unknown', ACCOUNT).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, remote: { status: 404, body: { errorCode: 'E0000007' } } });
    const blank = await engine.create(UD, 'users', { first_name: 'Only' }, ACCOUNT).catch((e: unknown) => e);
    expect(blank).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: expect.stringContaining('lastName: The field cannot be left blank') });
  });
});
