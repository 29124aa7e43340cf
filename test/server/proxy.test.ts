import { request as httpRequest } from 'node:http';
import { startServer, type RunningServer } from './harness';
import { gitlab, GITLAB_TOKEN, okta, OKTA_TOKEN } from './providers';

jest.setTimeout(60_000);

let running: RunningServer;
let oktaAccount: string;
let gitlabAccount: string;

beforeAll(async () => {
  running = await startServer([okta, gitlab]);
  oktaAccount = await running.addAccount('acme', 'okta');
  gitlabAccount = await running.addAccount('acme', 'gitlab');
});
beforeEach(() => {
  for (const sim of running.sims.values()) sim.requests.length = 0;
});
afterAll(() => running?.stop());

describe('/proxy: the provider\'s own API with the account\'s auth', () => {
  test('POST then GET pass bodies, statuses and content types through; the account\'s auth is added', async () => {
    const sdk = running.client('acme');
    const created = await sdk.proxyApi.create({ profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } }, { resource: 'api/v1/users', integrated_account_id: oktaAccount, activate: 'false' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: expect.any(String), status: 'STAGED', profile: { firstName: 'Ada' } });
    const sent = running.sims.get('okta')!.requests[0]!;
    expect(sent).toMatchObject({ method: 'POST', url: '/api/v1/users?activate=false', body: { profile: { login: 'ada@example.com' } } });
    expect(sent.headers['authorization']).toBe(`SSWS ${OKTA_TOKEN}`);

    const got = await sdk.proxyApi.get(created.body.id, { resource: 'api/v1/users', integrated_account_id: oktaAccount, truto_response_format: 'raw' });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.body).toMatchObject({ id: created.body.id });
    // the server's own query parameters are not passed on
    expect(running.sims.get('okta')!.requests[1]!.url).toBe(`/api/v1/users/${created.body.id}`);

    const missing = await sdk.proxyApi.get('00u-nobody', { resource: 'api/v1/users', integrated_account_id: oktaAccount });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errorCode: 'E0000007' }); // the provider's body, untouched
    expect(missing.headers.get('x-unimap-remote-status')).toBe('404');
  });

  test('paths stay under the account\'s base URL (GitLab\'s /api/v4), with its token header', async () => {
    const answer = await running.client('acme').request('GET', '/proxy/projects/42/members', { integrated_account_id: gitlabAccount, per_page: 5 });
    expect(answer.status).toBe(200);
    const sent = running.sims.get('gitlab')!.requests[0]!;
    expect(sent.url).toBe('/api/v4/projects/42/members?per_page=5');
    expect(sent.headers['private-token']).toBe(GITLAB_TOKEN);
  });

  test('dot segments are refused, an encoded slash stays inside its segment, and no URL can change the host', async () => {
    const sdk = running.client('acme');
    for (const path of ['/proxy/projects/%2e%2e/%2E%2E/admin', '/proxy/projects/../../admin', '/proxy/projects//members']) {
      const refused = await rawGet(`${path}?integrated_account_id=${gitlabAccount}`);
      expect(refused).toMatchObject({ statusCode: 400, code: 'UNIMAP_E_REQ_INVALID_PATH_VALUE' });
    }
    await sdk.request('GET', '/proxy/projects/acme%2Fwidgets/members', { integrated_account_id: gitlabAccount });
    await sdk.request('GET', `/proxy/${encodeURIComponent('http://evil.example/x')}`, { integrated_account_id: gitlabAccount });
    expect(running.sims.get('gitlab')!.requests.map((r) => r.url)).toEqual(['/api/v4/projects/acme%2Fwidgets/members', '/api/v4/http%3A%2F%2Fevil.example%2Fx']);
  });

  test('an account of another tenant is not found', async () => {
    const answer = await running.client('globex').request('GET', '/proxy/api/v1/users', { integrated_account_id: oktaAccount });
    expect(answer.body).toMatchObject({ statusCode: 404, code: 'UNIMAP_E_REQ_ACCOUNT_NOT_FOUND' });
    expect(running.sims.get('okta')!.requests).toHaveLength(0);
  });
});

/** fetch normalises dot segments before sending; a raw request sends the path exactly as written. */
function rawGet(path: string): Promise<Record<string, unknown>> {
  const url = new URL(running.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, path, headers: { Authorization: `Bearer ${running.keys.get('acme')}` } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve(JSON.parse(text) as Record<string, unknown>));
    });
    request.on('error', reject);
    request.end();
  });
}
