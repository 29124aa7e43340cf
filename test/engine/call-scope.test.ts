import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../../engine';
import { rejection } from '../helpers/provider-harness';
import { startScriptedServer, type ScriptedServer, type SeenRequest } from '../security/scripted-server';

/**
 * Every hook kind of a definition reads $context, $params and $query (and $status/$headers where an answer exists):
 * templates, steps, side loads, error, error_when, rate_limit.when, pagination, records, partial, the response
 * mapping and an account override. A made-up provider echoes what it was asked, so each value's arrival shows.
 */
const INTEGRATION = `
unimap: 1
name: probe
label: Probe
base_url: "https://{{ $context.host }}.example/api"
context:
  host: { required: true, pattern: "^[a-z]+$" }
  tenant: { required: true }
  key: { required: true, secret: true }
auth: { type: header, headers: { Authorization: "Bearer {{ $context.key }}" } }
headers: { X-Tenant: "{{ $context.tenant }}" }
pagination:
  type: cursor
  cursor: "$context.tenant & ':' & $query.team & ':' & $string($status) & ':' & next"
  cursor_param: cursor
  stop: { has_more: "$context.tenant = 't1' and $query.team = 'blue' and $headers.'x-more' = 'yes'" }
error: "{ 'message': $join([$context.tenant, $params.id, $query.team, $string($status), $headers.'x-reason'], '|') }"
error_when: "$context.tenant = 't1' and $params.id = 'e1' and ok = false"
rate_limit: { when: "$status = 400 and $query.team = 'slow' and $context.tenant = 't1'", max_retries: 0 }
`;

const RESOURCE = `
unimap: 1
list:
  request: { method: GET, path: "/teams/{{ $query.team }}/people", headers: { X-Probe: "{{ $context.tenant }}-{{ $query.team }}" } }
  query_params: { team: { required: true, description: The team to list } }
  filters: []
  records: "$context.tenant = 't1' and $query.team = 'blue' ? people"
  partial: "$query.team = 'blue' and $context.tenant = 't1' and $status = 200"
  response: "{ 'id': $str(id), 'name': $join([$context.tenant, $query.team, $string($status), $side.extra.label, $string($record.id)], '/') }"
  side_load:
    - name: extra
      run_if: "$context.tenant = 't1' and $query.team = 'blue'"
      request: { method: GET, path: "/extra/{{ $record.id }}", query: { team: "{{ $query.team }}" } }
get:
  query_params: { team: { description: A team } }
  before:
    - name: lookup
      run_if: "$params.id = 'p1' and $context.tenant = 't1' and $query.team = 'blue'"
      request: { method: GET, path: "/lookup/{{ $params.id }}", query: { t: "{{ $context.tenant }}" } }
  request: { method: GET, path: "/people/{{ $params.id }}" }
  response: "{ 'id': $params.id, 'name': $join([$context.tenant, $params.id, $query.team, $steps.lookup.body.label, $headers.'x-h'], '/') }"
create:
  # An invitation replaces the main request: a before step that takes remote_data, and a main request with run_if.
  before:
    - name: invite
      run_if: "$body.status = 'invited'"
      remote_data: true
      request: { method: POST, path: /invitations }
      body: "{ 'email': $primaryEmail(emails) }"
  run_if: "$not($exists($steps.invite))"
  request: { method: POST, path: /people }
  body: "{ 'name': first_name, 'email': $primaryEmail(emails) }"
  response_from: invite
  response: "{ 'id': $str(id), 'first_name': name }"
  supported: [first_name, emails, status]
delete:
  run_if: "$params.id != 'gone'"
  request: { method: DELETE, path: "/people/{{ $params.id }}" }
`;

const OVERRIDES = { 'user-directory/users': { get: { response: "{ 'note': $join([$context.tenant, $params.id, $query.team, $string($status)], '+') }" } } };

let dir = '';
let server: ScriptedServer;
let engine: Engine;

function answer(seen: SeenRequest): { status: number; headers: Record<string, string>; body: string } {
  const json = { 'content-type': 'application/json' };
  const path = new URL(seen.url, 'http://x').pathname;
  if (path === '/api/teams/blue/people' && seen.url.includes('cursor=')) return { status: 200, headers: { ...json, 'x-more': 'no' }, body: JSON.stringify({ people: [{ id: 2 }], next: 'n3' }) };
  if (path === '/api/teams/blue/people') return { status: 200, headers: { ...json, 'x-more': 'yes' }, body: JSON.stringify({ people: [{ id: 1 }], next: 'n2' }) };
  if (path === '/api/extra/2') return { status: 200, headers: json, body: JSON.stringify({ label: 'L2' }) };
  if (path === '/api/extra/1') return { status: 200, headers: json, body: JSON.stringify({ label: 'L1' }) };
  if (path === '/api/lookup/p1') return { status: 200, headers: json, body: JSON.stringify({ label: 'LK' }) };
  if (path === '/api/people/p1') return { status: 200, headers: { ...json, 'x-h': 'H' }, body: JSON.stringify({ id: 'p1' }) };
  if (path === '/api/people/e1') return { status: 200, headers: { ...json, 'x-reason': 'soft' }, body: JSON.stringify({ ok: false }) };
  if (path === '/api/people/s1') return { status: 400, headers: json, body: '{}' };
  if (path === '/api/people/h1') return { status: 401, headers: { 'x-reason': 'expired' }, body: '' };
  if (path === '/api/invitations') return { status: 201, headers: json, body: JSON.stringify({ id: 'inv1', name: 'invited' }) };
  if (path === '/api/people' && seen.method === 'POST') return { status: 201, headers: json, body: JSON.stringify({ id: 9, name: JSON.parse(seen.body).name }) };
  if (seen.method === 'DELETE') return { status: 204, headers: {}, body: '' };
  return { status: 404, headers: json, body: '{}' };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-scope-'));
  mkdirSync(join(dir, 'probe', 'user-directory'), { recursive: true });
  writeFileSync(join(dir, 'probe', 'integration.yaml'), INTEGRATION);
  writeFileSync(join(dir, 'probe', 'user-directory', 'users.yaml'), RESOURCE);
  server = await startScriptedServer(answer);
  engine = createEngine({
    mappings: dir,
    accounts: [{ id: 'probe', integration: 'probe', context: { host: 'acme', tenant: 't1', key: 'probe-secret-key' }, base_url: `${server.url}/api`, overrides: OVERRIDES }],
    maxRetryWaitMs: 0,
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
});

const probe = (query: Record<string, unknown>) => ({ integratedAccountId: 'probe', query });

test('templates, side loads, records, partial and pagination see $context, $query, $status and $headers', async () => {
  const page = await engine.list('user-directory', 'users', probe({ team: 'blue', truto_ignore_remote_data: true }));
  expect(page.result).toEqual([{ id: '1', name: 't1/blue/200/L1/1' }]);
  expect(page.is_partial_response).toBe(true);
  const [list, side] = server.requests;
  expect(list!.headers['x-tenant']).toBe('t1');
  expect(list!.headers['x-probe']).toBe('t1-blue');
  expect(side!.url).toBe('/api/extra/1?team=blue');

  server.requests.length = 0;
  const last = await engine.list('user-directory', 'users', probe({ team: 'blue', next_cursor: page.next_cursor, truto_ignore_remote_data: true }));
  expect(new URL(server.requests[0]!.url, 'http://x').searchParams.get('cursor')).toBe('t1:blue:200:n2');
  // has_more read $headers: the provider said there is no more
  expect(last).toMatchObject({ result: [{ id: '2', name: 't1/blue/200/L2/2' }], next_cursor: null });
});

test('steps, the response mapping and an account override see $context, $params, $query, $steps and $headers', async () => {
  const user = await engine.get('user-directory', 'users', 'p1', probe({ team: 'blue' }));
  expect(user).toMatchObject({ id: 'p1', name: 't1/p1/blue/LK/H', note: 't1+p1+blue+200' });
  expect(server.requests.map((r) => r.url)).toEqual(['/api/lookup/p1?t=t1', '/api/people/p1']);
});

test('error_when and the error mapping see $context, $params, $query, $status and $headers', async () => {
  const error = await rejection(engine.get('user-directory', 'users', 'e1', probe({ team: 'blue' })));
  expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', message: 'Probe answered 200: t1|e1|blue|200|soft' });
});

test('the error mapping runs on an empty failed answer, so a reason given only in a header is reported', async () => {
  const error = await rejection(engine.get('user-directory', 'users', 'h1', probe({ team: 'red' })));
  expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Probe answered 401: t1|h1|red|401|expired' });
});

test('rate_limit.when sees $query and $context', async () => {
  expect(await rejection(engine.get('user-directory', 'users', 's1', probe({ team: 'slow' })))).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED' });
  expect(await rejection(engine.get('user-directory', 'users', 's1', probe({ team: 'fast' })))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400 });
});

test('base_url reads $context', async () => {
  const noBase = createEngine({ mappings: engine.registry, accounts: [{ id: 'p', integration: 'probe', context: { host: 'globex', tenant: 't2', key: 'k-123456' } }] });
  const request = await noBase.planRequest({ category: 'user-directory', resource: 'users', method: 'get', id: 'x', integratedAccountId: 'p' });
  expect(request.url).toBe('https://globex.example/api/people/x');
});

test('a failing error mapping is a definition error at its file:line, carrying the remote answer', async () => {
  const broken = INTEGRATION.replace(/^error: .*$/m, 'error: "$number($headers.\'x-reason\')"');
  const brokenDir = mkdtempSync(join(tmpdir(), 'unimap-scope-broken-'));
  try {
    mkdirSync(join(brokenDir, 'probe', 'user-directory'), { recursive: true });
    writeFileSync(join(brokenDir, 'probe', 'integration.yaml'), broken);
    writeFileSync(join(brokenDir, 'probe', 'user-directory', 'users.yaml'), RESOURCE);
    const withBroken = createEngine({ mappings: brokenDir, accounts: [{ id: 'probe', integration: 'probe', context: { host: 'acme', tenant: 't1', key: 'probe-secret-key' }, base_url: `${server.url}/api` }] });
    const error = await rejection(withBroken.get('user-directory', 'users', 'h1', probe({ team: 'red' })));
    expect(error).toMatchObject({ code: 'UNIMAP_E_MAP_EVALUATION', remote: { status: 401 }, position: { line: expect.any(Number) } });
    expect((error as Error).message).toMatch(/integration\.yaml:\d+:\d+: JSONata D3030.*while reading Probe's 401 answer/);
  } finally {
    rmSync(brokenDir, { recursive: true, force: true });
  }
});

describe('a step can take remote_data and replace the main request', () => {
  const emails = [{ email: 'ada@example.com' }];

  test('the step runs instead of the main request, with the caller\'s remote_data merged over its body', async () => {
    const user = await engine.create('user-directory', 'users', { first_name: 'Ada', emails, status: 'invited', remote_data: { team: 'x' } }, probe({}));
    expect(user).toMatchObject({ id: 'inv1', first_name: 'invited' });
    expect(server.requests.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([['POST', '/api/invitations', { email: 'ada@example.com', team: 'x' }]]);
  });

  test('otherwise the main request runs (with remote_data) and answers', async () => {
    const user = await engine.create('user-directory', 'users', { first_name: 'Ada', emails, remote_data: { team: 'y' } }, probe({}));
    expect(user).toMatchObject({ id: '9', first_name: 'Ada' });
    expect(server.requests.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([['POST', '/api/people', { name: 'Ada', email: 'ada@example.com', team: 'y' }]]);
  });

  test('a delete whose main request is skipped sends nothing and answers the id', async () => {
    await expect(engine.delete('user-directory', 'users', 'gone', probe({}))).resolves.toEqual({ id: 'gone' });
    expect(server.requests).toHaveLength(0);
    await expect(engine.delete('user-directory', 'users', 'p5', probe({}))).resolves.toEqual({ id: 'p5' });
    expect(server.requests.map((r) => r.method)).toEqual(['DELETE']);
  });
});

test('a main request with run_if but no step to answer instead is a definition error', () => {
  const brokenDir = mkdtempSync(join(tmpdir(), 'unimap-scope-runif-'));
  try {
    mkdirSync(join(brokenDir, 'probe', 'user-directory'), { recursive: true });
    writeFileSync(join(brokenDir, 'probe', 'integration.yaml'), INTEGRATION);
    writeFileSync(join(brokenDir, 'probe', 'user-directory', 'users.yaml'), RESOURCE.replace('  response_from: invite\n', ''));
    expect(() => createEngine({ mappings: brokenDir })).toThrow(/users\.yaml:\d+:\d+: error UNIMAP_E_DEF_REFERENCE: a main request with run_if needs response_from/);
  } finally {
    rmSync(brokenDir, { recursive: true, force: true });
  }
});
