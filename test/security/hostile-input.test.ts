/**
 * Hostile callers and odd remote answers against the real engine and a scripted server on 127.0.0.1:
 * prototype paths, non-2xx "successes", dot segments in paths, 2xx bodies that are no record, untyped failures,
 * nested unknown keys. Each case asserts the exact code and what reached (or did not reach) the server.
 */
import { createEngine, isUnimapError, type Engine, type IntegratedAccount, type Transport } from '../../engine';
import { rejection } from '../helpers/provider-harness';
import { JSON_TYPE, snapshotPrototype, startScriptedServer, type ScriptedServer } from './scripted-server';

const TOKEN = 'hostile-canary-token-5f2a';
const OKTA_USER = JSON.stringify({ id: '00u1', status: 'ACTIVE', created: '2026-01-02T03:04:05.000Z', profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } });

let server: ScriptedServer;
let engine: Engine;
const prototypeBefore = snapshotPrototype();

function accounts(url: string): IntegratedAccount[] {
  return [
    { id: 'okta', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: url },
    { id: 'gitlab', integration: 'gitlab', context: { access_token: TOKEN }, base_url: `${url}/api/v4` },
    { id: 'jamf', integration: 'jamf-pro', context: { instance: 'acme', access_token: TOKEN }, base_url: url },
    {
      id: 'okta-overrides', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: url,
      overrides: {
        'user-directory/users': {
          get: { response: '{ "n": $number("not a number") }' },
          list: { response: '( $f := function($x) { $f($x + 1) }; { "deep": $f(0) } )' },
          create: { body: '$reject("this tenant may not create users")' },
          update: { body: 42 as unknown as string },
        },
      },
    },
  ];
}

beforeAll(async () => {
  server = await startScriptedServer();
  engine = createEngine({ accounts: accounts(server.url), maxRetryWaitMs: 0 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.answer = { status: 200, headers: JSON_TYPE, body: OKTA_USER };
});
afterEach(() => {
  // Whatever a case tried, Object.prototype is as it was.
  expect(snapshotPrototype()).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
});

const okta = { integratedAccountId: 'okta' };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (!isUnimapError(error)) throw new Error(`expected a UnimapError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return error.code;
}

describe('prototype paths in query options, bodies and remote answers', () => {
  const excludePaths = [
    '__proto__.hasOwnProperty',
    'remote_data.__proto__.toString',
    'constructor.prototype.valueOf',
    'emails.__proto__.isPrototypeOf',
    'prototype',
    'first_name,__proto__.propertyIsEnumerable',
  ];
  test.each(excludePaths)('truto_exclude_fields %s is refused and nothing is sent', async (path) => {
    expect(await codeOf(engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_exclude_fields: path } }))).toBe('UNIMAP_E_REQ_INVALID_QUERY');
    expect(await codeOf(engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_exclude_fields: [path] } }))).toBe('UNIMAP_E_REQ_INVALID_QUERY');
    expect(server.requests).toHaveLength(0);
  });

  test('an object where exclude-field paths belong is refused', async () => {
    expect(await codeOf(engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_exclude_fields: { 0: { a: 1 } } as never } }))).toBe('UNIMAP_E_REQ_INVALID_QUERY');
  });

  test('harmless exclude paths still work, own properties only', async () => {
    const user = await engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_exclude_fields: 'first_name,remote_data.profile,nothing.here' } });
    expect(user).not.toHaveProperty('first_name');
    expect(user.remote_data).not.toHaveProperty('profile');
    expect(user.last_name).toBe('Lovelace');
  });

  test.each([
    ['a query key', '{"__proto__": {"polluted": true}}'],
    ['a nested remote_query key', '{"remote_query": {"a": {"__proto__": {"polluted": true}}}}'],
    ['constructor in remote_query', '{"remote_query": {"constructor": {"prototype": {"polluted": true}}}}'],
    ['a filter value object', '{"email": {"__proto__": "x"}}'],
  ])('%s reaching prototype machinery is refused', async (_what, json) => {
    const query = JSON.parse(json) as Record<string, unknown>;
    expect(await codeOf(engine.list('user-directory', 'users', { ...okta, query }))).toBe('UNIMAP_E_REQ_INVALID_QUERY');
    expect(server.requests).toHaveLength(0);
  });

  test.each([
    '{"first_name": "A", "remote_data": {"__proto__": {"polluted": true}}}',
    '{"first_name": "A", "remote_data": {"profile": {"__proto__": {"polluted": true}}}}',
    '{"first_name": "A", "remote_data": {"constructor": {"prototype": {"polluted": true}}}}',
    '{"first_name": "A", "remote_data": {"list": [{"__proto__": {"polluted": true}}]}}',
    '{"__proto__": {"polluted": true}, "first_name": "A"}',
  ])('body %s is refused before anything is sent', async (json) => {
    const body = JSON.parse(json) as Record<string, unknown>;
    expect(await codeOf(engine.update('user-directory', 'users', '00u1', body, okta))).toBe('UNIMAP_E_REQ_INVALID_BODY');
    expect(server.requests).toHaveLength(0);
  });

  test('remote_data keys that shadow inherited names become own keys of the sent body', async () => {
    await engine.update('user-directory', 'users', '00u1', { first_name: 'A', remote_data: { toString: 'x', valueOf: { a: 1 } } }, okta);
    const sent = JSON.parse(server.requests.at(-1)!.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ toString: 'x', valueOf: { a: 1 } });
  });

  test('a remote record carrying __proto__ keys stays data', async () => {
    server.answer = { status: 200, headers: JSON_TYPE, body: '{"id": "1", "__proto__": {"polluted": true}, "profile": {"__proto__": {"polluted": true}, "firstName": "Ada"}}' };
    const user = await engine.get('user-directory', 'users', '1', okta);
    expect(user.first_name).toBe('Ada');
    expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(user.remote_data)).toBe(Object.prototype);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('account id %s is not found', async (id) => {
    expect(await codeOf(engine.get('user-directory', 'users', '1', { integratedAccountId: id }))).toBe('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND');
  });

  test.each([
    ['__proto__', 'users', 'get', 'UNIMAP_E_REQ_RESOURCE_NOT_FOUND'],
    ['user-directory', 'constructor', 'get', 'UNIMAP_E_REQ_RESOURCE_NOT_FOUND'],
    ['user-directory', 'users', 'constructor', 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED'],
    ['user-directory', 'users', '__proto__', 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED'],
  ])('call %s/%s %s answers %s', async (category, resource, method, code) => {
    expect(await codeOf(engine.call({ category, resource, method, id: '1', integratedAccountId: 'okta' }))).toBe(code);
  });
});

describe('only 2xx is success', () => {
  test.each([301, 302, 303, 304, 307, 308])('get answered %i is a remote error, not a record', async (status) => {
    server.answer = { status, headers: { location: 'http://169.254.169.254/latest', ...JSON_TYPE }, body: status === 304 ? '' : '{}' };
    const error = await rejection(engine.get('user-directory', 'users', '00u1', okta));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, retriable: false, remote: { status } });
    expect(server.requests).toHaveLength(1);
  });

  test.each([301, 302, 307])('create answered %i reports no created record', async (status) => {
    server.answer = { status, headers: { location: '/elsewhere' }, body: '' };
    expect(await codeOf(engine.create('user-directory', 'users', { first_name: 'A', last_name: 'B', emails: [{ email: 'a@b.co' }] }, okta))).toBe('UNIMAP_E_REMOTE_HTTP');
  });

  test.each([301, 302, 308])('delete answered %i does not report the user deleted', async (status) => {
    server.answer = { status, headers: { location: '/' }, body: '' };
    expect(await codeOf(engine.delete('user-directory', 'users', '00u1', okta))).toBe('UNIMAP_E_REMOTE_HTTP');
  });

  test.each([302, 404, 500])('a stream answered %i is a remote error, not data', async (status) => {
    server.answer = { status, headers: { location: '/', ...JSON_TYPE }, body: JSON.stringify({ errorSummary: 'nope', auth: TOKEN }) };
    const error = await rejection(engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_response_format: 'stream' } }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', remote: { status } });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(TOKEN);
  });

  test('a stream answered 200 is handed over', async () => {
    const result = await engine.get('user-directory', 'users', '00u1', { ...okta, query: { truto_response_format: 'stream' } });
    const chunks: Buffer[] = [];
    for await (const chunk of result.stream) chunks.push(chunk as Buffer);
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toMatchObject({ id: '00u1' });
  });

  test('list answered 302 is a remote error', async () => {
    server.answer = { status: 302, headers: { location: '/' }, body: '[]' };
    expect(await codeOf(engine.list('user-directory', 'users', okta))).toBe('UNIMAP_E_REMOTE_HTTP');
  });
});

describe('dot segments and unusable values in URL paths', () => {
  const dotIds = ['.', '..', '%2e', '%2E%2e', '.%2E', '%252e%252e', ' ', '\uD800', 'a\uDC00'];
  test.each(dotIds)('id %j is refused for get, update and delete before anything is sent', async (id) => {
    for (const promise of [
      engine.get('user-directory', 'users', id, okta),
      engine.update('user-directory', 'users', id, { first_name: 'A' }, okta),
      engine.delete('user-directory', 'users', id, okta),
      engine.planRequest({ category: 'user-directory', resource: 'users', method: 'delete', id, integratedAccountId: 'okta' }),
    ]) {
      expect(['UNIMAP_E_REQ_INVALID_PATH_VALUE', 'UNIMAP_E_REQ_MISSING_ID']).toContain(await codeOf(promise));
    }
    expect(server.requests).toHaveLength(0);
  });

  test.each(['..', '.', '%2e%2e', ''])('GitLab collection %j cannot retarget the request', async (collection) => {
    const code = await codeOf(engine.list('ticketing', 'users', { integratedAccountId: 'gitlab', query: { collection } }));
    expect(['UNIMAP_E_REQ_INVALID_PATH_VALUE', 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS']).toContain(code);
    expect(server.requests).toHaveLength(0);
  });

  test.each(['..', '.', '%2E'])('Jamf email filter %j does not list everyone', async (email) => {
    const code = await codeOf(engine.list('mdm', 'users', { integratedAccountId: 'jamf', query: { email } }));
    expect(['UNIMAP_E_REQ_INVALID_PATH_VALUE', 'UNIMAP_E_REQ_INVALID_FILTER']).toContain(code);
    expect(server.requests).toHaveLength(0);
  });

  test.each(['a/b', '../x', 'x?y=1#z', '..%2f..%2fadmin'])('id %j stays one encoded segment under the resource path', async (id) => {
    await engine.get('user-directory', 'users', id, okta);
    const [request] = server.requests;
    expect(request!.url.startsWith('/api/v1/users/')).toBe(true);
    expect(request!.url.slice('/api/v1/users/'.length)).toBe(encodeURIComponent(id));
  });
});

describe('a 2xx answer that is no record', () => {
  const notRecords: Array<[string, { status: number; headers?: Record<string, string>; body?: string }]> = [
    ['an empty 200', { status: 200, headers: JSON_TYPE, body: '' }],
    ['a 204', { status: 204 }],
    ['null', { status: 200, headers: JSON_TYPE, body: 'null' }],
    ['an array', { status: 200, headers: JSON_TYPE, body: '[{"id": "1"}]' }],
    ['a string', { status: 200, headers: JSON_TYPE, body: '"ok"' }],
    ['a number', { status: 200, headers: JSON_TYPE, body: '42' }],
    ['XML on a JSON integration', { status: 200, headers: { 'content-type': 'application/xml' }, body: '<user><id>1</id></user>' }],
    ['a form body on a JSON integration', { status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=1&status=ACTIVE' }],
    ['HTML', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' }],
  ];
  test.each(notRecords)('get answered with %s is UNIMAP_E_REMOTE_INVALID_BODY', async (_what, answer) => {
    server.answer = answer;
    const error = await rejection(engine.get('user-directory', 'users', '00u1', okta));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_INVALID_BODY', retriable: false });
  });

  test.each(notRecords.slice(0, 6))('create answered with %s is UNIMAP_E_REMOTE_INVALID_BODY', async (_what, answer) => {
    server.answer = answer;
    expect(await codeOf(engine.create('user-directory', 'users', { first_name: 'A', last_name: 'B', emails: [{ email: 'a@b.co' }] }, okta))).toBe('UNIMAP_E_REMOTE_INVALID_BODY');
  });

  test.each([
    ['null', 'null'],
    ['a string', '"users"'],
    ['an array of strings', '["a", "b"]'],
    ['an array with null', '[null]'],
  ])('list answered with %s is UNIMAP_E_REMOTE_INVALID_BODY', async (_what, body) => {
    server.answer = { status: 200, headers: JSON_TYPE, body };
    expect(await codeOf(engine.list('user-directory', 'users', okta))).toBe('UNIMAP_E_REMOTE_INVALID_BODY');
  });

  test('a declared empty success stays fine: delete answered 204', async () => {
    server.answer = { status: 204 };
    await expect(engine.delete('user-directory', 'users', '00u1', okta)).resolves.toEqual({ id: '00u1' });
  });
});

describe('every failure is typed', () => {
  test('an override failing inside JSONata (D3030) is a typed mapping error naming the account', async () => {
    const error = await rejection(engine.get('user-directory', 'users', '00u1', { integratedAccountId: 'okta-overrides' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_MAP_EVALUATION', details: { jsonata_code: 'D3030' } });
    expect((error as Error).message).toContain('okta-overrides');
  });

  test('an override recursing without end is a typed mapping error', async () => {
    server.answer = { status: 200, headers: JSON_TYPE, body: `[${OKTA_USER}]` };
    const error = await rejection(engine.list('user-directory', 'users', { integratedAccountId: 'okta-overrides' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_MAP_EVALUATION' });
  });

  test('$reject in an override is UNIMAP_E_REQ_REJECTED and nothing is sent', async () => {
    const error = await rejection(engine.create('user-directory', 'users', { first_name: 'A', last_name: 'B', emails: [{ email: 'a@b.co' }] }, { integratedAccountId: 'okta-overrides' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_REJECTED', status: 400 });
    expect(server.requests).toHaveLength(0);
  });

  test('an override that is not JSONata text is a typed definition error', async () => {
    expect(await codeOf(engine.update('user-directory', 'users', '00u1', { first_name: 'A' }, { integratedAccountId: 'okta-overrides' }))).toBe('UNIMAP_E_DEF_JSONATA');
  });

  test('a transport that throws something unforeseen gives UNIMAP_E_ENGINE_INTERNAL', async () => {
    const broken: Transport = {
      send: () => Promise.reject(new TypeError('socket exploded')),
      stream: () => Promise.reject(new RangeError('no')),
    };
    const withBroken = createEngine({ mappings: engine.registry, accounts: accounts(server.url), transport: broken });
    expect(await codeOf(withBroken.get('user-directory', 'users', '00u1', okta))).toBe('UNIMAP_E_ENGINE_INTERNAL');
    expect(await codeOf(withBroken.get('user-directory', 'users', '00u1', { ...okta, query: { truto_response_format: 'stream' } }))).toBe('UNIMAP_E_ENGINE_INTERNAL');
  });

  test('mapResponse on a body that is not the declared format is typed', async () => {
    expect(await codeOf(engine.mapResponse('okta', { resource: 'user-directory/users', method: 'get', body: '<xml>garbage' }))).toBe('UNIMAP_E_REMOTE_INVALID_BODY');
    expect(await codeOf(engine.mapResponse('okta', { resource: 'user-directory/users', method: 'get', body: [1, 2] }))).toBe('UNIMAP_E_REMOTE_INVALID_BODY');
  });
});

describe('unknown keys are refused at every depth', () => {
  test.each([
    { emails: [{ email: 'a@b.co', verified: true }] },
    { phones: [{ number: '1', carrier: 'x' }] },
    { roles: [{ id: '1', scope: 'all' }] },
    { emails: [{ email: 'a@b.co' }, { email: 'c@d.co', __proto__x: 1 }] },
  ])('%j is UNIMAP_E_REQ_INVALID_BODY naming the nested field', async (extra) => {
    const error = await rejection(engine.update('user-directory', 'users', '00u1', { first_name: 'A', ...extra }, okta));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_BODY' });
    expect((error as { details: Array<{ field: string; message: string }> }).details).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: 'is not a unified field', field: expect.stringMatching(/^(emails|phones|roles)\[\d\]\.\w+$/) })]),
    );
    expect(server.requests).toHaveLength(0);
  });
});
