import { startServer, type RunningServer } from './harness';
import { gitlab, jamf, okta, OKTA_TOKEN } from './providers';

jest.setTimeout(60_000);

let running: RunningServer;
let oktaAccount: string;
let jamfAccount: string;
let gitlabAccount: string;
const users = (id: string) => ({ category: 'user-directory', resource: 'users', integrated_account_id: id });

beforeAll(async () => {
  running = await startServer([okta, jamf, gitlab], { bodyLimitBytes: 64 * 1024 });
  oktaAccount = await running.addAccount('acme', 'okta');
  jamfAccount = await running.addAccount('acme', 'jamf-pro');
  gitlabAccount = await running.addAccount('acme', 'gitlab');
});
afterAll(() => running?.stop());

describe('access control', () => {
  test('no key, a malformed header and an unknown key are 401 with WWW-Authenticate: Bearer', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer umk_not-a-key']) {
      const response = await fetch(`${running.url}/unified/user-directory/users?integrated_account_id=${oktaAccount}`, { headers: authorization ? { Authorization: authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'UNIMAP_E_SERVER_UNAUTHORIZED', insight: expect.stringContaining('keys create') });
    }
    expect(running.sims.get('okta')!.requests).toHaveLength(0);
  });

  test('health, readiness and the OpenAPI document need no key', async () => {
    for (const path of ['/health', '/ready', '/openapi.json']) expect((await fetch(`${running.url}${path}`)).status).toBe(200);
    expect(await (await fetch(`${running.url}/ready`)).json()).toMatchObject({ status: 'ready', definitions: { integrations: expect.any(Number) } });
  });

  test('a tenant sees only its own accounts: another tenant\'s account id answers 404 everywhere', async () => {
    const globex = running.client('globex');
    const unified = await globex.unifiedApi.list(users(oktaAccount)).next().catch((error: Error) => error.message);
    expect(unified).toMatch(/answered 404.*UNIMAP_E_REQ_ACCOUNT_NOT_FOUND/);
    for (const answer of [
      await globex.integratedAccount.get(oktaAccount),
      await globex.integratedAccount.update(oktaAccount, { context: { subdomain: 'evil' } }),
      await globex.integratedAccount.delete(oktaAccount),
      await globex.unifiedApi.meta('create', users(oktaAccount)),
      await globex.request('GET', '/proxy/api/v1/users', { integrated_account_id: oktaAccount }),
    ]) {
      expect(answer.status).toBe(404);
    }
    expect((await globex.request('GET', '/integrated-accounts')).body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    const own = await running.client('acme').integratedAccount.get(oktaAccount);
    expect(own.body).toMatchObject({ id: oktaAccount, context: { subdomain: 'acme' } });
    expect(running.sims.get('okta')!.requests).toHaveLength(0);
  });
});

describe('error bodies: { statusCode, error, code, message, details, remote, insight }', () => {
  test('missing required body fields are named, with the integration that requires them', async () => {
    const answer = await running.client('acme').unifiedApi.create({ name: 'Ada Lovelace' }, { category: 'mdm', resource: 'users', integrated_account_id: jamfAccount });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      statusCode: 400, error: 'Bad Request', code: 'UNIMAP_E_REQ_MISSING_FIELDS',
      details: [{ field: 'emails', required_by: 'jamf-pro' }],
      insight: expect.stringMatching(/"emails".*jamf-pro/),
    });
  });

  test('a missing required query parameter is named with its collection type', async () => {
    const answer = await running.client('acme').request('GET', '/unified/ticketing/users', { integrated_account_id: gitlabAccount, next_cursor: '' });
    expect(answer.body).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS', insight: expect.stringContaining('"collection"') });
  });

  test('a provider\'s rate limit is 429 with an integer Retry-After of at least 1, and the SDK\'s retry then succeeds', async () => {
    const sim = running.sims.get('okta')!;
    // The harness's engine waits for no Retry-After (maxRetryWaitMs 0), so one 429 answers the call.
    sim.failNext({ status: 429, headers: { 'retry-after': '2.2' }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } });
    const limited = await running.client('acme').request('GET', '/unified/user-directory/users', { integrated_account_id: oktaAccount });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', retriable: true, insight: expect.stringContaining('retry after 3 seconds') });

    sim.failNext({ status: 429, headers: { 'retry-after': '0.4' }, body: { errorSummary: 'slow down' } });
    const started = Date.now();
    const retried = await running.client('acme', { rateLimitRetries: 1 }).request('GET', '/unified/user-directory/users', { integrated_account_id: oktaAccount });
    expect(retried.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 0.4 s is told as 1: never 0, which clients read as "now"
  });

  test('a provider\'s 409 is answered 422 (the SDK\'s HTTP client retries 409 blindly); remote.status keeps 409', async () => {
    running.sims.get('okta')!.failNext({ status: 409, match: /^POST/, body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: login already exists' } });
    const answer = await running.client('acme').unifiedApi.create({ first_name: 'A', last_name: 'B', emails: [{ email: 'ab@example.com' }] }, users(oktaAccount));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', code: 'UNIMAP_E_REMOTE_HTTP', remote: { status: 409 }, insight: expect.stringContaining('conflict') });
  });

  test('what the provider echoes of a credential never reaches the caller or the log', async () => {
    running.sims.get('okta')!.failNext({ status: 400, body: { errorCode: 'E0000003', errorSummary: `token ${OKTA_TOKEN} is not allowed here` } });
    const answer = await running.client('acme').request('GET', '/unified/user-directory/users', { integrated_account_id: oktaAccount });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toContain(OKTA_TOKEN);
    expect(JSON.stringify(answer.body)).toContain('[redacted]');
    expect(JSON.stringify(running.logs)).not.toContain(OKTA_TOKEN);
  });

  test('bodies: too large is 413, not JSON is 400, a text body on a JSON route is refused', async () => {
    const sdk = running.client('acme');
    const big = await sdk.unifiedApi.create({ name: 'x'.repeat(70 * 1024) }, users(oktaAccount));
    expect(big.body).toMatchObject({ statusCode: 413, code: 'UNIMAP_E_SERVER_BODY_TOO_LARGE' });
    const response = await fetch(`${running.url}/unified/user-directory/users?integrated_account_id=${oktaAccount}`, {
      method: 'POST', headers: { Authorization: `Bearer ${running.keys.get('acme')}`, 'Content-Type': 'application/json' }, body: '{"first_name": ',
    });
    expect(await response.json()).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_REQ_INVALID_JSON' });
    const text = await fetch(`${running.url}/unified/user-directory/users?integrated_account_id=${oktaAccount}`, {
      method: 'POST', headers: { Authorization: `Bearer ${running.keys.get('acme')}`, 'Content-Type': 'application/xml' }, body: '<user/>',
    });
    expect(await text.json()).toMatchObject({ statusCode: 415, code: 'UNIMAP_E_SERVER_UNSUPPORTED_MEDIA_TYPE' });
  });

  test('unknown routes and standard method names on the custom-method route are 404', async () => {
    const sdk = running.client('acme');
    expect((await sdk.request('GET', '/nothing/here')).body).toMatchObject({ statusCode: 404, code: 'UNIMAP_E_SERVER_NOT_FOUND' });
    expect((await sdk.request('POST', '/unified/user-directory/users/create', { integrated_account_id: oktaAccount }, {})).body).toMatchObject({ statusCode: 404, code: 'UNIMAP_E_SERVER_NOT_FOUND' });
    const custom = await sdk.request('POST', '/unified/user-directory/users/reactivate', { integrated_account_id: oktaAccount }, {});
    expect(custom.body).toMatchObject({ statusCode: 501, code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED' });
  });

  test('every answer carries the request id, and one log line per request says who, what and how it went', async () => {
    running.logs.length = 0;
    const answer = await running.client('acme').request('GET', '/unified/user-directory/users', { integrated_account_id: oktaAccount }, undefined, { 'X-Request-Id': 'trace-123' });
    expect(answer.headers.get('x-request-id')).toBe('trace-123');
    const lines = running.logs.filter((line) => line.reqId === 'trace-123');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request', tenant: 'acme', account: oktaAccount, integration: 'okta', operation: 'user-directory/users list', status: 200, remote_status: 200, remote_calls: 1, duration_ms: expect.any(Number) });
  });
});
