import { Readable } from 'node:stream';
import type { StreamResult } from '../../engine';
import { createAxiosTransport } from '../../engine';
import { ACCOUNT, OKTA_TOKEN, ada, useOkta } from '../helpers/okta-fixture';
import { rejection } from '../helpers/provider-harness';

const { sim, engine } = useOkta();

const UD = 'user-directory';

describe('the seed\'s query options', () => {
  test('unified (default) carries remote_data; truto_ignore_remote_data leaves it out', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(user.remote_data).toMatchObject({ id: user.id, profile: { firstName: 'Ada' } });
    const bare = await engine.get(UD, 'users', user.id!, { ...ACCOUNT, query: { truto_ignore_remote_data: 'true' } });
    expect(bare).not.toHaveProperty('remote_data');
    expect(bare['first_name']).toBe('Ada');
  });

  test('raw returns the remote status, headers and body untouched', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    const outcome = await engine.call({ category: UD, resource: 'users', method: 'get', id: user.id!, integratedAccountId: 'acme-okta', query: { truto_response_format: 'raw' } });
    expect(outcome.kind).toBe('raw');
    expect(outcome.result).toMatchObject({ status: 200, body: sim.store.get(user.id!) });
    // The result type follows the format asked for: a RawResult here, with status and body.
    const raw = await engine.get(UD, 'users', user.id!, { ...ACCOUNT, query: { truto_response_format: 'raw' } });
    expect([raw.status, raw.body]).toEqual([200, sim.store.get(user.id!)]);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { truto_response_format: 'raw' } });
    expect(page).toMatchObject({ status: 200, body: [sim.store.get(user.id!)], next_cursor: null });
  });

  test('normalized conforms to the unified schema and drops remote_data', async () => {
    const user = await engine.create(UD, 'users', ada, { ...ACCOUNT, query: { truto_response_format: 'normalized' } });
    expect(user).not.toHaveProperty('remote_data');
    expect(Object.keys(user).every((k) => ['id', 'first_name', 'last_name', 'name', 'username', 'emails', 'phones', 'status', 'created_at', 'updated_at', 'status_changed_at', 'activated_at'].includes(k))).toBe(true);
  });

  test('stream pipes the remote body through as it arrives', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    const outcome = await engine.call({ category: UD, resource: 'users', method: 'list', integratedAccountId: 'acme-okta', query: { truto_response_format: 'stream' } });
    expect(outcome.kind).toBe('stream');
    const { stream, contentType, status } = outcome.result as StreamResult;
    expect(status).toBe(200);
    expect(contentType).toContain('application/json');
    expect(stream).toBeInstanceOf(Readable);
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(JSON.parse(text)[0].profile.firstName).toBe('Ada');
  });

  test('truto_exclude_fields drops fields, including dotted paths inside arrays', async () => {
    const user = await engine.create(UD, 'users', ada, { ...ACCOUNT, query: { truto_exclude_fields: ['phones', 'emails.type', 'remote_data'] } });
    expect(user).not.toHaveProperty('phones');
    expect(user).not.toHaveProperty('remote_data');
    expect(user['emails']).toEqual([{ email: 'ada@example.com', is_primary: true }]);
    const csv = await engine.get(UD, 'users', user.id!, { ...ACCOUNT, query: { truto_exclude_fields: 'name,username' } });
    expect(csv).not.toHaveProperty('name');
    expect(csv).not.toHaveProperty('username');
  });

  test('remote_query goes to the remote API untouched', async () => {
    await engine.list(UD, 'users', { ...ACCOUNT, query: { remote_query: { filter: 'status eq "ACTIVE"', expand: 'classification' } } });
    const url = new URL(sim.requests[0]!.url, sim.url);
    expect(url.searchParams.get('filter')).toBe('status eq "ACTIVE"');
    expect(url.searchParams.get('expand')).toBe('classification');
  });

  test('remote_data in the body is deep-merged over the mapped remote body', async () => {
    await engine.create(UD, 'users', { ...ada, remote_data: { profile: { department: 'Engines', lastName: 'Byron' }, credentials: { password: { value: 'S3cret-pass!' } } } }, ACCOUNT);
    expect(sim.requests[0]!.body).toEqual({
      profile: { firstName: 'Ada', lastName: 'Byron', email: 'ada@example.com', login: 'ada@example.com', mobilePhone: '+44 20 7946 0000', department: 'Engines' },
      credentials: { password: { value: 'S3cret-pass!' } },
    });
  });

  test('invalid option values are rejected with the allowed values', async () => {
    expect(await rejection(engine.list(UD, 'users', { ...ACCOUNT, query: { truto_response_format: 'xml' as never } }))).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_QUERY', status: 400, message: expect.stringContaining('unified, raw, normalized, stream') });
    expect(await rejection(engine.list(UD, 'users', { ...ACCOUNT, query: { limit: '-3' } }))).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_QUERY' });
    expect(await rejection(engine.list(UD, 'users', { ...ACCOUNT, query: { next_cursor: 'not-a-cursor' } }))).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_CURSOR' });
    expect(sim.requests).toHaveLength(0);
  });
});

describe('bad input is refused before any remote call', () => {
  test('wrong types and unknown fields name each field', async () => {
    const error = await rejection(engine.create(UD, 'users', { first_name: 7, emails: [{ email: 'not-an-email' }], shoe_size: 9 }, ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_BODY', status: 400 });
    const fields = (error as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['first_name', 'emails[0].email', 'shoe_size']));
    expect(sim.requests).toHaveLength(0);
  });

  test('a body that is not an object is refused', async () => {
    expect(await rejection(engine.create(UD, 'users', [1, 2], ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_BODY' });
  });

  test('unknown account, integration, resource, method; missing id', async () => {
    expect(await rejection(engine.get(UD, 'users', 'x', { integratedAccountId: 'nobody' }))).toMatchObject({ code: 'UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', status: 404 });
    expect(await rejection(engine.get(UD, 'users', 'x', { integratedAccountId: 'ghost' }))).toMatchObject({ code: 'UNIMAP_E_REQ_INTEGRATION_NOT_FOUND' });
    expect(await rejection(engine.get('crm', 'contacts', 'x', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_RESOURCE_NOT_FOUND', message: expect.stringContaining('user-directory/users') });
    expect(await rejection(engine.call({ category: UD, resource: 'users', method: 'merge', integratedAccountId: 'acme-okta' }))).toMatchObject({ code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED' });
    expect(await rejection(engine.get(UD, 'users', ' ', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_ID' });
  });

  test('an account without its credential, or with a subdomain that would move the host', async () => {
    expect(await rejection(engine.get(UD, 'users', 'x', { integratedAccountId: 'no-token' }))).toMatchObject({ code: 'UNIMAP_E_AUTH_MISSING_CONTEXT', message: expect.stringContaining('"api_token"') });
    expect(await rejection(engine.get(UD, 'users', 'x', { integratedAccountId: 'evil-subdomain' }))).toMatchObject({ code: 'UNIMAP_E_AUTH_INVALID_CONTEXT' });
  });
});

describe('remote failures', () => {
  test('a wrong token is Okta\'s 401, and the token never appears in the error', async () => {
    const error = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-token' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, remote: { status: 401, body: { errorCode: 'E0000011' } } });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('not-the-token-000');
  });

  test('a remote body echoing the credential is redacted', async () => {
    sim.failNext({ status: 400, body: { errorCode: 'E0000001', errorSummary: `bad header SSWS ${OKTA_TOKEN}` } });
    const error = await rejection(engine.list(UD, 'users', ACCOUNT));
    const text = JSON.stringify((error as { toJSON(): unknown }).toJSON()) + (error as Error).message;
    expect(text).not.toContain(OKTA_TOKEN);
    expect(text).toContain('[redacted]');
  });

  test('429 with Retry-After is retried for reads, and reported with retry_after_seconds when it persists', async () => {
    sim.failNext({ status: 429, headers: { 'retry-after': '0' }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    expect((await engine.list(UD, 'users', ACCOUNT)).result).toEqual([]);
    expect(sim.requests).toHaveLength(2);
    for (let i = 0; i < 3; i++) sim.failNext({ status: 429, headers: { 'retry-after': '0' }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    expect(await rejection(engine.list(UD, 'users', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, retriable: true, retryAfterSeconds: 1 });
  });

  test('creates are not retried on 429 (they are not idempotent)', async () => {
    sim.failNext({ status: 429, headers: { 'retry-after': '0' }, body: { errorCode: 'E0000047', errorSummary: 'rate limited' } });
    expect(await rejection(engine.create(UD, 'users', ada, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED' });
    expect(sim.requests).toHaveLength(1);
  });

  test('a 200 with an HTML body is UNIMAP_E_REMOTE_INVALID_BODY; a 502 HTML page is a remote error with the text', async () => {
    sim.failNext({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' });
    expect(await rejection(engine.list(UD, 'users', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_INVALID_BODY', status: 502, remote: { status: 200, body: '<html>login</html>' } });
    sim.failNext({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad gateway</html>' });
    // A create answered 5xx may have been applied: not retriable, outcome unknown.
    expect(await rejection(engine.create(UD, 'users', ada, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, retriable: false, details: { outcome: 'unknown' }, remote: { status: 502, body: '<html>Bad gateway</html>' } });
    expect(sim.requests).toHaveLength(2); // a create is sent once: no retry on 5xx either
  });

  test('a remote that does not answer in time is UNIMAP_E_REMOTE_TIMEOUT; an unreachable one UNIMAP_E_REMOTE_NETWORK', async () => {
    sim.failNext({ delayMs: 400, status: 200, body: [] });
    const transport = createAxiosTransport();
    expect(await rejection(transport.send({ method: 'GET', url: `${sim.url}/api/v1/users`, headers: {}, timeoutMs: 100 }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT', status: 504, retriable: true });
    expect(await rejection(transport.send({ method: 'GET', url: 'http://127.0.0.1:1/x', headers: {}, timeoutMs: 1000 }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_NETWORK', retriable: true });
  });

  test('a cursor cannot send requests to another host', async () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, i: 'okta', r: 'user-directory/users', s: { kind: 'url', url: 'https://attacker.example/steal' }, n: 1 })).toString('base64url');
    expect(await rejection(engine.list(UD, 'users', { ...ACCOUNT, query: { next_cursor: forged } }))).toMatchObject({ code: 'UNIMAP_E_REQ_INVALID_CURSOR' });
    expect(sim.requests).toHaveLength(0);
  });
});
