import { startServer, type RunningServer, type TestProvider } from './harness';
import { jamf, okta, zendesk } from './providers';

jest.setTimeout(60_000);

/** The whole cycle through the HTTP surface, as the reference SDK drives it, on three providers' simulators. */
interface Cycle {
  provider: TestProvider;
  category: string;
  body: (i: number) => Record<string, unknown>;
  update: Record<string, unknown>;
  updated: Record<string, unknown>;
  /** Zendesk deletes softly: the user stays readable, inactive (as the real API does). */
  softDelete?: boolean;
}

const CYCLES: Cycle[] = [
  {
    provider: okta, category: 'user-directory',
    body: (i) => ({ first_name: 'Ada', last_name: `Lovelace${i}`, emails: [{ email: `ada${i}@example.com`, is_primary: true }] }),
    update: { last_name: 'King' }, updated: { last_name: 'King' },
  },
  {
    provider: zendesk, category: 'ticketing',
    body: (i) => ({ name: `Ada Lovelace${i}`, emails: [{ email: `ada${i}@example.com`, type: 'primary' }] }),
    update: { name: 'Ada King' }, updated: { name: 'Ada King' }, softDelete: true,
  },
  {
    provider: jamf, category: 'mdm',
    body: (i) => ({ name: `Ada Lovelace${i}`, emails: [{ email: `ada${i}@example.com`, is_primary: true }] }),
    update: { name: 'Ada King' }, updated: { name: 'Ada King' },
  },
];

let running: RunningServer;
const accounts = new Map<string, string>();

beforeAll(async () => {
  running = await startServer([okta, zendesk, jamf]);
  for (const { provider } of CYCLES) accounts.set(provider.name, await running.addAccount('acme', provider.name));
});
afterAll(() => running?.stop());

describe.each(CYCLES)('$provider.name over HTTP with the SDK contract', ({ provider, category, body, update, updated, softDelete }) => {
  test('create → get → update → list with a cursor loop → delete → meta', async () => {
    const sdk = running.client('acme');
    const sim = running.sims.get(provider.name)!;
    sim.store.clear();
    const options = { category, resource: 'users', integrated_account_id: accounts.get(provider.name)! };

    const created = [];
    for (let i = 0; i < 3; i++) {
      const answer = await sdk.unifiedApi.create(body(i), options);
      expect(answer.status).toBe(201);
      expect(answer.body.id).toEqual(expect.any(String));
      created.push(answer.body);
    }
    const [first] = created;

    const got = await sdk.unifiedApi.get(first.id, options);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: first.id, remote_data: expect.anything() });

    const changed = await sdk.unifiedApi.update(first.id, update, options);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: first.id, ...updated });

    sim.requests.length = 0;
    const cursor = sdk.unifiedApi.list({ ...options, limit: 2 });
    const all = await cursor.toArray();
    expect(all.map((r) => r.id).sort()).toEqual(created.map((r) => r.id).sort());
    for (const page of cursor.pages) {
      expect(page.status).toBe(200);
      expect(page.body.result_count).toBe(page.body.result.length);
    }
    // the first page is asked for with an empty next_cursor, as the SDK's cursor does
    expect(cursor.pages.length).toBe(provider.name === 'jamf-pro' ? 1 : 2); // Jamf's Classic API has no paging
    expect(cursor.pages.at(-1)!.body.next_cursor).toBeNull();

    const deleted = await sdk.unifiedApi.delete(first.id, options);
    expect(deleted).toMatchObject({ status: 200, body: { id: first.id } });
    const gone = await sdk.unifiedApi.get(first.id, options);
    if (softDelete) {
      expect(gone.body).toMatchObject({ id: first.id, is_active: false });
    } else {
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'UNIMAP_E_REMOTE_HTTP', remote: { status: 404 }, insight: expect.stringContaining('no such record') });
    }

    const meta = await sdk.unifiedApi.meta('create', options);
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ integration: provider.name, method: 'create', supported: true, schema: { type: 'object' } });
    const named = await sdk.request('GET', `/unified/${category}/users/${provider.name}/meta/create`);
    expect(named.body).toEqual(meta.body);
  });
});

describe('query options, as the SDK writes them', () => {
  const okOptions = () => ({ category: 'user-directory', resource: 'users', integrated_account_id: accounts.get('okta')! });
  let userId: string;

  beforeAll(async () => {
    const sim = running.sims.get('okta')!;
    sim.store.clear();
    const sdk = running.client('acme');
    userId = (await sdk.unifiedApi.create({ first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com', type: 'work', is_primary: true }] }, okOptions())).body.id;
    await sdk.unifiedApi.create({ first_name: 'Alan', last_name: 'Turing', emails: [{ email: 'alan@example.com' }] }, okOptions());
  });

  test('truto_response_format: normalized drops remote_data, raw is the remote body, stream pipes it with its type', async () => {
    const sdk = running.client('acme');
    const normalized = await sdk.unifiedApi.get(userId, { ...okOptions(), truto_response_format: 'normalized' });
    expect(normalized.body.remote_data).toBeUndefined();
    expect(normalized.body.id).toBe(userId);

    const raw = await sdk.unifiedApi.get(userId, { ...okOptions(), truto_response_format: 'raw' });
    expect(raw.headers.get('x-unimap-remote-status')).toBe('200');
    expect(raw.body).toMatchObject({ id: userId, profile: { firstName: 'Grace' } });
    const rawPage = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), truto_response_format: 'raw', limit: 1, next_cursor: '' });
    expect(rawPage.body).toMatchObject({ result: [{ profile: expect.any(Object) }], next_cursor: expect.any(String) });

    const stream = await sdk.unifiedApi.get(userId, { ...okOptions(), truto_response_format: 'stream' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^application\/json/);
    expect(stream.body).toMatchObject({ id: userId, profile: { lastName: 'Hopper' } });
  });

  test('truto_ignore_remote_data=true (a boolean in the query string)', async () => {
    const got = await running.client('acme').unifiedApi.get(userId, { ...okOptions(), truto_ignore_remote_data: true });
    expect(got.body).toMatchObject({ id: userId, first_name: 'Grace' });
    expect(got.body).not.toHaveProperty('remote_data');
  });

  test.each(['indices', 'brackets'] as const)('truto_exclude_fields in the %s form, also with more than 20 entries', async (arrayFormat) => {
    const sdk = running.client('acme', { arrayFormat });
    const few = await sdk.unifiedApi.get(userId, { ...okOptions(), truto_exclude_fields: ['remote_data', 'emails.type'] });
    expect(few.body).not.toHaveProperty('remote_data');
    expect(few.body.emails).toEqual([{ email: 'grace@example.com', is_primary: true }]);
    const many = [...Array.from({ length: 23 }, (_, i) => `unknown_field_${i}`), 'remote_data', 'first_name'];
    const manyAnswer = await sdk.unifiedApi.get(userId, { ...okOptions(), truto_exclude_fields: many });
    expect(manyAnswer.status).toBe(200);
    expect(manyAnswer.body).not.toHaveProperty('first_name');
    expect(manyAnswer.body).not.toHaveProperty('remote_data');
    expect(manyAnswer.body.last_name).toBe('Hopper');
  });

  test('remote_query nests as remote_query[a][b]=c and reaches the provider untouched', async () => {
    const sim = running.sims.get('okta')!;
    sim.requests.length = 0;
    const answer = await running.client('acme').unifiedApi.get(userId, { ...okOptions(), remote_query: { expand: { groups: 'true' }, extra: 'x y' } });
    expect(answer.status).toBe(200);
    const url = decodeURIComponent(sim.requests[0]!.url);
    expect(url).toContain('expand[groups]=true');
    expect(url).toContain('extra=x y');
  });

  test('limit, truto_key_by and truto_ignore_limit', async () => {
    const sim = running.sims.get('okta')!;
    const sdk = running.client('acme');
    sim.requests.length = 0;
    const page = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), limit: 1, next_cursor: '' });
    expect(page.body.result).toHaveLength(1);
    expect(sim.requests[0]!.url).toContain('limit=1');

    const keyed = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), truto_key_by: 'id', next_cursor: '' });
    expect(Object.keys(keyed.body.result)).toContain(userId);
    expect(keyed.body.result[userId]).toMatchObject({ id: userId, first_name: 'Grace' });
    expect(keyed.body.result_count).toBe(2);

    sim.requests.length = 0;
    const unlimited = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), limit: 1, truto_ignore_limit: true });
    expect(unlimited.body.result).toHaveLength(2);
    expect(sim.requests[0]!.url).not.toContain('limit=1');
  });

  test('a unified filter narrows the list; an unknown one is refused with an insight', async () => {
    const sdk = running.client('acme');
    const filtered = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), email: 'grace@example.com', next_cursor: '' });
    expect(filtered.body.result.map((u: { id: string }) => u.id)).toEqual([userId]);
    const unknown = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: accounts.get('okta'), colour: 'blue' });
    expect(unknown.body).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_REQ_INVALID_FILTER', insight: expect.stringContaining('"colour"') });
  });

  test('the write contract: a field Okta cannot write is left out and reported in X-Unimap-Warnings', async () => {
    const answer = await running.client('acme').unifiedApi.create({ first_name: 'Ada', last_name: 'Byron', emails: [{ email: 'byron@example.com' }], avatar: 'https://example.com/a.png' }, okOptions());
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.headers.get('x-unimap-warnings')!)).toEqual([{ code: 'UNIMAP_W_UNSUPPORTED_FIELD', field: 'avatar', integration: 'okta' }]);
    const line = running.logs.filter((l) => l.msg === 'request').at(-1)!;
    expect(line.warnings).toEqual([expect.objectContaining({ field: 'avatar' })]);
    const strict = await running.client('acme').unifiedApi.create({ first_name: 'Ada', last_name: 'Byron', emails: [{ email: 'b2@example.com' }], avatar: 'x' }, { ...okOptions(), truto_strict_fields: true });
    expect(strict.body).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS', insight: expect.stringContaining('"avatar"') });
  });
});

describe('meta from the definitions', () => {
  test('without an account: the unified body with which integrations support and require each field', async () => {
    const meta = await running.client('acme').request('GET', '/unified/user-directory/users/meta/create');
    expect(meta.status).toBe(200);
    expect(meta.body.schema.properties.first_name['x-supported-by']).toEqual(expect.arrayContaining(['okta', 'google-workspace']));
    expect(meta.body.integrations).toEqual(expect.arrayContaining([expect.objectContaining({ integration: 'okta', required_fields: expect.any(Array) })]));
  });

  test('for a named integration: required fields, ignored fields, response fields, query parameters; an unsupported method says why', async () => {
    const sdk = running.client('acme');
    const okta = (await sdk.request('GET', '/unified/user-directory/users/okta/meta/create')).body;
    expect(okta.schema.properties).toHaveProperty('first_name');
    expect(okta.schema.properties).not.toHaveProperty('avatar');
    expect(okta.ignored_fields).toContain('avatar');
    expect(okta.response_fields).toContain('id');
    const gitlab = (await sdk.request('GET', '/unified/ticketing/users/gitlab/meta/list')).body;
    expect(gitlab.query_schema).toMatchObject({ properties: { collection: { type: 'string', 'x-collection-type': 'project' } }, required: ['collection'] });
    const salesforce = (await sdk.request('GET', '/unified/user-directory/users/salesforce/meta/delete')).body;
    expect(salesforce).toMatchObject({ supported: false, unsupported_reason: expect.any(String) });
    expect((await sdk.request('GET', '/unified/user-directory/users/nope/meta/create')).body).toMatchObject({ statusCode: 404, code: 'UNIMAP_E_SERVER_NOT_FOUND' });
  });
});
