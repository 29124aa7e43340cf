import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createEngine, type Engine } from '../../engine';
import { startSimulator, type ProviderSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

/**
 * The definition hooks Okta does not use, exercised on a small made-up provider ("acme HR") whose simulator
 * pages with a body cursor, offsets and page numbers, answers 200 with ok:false on errors, takes form and XML bodies.
 */
const INTEGRATION = `
unimap: 1
name: acme
label: Acme HR
base_url: "https://{{ $context.host }}.example/api"
context:
  host: { required: true, pattern: "^[a-z]+$" }
  user: { required: true }
  key: { required: true, secret: true }
auth: { type: basic, username: "{{ $context.user }}", password: "{{ $context.key }}" }
pagination: { type: cursor, cursor: meta.next, cursor_param: cursor, limit_param: per_page, max_limit: 2, max_pages: 3 }
error: "{ 'message': error.text, 'code': error.kind }"
error_when: ok = false
rate_limit: { when: "$status = 403 and error.kind = 'slow_down'", retry_after_header: Retry-After, max_retries: 1 }
`;

const RESOURCE = `
unimap: 1
list:
  request: { method: GET, path: /people }
  query_params:
    collection: { required: true, collection_type: project, description: The project to list people of }
  query: "{ 'project': collection }"
  filters: []
  records: people
  response: "{ 'id': $str(id), 'name': $joinNonEmpty([first, last]), 'groups': $side.groups.names.{ 'name': $ } }"
  side_load:
    - name: groups
      run_if: $record.has_groups
      request: { method: GET, path: "/people/{{ $record.id }}/groups" }
  partial: "$count(people) > 0 and $not($exists(people[0].last))"
  response_supported: [id, name, groups]
get:
  request: { method: GET, path: "/people/{{ $params.id = 'me' ? 'me' : $segments('by-id', $params.id) }}" }
  response: "{ 'id': $str(id), 'name': first }"
  response_supported: [id, name]
create:
  request: { method: POST, path: /people }
  body_format: form
  body: "{ 'first': first_name, 'last': last_name }"
  record: person
  response: "{ 'id': $str(id), 'first_name': first, 'last_name': last }"
  required: [first_name]
  supported: [first_name, last_name]
  response_supported: [id, first_name, last_name]
update:
  request: { method: PUT, path: "/people/{{ $params.id }}" }
  body_format: xml
  body: "{ 'person': { 'first': first_name, 'active': status = 'deleted' ? $reject('Acme HR cannot delete people; use inactive') : status = 'active' } }"
  record: person
  response: "{ 'id': $str(id), 'first_name': first }"
  supported: [first_name, status]
  response_supported: [id, first_name]
delete:
  unsupported: Acme HR never deletes people; set them inactive instead.
custom:
  whoami:
    static: { id: me, name: The API user }
  offset_page:
    request: { method: GET, path: /archive }
    pagination: { type: offset, offset_param: skip, limit_param: take, start: 0, default_limit: 2, stop: { short_page: true } }
    records: items
    response: "{ 'id': $str(n) }"
`;

type Person = { id: number; first: string; last?: string; has_groups?: boolean };
const people: Person[] = [
  { id: 1, first: 'Ada', last: 'Lovelace', has_groups: true },
  { id: 2, first: 'Grace', last: 'Hopper' },
  { id: 3, first: 'Edsger', last: 'Dijkstra' },
];

const acme: ProviderSimulator = {
  name: 'acme',
  authenticate: (request) => (request.headers.authorization === `Basic ${Buffer.from('bot:k3y-secret').toString('base64')}` ? null : { status: 401, body: { ok: false, error: { kind: 'auth', text: 'bad credentials' } } }),
  contentParsers(app: FastifyInstance) {
    app.addContentTypeParser(['application/x-www-form-urlencoded', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  },
  routes(app) {
    app.get('/api/people', async (request) => {
      const query = request.query as Record<string, string>;
      if (query['project'] !== 'p1') return { ok: false, error: { kind: 'not_found', text: `no project ${query['project']}` } };
      const start = Number(query['cursor'] ?? 0);
      const size = Number(query['per_page']);
      const page = people.slice(start, start + size);
      return { ok: true, people: page, meta: { next: start + size < people.length ? String(start + size) : null } };
    });
    app.get('/api/people/:id/groups', async () => ({ names: ['admins', 'staff'] }));
    app.get('/api/people/by-id/:id', async (request) => ({ id: (request.params as { id: string }).id, first: 'X' }));
    app.post('/api/people', async (request) => ({ ok: true, person: { id: 9, ...Object.fromEntries(new URLSearchParams(String(request.body))) } }));
    app.put('/api/people/:id', async (request, reply) => reply.header('content-type', 'application/xml').send(`<person><id>${(request.params as { id: string }).id}</id><first>${/<first>(.*)<\/first>/.exec(String(request.body))?.[1]}</first></person>`));
    app.get('/api/archive', async (request) => {
      const { skip, take } = request.query as Record<string, string>;
      return { items: [{ n: 1 }, { n: 2 }, { n: 3 }].slice(Number(skip), Number(skip) + Number(take)) };
    });
  },
};

let dir: string;
let sim: RunningSimulator;
let engine: Engine;
const A = { integratedAccountId: 'acme' };
const PEOPLE = 'user-directory';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-hooks-'));
  mkdirSync(join(dir, 'acme', 'user-directory'), { recursive: true });
  writeFileSync(join(dir, 'acme', 'integration.yaml'), INTEGRATION);
  writeFileSync(join(dir, 'acme', 'user-directory', 'users.yaml'), RESOURCE);
  sim = await startSimulator(acme, {});
  engine = createEngine({ mappings: dir, accounts: [{ id: 'acme', integration: 'acme', context: { host: 'acme', user: 'bot', key: 'k3y-secret' }, base_url: `${sim.url}/api` }] });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => (sim.requests.length = 0));

test('a body cursor pages with max_limit; side_load adds per-record calls; partial flags the page', async () => {
  const first = await engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1', limit: 50 } });
  expect(first.result.map((u) => u['name'])).toEqual(['Ada Lovelace', 'Grace Hopper']);
  expect(first.result[0]!['groups']).toEqual([{ name: 'admins' }, { name: 'staff' }]);
  expect(first.result[1]).not.toHaveProperty('groups');
  expect(sim.requests.map((r) => r.url)).toEqual(['/api/people?project=p1&per_page=2', '/api/people/1/groups']);
  const second = await engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1', next_cursor: first.next_cursor! } });
  expect(second).toMatchObject({ result: [{ name: 'Edsger Dijkstra' }], next_cursor: null });
  expect(sim.requests.at(-1)!.url).toBe('/api/people?project=p1&per_page=2&cursor=2');
  expect(first).not.toHaveProperty('is_partial_response');
});

test('a required collection query parameter is named when missing', async () => {
  await expect(engine.list(PEOPLE, 'users', A)).rejects.toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS', message: expect.stringContaining('"collection" (a collection of type project)') });
});

test('error_when turns a 200 with ok:false into a remote error with the provider\'s message', async () => {
  await expect(engine.list(PEOPLE, 'users', { ...A, query: { collection: 'nope' } })).rejects.toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', message: 'Acme HR answered 200 [not_found]: no project nope', status: 502 });
});

test('static answers without a remote call', async () => {
  const outcome = await engine.call({ category: PEOPLE, resource: 'users', method: 'whoami', integratedAccountId: 'acme' });
  expect(outcome).toEqual({ kind: 'record', result: { id: 'me', name: 'The API user', remote_data: { id: 'me', name: 'The API user' } }, warnings: [] });
  expect(sim.requests).toHaveLength(0);
});

test('$segments builds several path segments from one hole, each still URL-encoded', async () => {
  await engine.get(PEOPLE, 'users', 'a/../b c', A);
  expect(sim.requests[0]!.url).toBe('/api/people/by-id/a%2F..%2Fb%20c');
});

test('form bodies are encoded; basic auth comes from the account context', async () => {
  const created = await engine.create(PEOPLE, 'users', { first_name: 'Ada', last_name: 'King' }, A);
  expect(sim.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(sim.requests[0]!.body).toBe('first=Ada&last=King');
  expect(created).toMatchObject({ id: '9', first_name: 'Ada', last_name: 'King' });
});

test('XML bodies go out as XML and come back as JSON for the mapping', async () => {
  const updated = await engine.update(PEOPLE, 'users', '7', { first_name: 'Grace' }, A);
  expect(sim.requests[0]!.body).toBe('<person><first>Grace</first><active>false</active></person>');
  expect(updated).toEqual({ id: '7', first_name: 'Grace', remote_data: { id: '7', first: 'Grace' } });
});

test('an unsupported method answers with the provider\'s reason', async () => {
  await expect(engine.delete(PEOPLE, 'users', '1', A)).rejects.toMatchObject({ code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', status: 501, message: expect.stringContaining('never deletes people') });
});

test('a custom method with offset pagination stops on a short page', async () => {
  const call = (next?: string) => engine.call({ category: PEOPLE, resource: 'users', method: 'offset_page', integratedAccountId: 'acme', query: next ? { next_cursor: next } : {} });
  const first = await call();
  expect(first).toMatchObject({ kind: 'list', result: { result: [{ id: '1' }, { id: '2' }] } });
  const next = first.kind === 'list' ? first.result.next_cursor! : '';
  expect(await call(next)).toMatchObject({ kind: 'list', result: { result: [{ id: '3' }], next_cursor: null } });
  expect(sim.requests.map((r) => r.url)).toEqual(['/api/archive?take=2&skip=0', '/api/archive?take=2&skip=2']);
});

test('the max_pages guard stops a walk that would go on', async () => {
  const many = people.length;
  for (let i = 0; i < 10; i++) people.push({ id: 100 + i, first: `P${i}`, last: 'X' });
  let cursor: string | undefined;
  let error: unknown;
  try {
    for (let page = 0; page < 10; page++) {
      const result = await engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1', ...(cursor ? { next_cursor: cursor } : {}) } });
      cursor = result.next_cursor ?? undefined;
    }
  } catch (caught) {
    error = caught;
  }
  people.length = many;
  expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_PAGINATION', message: expect.stringContaining('max_pages (3)') });
});

test('a mapping refuses a value the provider cannot take with $reject: a 400 naming the reason, nothing sent', async () => {
  await expect(engine.update(PEOPLE, 'users', '7', { status: 'deleted' }, A)).rejects.toMatchObject({ code: 'UNIMAP_E_REQ_REJECTED', status: 400, message: 'Acme HR cannot delete people; use inactive' });
  expect(sim.requests).toHaveLength(0);
});

test('a filter the integration does not declare is refused instead of ignored', async () => {
  await expect(engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1', email: 'ada@example.com' } })).rejects.toMatchObject({
    code: 'UNIMAP_E_REQ_UNSUPPORTED_FILTER', status: 400, message: 'Acme HR cannot filter user-directory/users by "email"; it filters by nothing',
  });
  expect(sim.requests).toHaveLength(0);
});

test('rate_limit.when treats a provider\'s non-429 throttling answer as a rate limit: retried, then reported', async () => {
  sim.failNext({ status: 403, headers: { 'retry-after': '0' }, body: { ok: false, error: { kind: 'slow_down', text: 'too fast' } } });
  expect((await engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1' } })).result).toHaveLength(2);
  for (let i = 0; i < 2; i++) sim.failNext({ status: 403, headers: { 'retry-after': '0' }, body: { ok: false, error: { kind: 'slow_down', text: 'too fast' } } });
  await expect(engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1' } })).rejects.toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429 });
  sim.failNext({ status: 403, body: { ok: false, error: { kind: 'forbidden', text: 'no' } } });
  await expect(engine.list(PEOPLE, 'users', { ...A, query: { collection: 'p1' } })).rejects.toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 403 });
});
