import axios from 'axios';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { readSimulatorDescription, seedRecords, simulatorFromDescription, type SimulatorDescription } from '../../engine/sandbox/describe';
import { createRateLimit } from '../../engine/sandbox/described/rate-limit';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

// A simulator built from a description (data, no provider code) behaves as the description says.
const DESCRIPTION: SimulatorDescription = {
  unimap: 1,
  resource: 'user-directory/users',
  auth: { type: 'header', header: 'X-Api-Key', value: 'key {api_key}' },
  routes: {
    list: { method: 'GET', path: '/v1/people' },
    get: { method: 'GET', path: '/v1/people/:id' },
    create: { method: 'POST', path: '/v1/people', status: 201 },
    update: { method: 'PUT', path: '/v1/people/:id' },
    delete: { method: 'DELETE', path: '/v1/people/:id', status: 204 },
  },
  envelope: { list: 'people', record: 'person', request: 'person' },
  record: {
    id: { field: 'uid', type: 'string', prefix: 'p_' },
    required: ['mail'],
    defaults: { state: 'active' },
    timestamps: { created: 'created', updated: 'modified' },
    example: { uid: 'p_1', name: 'Ada', mail: 'ada@example.com', state: 'active', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' },
  },
  pagination: { type: 'offset', offset_param: 'skip', limit_param: 'take', default_limit: 2 },
  errors: {
    unauthorized: { status: 401, body: { fault: 'bad key' } },
    not_found: { status: 404, body: { fault: 'no person {id}' } },
    invalid: { status: 400, body: { fault: '{field} missing' } },
  },
};

let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-sim-'));
  const file = join(dir, 'people.simulator.yaml');
  writeFileSync(file, stringify(DESCRIPTION));
  sim = await startSimulator(simulatorFromDescription('people', readSimulatorDescription(file)), { api_key: 'k-123' });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

const http = axios.create({ validateStatus: () => true, headers: { 'X-Api-Key': 'key k-123' } });
const url = (path: string) => `${sim.url}${path}`;

test('create, get, update, list with offset pages, delete: as described', async () => {
  const created = await http.post(url('/v1/people'), { person: { name: 'Ada', mail: 'ada@example.com', unknown: 'ignored' } });
  expect(created.status).toBe(201);
  expect(created.data).toEqual({ person: { uid: 'p_000000000001', state: 'active', name: 'Ada', mail: 'ada@example.com', created: expect.any(String), modified: expect.any(String) } });
  const id = created.data.person.uid as string;
  expect((await http.get(url(`/v1/people/${id}`))).data.person).toMatchObject({ uid: id, name: 'Ada' });
  const updated = await http.put(url(`/v1/people/${id}`), { person: { name: 'Ada King' } });
  expect(updated.data.person).toMatchObject({ name: 'Ada King', mail: 'ada@example.com' });
  await http.post(url('/v1/people'), { person: { name: 'Bob', mail: 'bob@example.com' } });
  await http.post(url('/v1/people'), { person: { name: 'Cy', mail: 'cy@example.com' } });
  expect((await http.get(url('/v1/people'))).data.people.map((p: { name: string }) => p.name)).toEqual(['Ada King', 'Bob']);
  expect((await http.get(url('/v1/people?skip=2&take=2'))).data.people.map((p: { name: string }) => p.name)).toEqual(['Cy']);
  expect((await http.delete(url(`/v1/people/${id}`))).status).toBe(204);
  expect(await http.get(url(`/v1/people/${id}`))).toMatchObject({ status: 404, data: { fault: `no person ${id}` } });
});

test('the described error answers: wrong credentials, a missing required field', async () => {
  expect(await http.get(url('/v1/people'), { headers: { 'X-Api-Key': 'key nope' } })).toMatchObject({ status: 401, data: { fault: 'bad key' } });
  expect(await http.post(url('/v1/people'), { person: { name: 'No Mail' } })).toMatchObject({ status: 400, data: { fault: 'mail missing' } });
});

test('a description that does not match the format is refused with the place at fault', () => {
  const file = join(dir, 'broken.simulator.yaml');
  writeFileSync(file, stringify({ ...DESCRIPTION, routes: { list: { method: 'FETCH', path: '/x' } } }));
  expect(() => readSimulatorDescription(file)).toThrow(/broken\.simulator\.yaml: \/routes\/list\/method must be equal to one of the allowed values/);
});

// --- the description format's pagination styles, envelopes, answers and rate limit ---

/** A running simulator for one description, closed after the test that started it. */
const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
async function serve(description: SimulatorDescription, credentials: Record<string, string> = { api_key: 'k-123' }) {
  const started = await startSimulator(simulatorFromDescription('described', description), credentials);
  running.push(started);
  return { sim: started, at: (path: string) => `${started.url}${path}` };
}
const base = (changes: Partial<SimulatorDescription>): SimulatorDescription => ({ ...DESCRIPTION, envelope: {}, pagination: { type: 'none' }, ...changes });
const seeded = async (description: SimulatorDescription, count: number, credentials?: Record<string, string>) => {
  const served = await serve(description, credentials);
  return { ...served, rows: seedRecords(description, served.sim.store, count) };
};

test('cursor pages: the next cursor at a dot path of the body, sent back in cursor_param, left out on the last page', async () => {
  const { at } = await seeded(base({
    envelope: { list: 'data.users' },
    pagination: { type: 'cursor', cursor_param: 'starting_after', limit_param: 'limit', next_cursor: 'meta.next_cursor', total: 'meta.total', default_limit: 50 },
  }), 3);
  const first = await http.get(at('/v1/people?limit=2'));
  expect(first.data).toEqual({ data: { users: [expect.objectContaining({ uid: 'p_000000000001' }), expect.objectContaining({ uid: 'p_000000000002' })] }, meta: { next_cursor: expect.any(String), total: 3 } });
  const last = await http.get(at(`/v1/people?limit=2&starting_after=${first.data.meta.next_cursor}`));
  expect(last.data).toEqual({ data: { users: [expect.objectContaining({ uid: 'p_000000000003' })] }, meta: { total: 3 } });
});

test('cursor pages: the next cursor in a response header, and a has-more flag on every page', async () => {
  const { at } = await seeded(base({
    envelope: { list: 'members' },
    pagination: { type: 'cursor', cursor_param: 'cursor', limit_param: 'per_page', next_cursor_header: 'X-Files-Cursor-Next', has_more: 'pagination.hasNext' },
  }), 2);
  const first = await http.get(at('/v1/people?per_page=1'));
  expect(first.headers['x-files-cursor-next']).toEqual(expect.any(String));
  expect(first.data.pagination).toEqual({ hasNext: true });
  const last = await http.get(at(`/v1/people?per_page=1&cursor=${first.headers['x-files-cursor-next']}`));
  expect([last.headers['x-files-cursor-next'], last.data.pagination, last.data.members.length]).toEqual([undefined, { hasNext: false }, 1]);
});

test('link pages: an RFC 8288 Link header with page numbers, or a body URL carrying a cursor', async () => {
  const withHeader = await seeded(base({ pagination: { type: 'link', limit_param: 'per_page', page_param: 'page', next_link: 'header' } }), 3);
  const first = await http.get(withHeader.at('/v1/people?per_page=2'));
  expect(first.headers['link']).toBe(`<${withHeader.sim.url}/v1/people?per_page=2&page=2>; rel="next"`);
  const last = await http.get(withHeader.at('/v1/people?per_page=2&page=2'));
  expect([last.headers['link'], last.data.length]).toEqual([undefined, 1]);

  const inBody = await seeded(base({ envelope: { jsonapi: { type: 'user' } }, pagination: { type: 'link', limit_param: 'page[size]', cursor_param: 'page[after]', next_link: 'links.next' } }), 2);
  const page = await http.get(inBody.at('/v1/people?page%5Bsize%5D=1'));
  const next = new URL(page.data.links.next as string);
  expect([next.origin, next.searchParams.get('page[size]'), page.data.data.length]).toEqual([inBody.sim.url, '1', 1]);
  const after = await http.get(page.data.links.next as string);
  expect([after.data.links, after.data.data[0].id]).toEqual([undefined, inBody.rows[1]!['uid']]);
});

test('JSON:API: resource objects in data, attributes read from data.attributes, another type refused', async () => {
  const { at } = await serve(base({ envelope: { jsonapi: { type: 'users', relationships: { roles: { data: [] } } } }, record: { ...DESCRIPTION.record, id: { field: 'id', type: 'uuid' }, example: { id: 'x', name: 'Ada', mail: 'a@example.com' } } }));
  const created = await http.post(at('/v1/people'), { data: { type: 'users', attributes: { name: 'Ada', mail: 'ada@example.com', admin: true } } });
  expect(created.data).toEqual({ data: { type: 'users', id: expect.stringMatching(/^[0-9a-f-]{36}$/), attributes: { state: 'active', name: 'Ada', mail: 'ada@example.com', created: expect.any(String), modified: expect.any(String) }, relationships: { roles: { data: [] } } } });
  const changed = await http.put(at(`/v1/people/${created.data.data.id}`), { data: { type: 'users', attributes: { name: 'Ada King' }, relationships: { roles: { data: [{ type: 'roles', id: 'r1' }] } } } });
  expect(changed.data.data).toMatchObject({ attributes: { name: 'Ada King', mail: 'ada@example.com' }, relationships: { roles: { data: [{ id: 'r1' }] } } });
  expect((await http.get(at('/v1/people'))).data).toEqual({ data: [changed.data.data] });
  expect(await http.post(at('/v1/people'), { data: { type: 'people', attributes: { mail: 'b@example.com' } } })).toMatchObject({ status: 400, data: { fault: 'type missing' } });
});

test('answers as routed: { id }, no body, a list under the route\'s envelope with fields beside it, an object', async () => {
  const { at } = await serve(base({
    envelope: { item: 'user', record: 'member' },
    routes: {
      ...DESCRIPTION.routes,
      create: { method: 'POST', path: '/v1/people', status: 200, answer: 'list', envelope: 'team.members', answer_fields: { 'team.id': '9015001' } },
      update: { method: 'PUT', path: '/v1/people/:id', answer: 'id' },
      delete: { method: 'DELETE', path: '/v1/people/:id', status: 200, answer: 'object', answer_fields: { message: "User '{id}' deleted" } },
    },
  }));
  const created = await http.post(at('/v1/people'), { name: 'Ada', mail: 'ada@example.com' });
  expect(created.data).toEqual({ team: { id: '9015001', members: [{ user: expect.objectContaining({ uid: 'p_000000000001', name: 'Ada' }) }] } });
  expect((await http.get(at('/v1/people/p_000000000001'))).data).toEqual({ member: { user: expect.objectContaining({ uid: 'p_000000000001' }) } });
  expect((await http.put(at('/v1/people/p_000000000001'), { name: 'Ada King' })).data).toEqual({ id: 'p_000000000001' });
  expect((await http.delete(at('/v1/people/p_000000000001'))).data).toEqual({ message: "User 'p_000000000001' deleted" });
});

test('ids given by the request: a body field names the record (create, and an update without :id), or the create path does', async () => {
  const byField = await serve(base({
    routes: { list: DESCRIPTION.routes.list!, create: { method: 'POST', path: '/v1/people', status: 200, answer: 'empty' }, update: { method: 'PUT', path: '/v1/people', status: 200, answer: 'empty' } },
    record: { ...DESCRIPTION.record, id: { field: 'identifier', from: 'mail' }, writable: ['mail', 'right'] },
    errors: { ...DESCRIPTION.errors, conflict: { status: 400, body: { fault: '{id} has access' } } },
  }));
  expect(await http.post(byField.at('/v1/people'), { mail: 'ada@example.com', right: 'Viewer' })).toMatchObject({ status: 200, data: '' });
  expect(await http.post(byField.at('/v1/people'), { mail: 'ada@example.com', right: 'Admin' })).toMatchObject({ status: 400, data: { fault: 'ada@example.com has access' } });
  expect(await http.post(byField.at('/v1/people'), { right: 'Admin' })).toMatchObject({ status: 400, data: { fault: 'mail missing' } });
  await http.put(byField.at('/v1/people'), { mail: 'ada@example.com', right: 'Member' });
  expect((await http.get(byField.at('/v1/people'))).data).toEqual([{ identifier: 'ada@example.com', state: 'active', mail: 'ada@example.com', right: 'Member', created: expect.any(String), modified: expect.any(String) }]);
  expect(await http.put(byField.at('/v1/people'), { mail: 'nobody@example.com', right: 'Member' })).toMatchObject({ status: 404, data: { fault: 'no person nobody@example.com' } });

  const upsert = { method: 'PUT' as const, path: '/v1/people/:id' };
  const byPath = await serve(base({ routes: { list: DESCRIPTION.routes.list!, create: upsert, update: upsert }, record: { ...DESCRIPTION.record, id: { field: 'idMember' }, required: [], writable: ['type'] } }));
  expect((await http.put(byPath.at('/v1/people/linus'), { type: 'normal' })).data).toMatchObject({ idMember: 'linus', type: 'normal' });
  await http.put(byPath.at('/v1/people/linus'), { type: 'admin' });
  expect((await http.get(byPath.at('/v1/people'))).data).toEqual([expect.objectContaining({ idMember: 'linus', type: 'admin' })]);
});

test('list filters, extra routes that change a record, several auth headers', async () => {
  const { at, rows } = await seeded(base({
    auth: { type: 'header', headers: { 'DD-API-KEY': '{api_key}', 'DD-APPLICATION-KEY': '{app_key}' } },
    filters: { email: 'mail' },
    extra_routes: [{ method: 'POST', path: '/v1/people/:id/credentials_email', writable: ['mail'], answer: 'fields' }],
  }), 2, { api_key: 'k-123', app_key: 'app-1' });
  const keys = { headers: { 'DD-API-KEY': 'k-123', 'DD-APPLICATION-KEY': 'app-1' } };
  expect((await http.get(at('/v1/people'), { headers: { 'DD-API-KEY': 'k-123' } })).status).toBe(401);
  const first = rows[0]!['uid'] as string;
  const written = await http.post(at(`/v1/people/${first}/credentials_email`), { mail: 'Grace@Example.com', other: 1 }, keys);
  expect(written).toMatchObject({ status: 200, data: { mail: 'Grace@Example.com' } });
  expect((await http.get(at('/v1/people?email=grace@example.com'), keys)).data).toEqual([expect.objectContaining({ uid: first, mail: 'Grace@Example.com' })]);
  expect(await http.post(at('/v1/people/nobody/credentials_email'), { mail: 'x' }, keys)).toMatchObject({ status: 404 });
});

test('a rate limit is counted before auth and answered with the provider\'s status, headers and body', async () => {
  const { sim, at } = await serve(base({
    rate_limit: { requests: 2, window_seconds: 60, status: 429, headers: { 'Retry-After': '{retry_after}', 'X-RateLimit-Limit': '{limit}', 'X-RateLimit-Reset': '{reset_at}' }, body: { errors: ['Rate limit of {limit} exceeded'] } },
  }));
  expect((await http.get(at('/v1/people'), { headers: { 'X-Api-Key': 'wrong' } })).status).toBe(401);
  expect((await http.get(at('/v1/people'))).status).toBe(200);
  const limited = await http.get(at('/v1/people'));
  expect(limited).toMatchObject({ status: 429, data: { errors: ['Rate limit of 2 exceeded'] }, headers: { 'x-ratelimit-limit': '2' } });
  const retryAfter = Number(limited.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  expect(sim.requests).toHaveLength(3);
});

test('a rate-limit window opens again once it has passed', () => {
  let now = 10_000;
  const budget = createRateLimit({ requests: 1, window_seconds: 1 }, () => now);
  expect(budget.take()).toBeNull();
  expect(budget.take()).toMatchObject({ status: 429, headers: {} });
  now += 1000;
  expect(budget.take()).toBeNull();
});

test('a delete that only deactivates, request fields kept under another name, defaults naming the id', async () => {
  const upsert = { method: 'PUT' as const, path: '/v1/people/:id' };
  const { at } = await serve(base({
    routes: { list: DESCRIPTION.routes.list!, create: upsert, delete: { method: 'DELETE', path: '/v1/people/:id', deactivates: { state: 'deactivated' } } },
    record: { ...DESCRIPTION.record, id: { field: 'idMember' }, required: [], writable: ['type'], stored_as: { type: 'memberType' }, defaults: { member: { id: '{id}' } } },
  }));
  expect((await http.put(at('/v1/people/linus'), { type: 'admin' })).data).toMatchObject({ idMember: 'linus', memberType: 'admin', member: { id: 'linus' } });
  expect(await http.delete(at('/v1/people/linus'))).toMatchObject({ status: 204, data: '' });
  expect((await http.get(at('/v1/people'))).data).toEqual([expect.objectContaining({ idMember: 'linus', state: 'deactivated' })]);
});
