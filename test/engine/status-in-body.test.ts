import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEngine, isUnimapError, type Engine } from '../../engine';
import type { RemoteRequest, RemoteResponse, Transport } from '../../engine/transport/transport';

/**
 * Answers whose HTTP status does not say what happened: a rate limit the provider reports inside a 2xx body
 * (rate_limit.when), and an error mapping that gives the status the answer really means (`status`). The provider
 * here is a scripted transport, so each test says exactly which answers come back and counts what was sent.
 */

// A gateway in the style of Marketo's: failures come as HTTP 200 with { success: false, errors: [{ code, message }] }.
const INTEGRATION = [
  'unimap: 1',
  'name: gateway',
  'label: Gateway',
  'base_url: https://api.gateway.test',
  'context:',
  '  api_token: { required: true, secret: true }',
  'auth: { type: header, headers: { Authorization: "Bearer {{ $context.api_token }}" } }',
  'rate_limit:',
  '  max_retries: 2',
  '  when: $string(errors[0].code) in ["606", "615"]',
  'error_when: success = false',
  'error: |',
  '  (',
  '    $code := $string(errors[0].code);',
  '    {',
  '      "message": errors[0].message,',
  '      "code": $code,',
  '      "status": $lookup({ "404": 404, "601": 401, "608": 503, "bad": "404", "high": 700, "two": 200 }, $code)',
  '    }',
  '  )',
  '',
].join('\n');

const USERS = [
  'unimap: 1',
  'list:',
  '  request: { method: GET, path: /users }',
  '  records: result',
  '  filters: []',
  '  response: &user |',
  '    { "id": $str(id), "first_name": firstName }',
  '  response_supported: [id, first_name]',
  'get:',
  '  request: { method: GET, path: "/users/{{ $params.id }}" }',
  '  record: result[0]',
  '  response: *user',
  '  response_supported: [id, first_name]',
  'create:',
  '  request: { method: POST, path: /users }',
  '  body: |',
  '    { "firstName": first_name }',
  '  record: result[0]',
  '  response: *user',
  '  required: [first_name]',
  '  supported: [first_name]',
  '  response_supported: [id, first_name]',
  '',
].join('\n');

// The "when" of this integration leaves out error_when, to show a 2xx rate limit needs nothing else to be one.
const WITHOUT_ERROR_WHEN = INTEGRATION.replace('error_when: success = false\n', '').replace('name: gateway', 'name: quiet').replace('label: Gateway', 'label: Quiet');

const UD = 'user-directory';
const ok = (result: unknown[]): RemoteResponse => answer(200, { success: true, result });
const failed = (code: string, message: string, status = 200, headers: Record<string, string> = {}): RemoteResponse => answer(status, { success: false, errors: [{ code, message }] }, headers);
function answer(status: number, body: unknown, headers: Record<string, string> = {}): RemoteResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Answers in order, one per request; every request is kept. */
function scripted(answers: RemoteResponse[]): Transport & { sent: RemoteRequest[] } {
  const sent: RemoteRequest[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request);
      const next = answers.shift();
      if (!next) throw new Error(`no scripted answer left for ${request.method} ${request.url}`);
      return next;
    },
    async stream() {
      throw new Error('not used');
    },
  };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-status-in-body-'));
  const files: Record<string, string> = {
    'gateway/integration.yaml': INTEGRATION,
    'gateway/user-directory/users.yaml': USERS,
    'quiet/integration.yaml': WITHOUT_ERROR_WHEN,
    'quiet/user-directory/users.yaml': USERS,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function engineWith(transport: Transport, integration = 'gateway'): Engine {
  return createEngine({ mappings: dir, transport, accounts: [{ id: 'a', integration, context: { api_token: 'token-0123456789' } }], maxRetryWaitMs: 2000 });
}
const call = { integratedAccountId: 'a' };
const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe('a rate limit reported inside a 2xx answer', () => {
  // Retry-After 0 keeps the retries to the engine's short backoff
  const limited = failed('606', "Max rate limit '100' exceeded with in '20' secs", 200, { 'retry-after': '0' });

  test('a read is retried like a 429 and gets the answer that follows', async () => {
    const transport = scripted([limited, ok([{ id: 1, firstName: 'Ada' }])]);
    const page = await engineWith(transport).list(UD, 'users', call);
    expect(page.result.map((u) => u.first_name)).toEqual(['Ada']);
    expect(transport.sent).toHaveLength(2);
  });

  test('a read still limited after max_retries is UNIMAP_E_REMOTE_RATE_LIMITED, with the real status kept', async () => {
    const transport = scripted([limited, limited, limited]);
    const error = await rejection(engineWith(transport).list(UD, 'users', call));
    expect(isUnimapError(error) && [error.code, error.status, error.retriable, error.remote?.status]).toEqual(['UNIMAP_E_REMOTE_RATE_LIMITED', 429, true, 200]);
    expect((error as Error).message).toContain("Gateway answered 200 [606]: Max rate limit '100' exceeded");
    expect(transport.sent).toHaveLength(3);
  });

  test('a create is not retried: RATE_LIMITED at once, and known not to have been applied', async () => {
    const transport = scripted([failed('615', 'Concurrent access limit reached')]);
    const error = await rejection(engineWith(transport).create(UD, 'users', { first_name: 'Ada' }, call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, retriable: true, details: { outcome: 'not_applied' } });
    expect(transport.sent).toHaveLength(1);
  });

  test('without error_when the answer is still a rate limit, never data', async () => {
    const transport = scripted([limited, limited, limited]);
    const error = await rejection(engineWith(transport, 'quiet').list(UD, 'users', call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', remote: { status: 200 } });
  });

  test('a 2xx that rate_limit.when does not name stays what it was: data, or the error error_when makes of it', async () => {
    const transport = scripted([ok([{ id: 2, firstName: 'Grace' }]), failed('1003', 'Invalid data')]);
    const engine = engineWith(transport);
    expect((await engine.list(UD, 'users', call)).result).toHaveLength(1);
    expect(await rejection(engine.list(UD, 'users', call))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, remote: { status: 200 } });
    expect(transport.sent).toHaveLength(2);
  });
});

describe('the status an error mapping gives', () => {
  test('a 200 that says not found is a 404; remote.status keeps 200 and the message says both', async () => {
    const transport = scripted([failed('404', 'User not found')]);
    const error = await rejection(engineWith(transport).get(UD, 'users', '9', call));
    expect(isUnimapError(error) && [error.code, error.status, error.retriable, error.remote?.status]).toEqual(['UNIMAP_E_REMOTE_HTTP', 404, false, 200]);
    expect((error as Error).message).toBe('Gateway answered 200 (taken as 404) [404]: User not found');
  });

  test('it also corrects a real error status (a 403 whose body says the token is invalid is a 401)', async () => {
    const transport = scripted([failed('601', 'Access token invalid', 403)]);
    const error = await rejection(engineWith(transport).get(UD, 'users', '9', call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, remote: { status: 403 } });
  });

  test('a mapped 5xx is answered 502 and retriable, as a real 5xx is', async () => {
    const transport = scripted([failed('608', 'API Temporarily Unavailable')]);
    const error = await rejection(engineWith(transport).get(UD, 'users', '9', call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, retriable: true, remote: { status: 200 } });
    expect((error as Error).message).toContain('(taken as 503)');
  });

  test.each([['bad', 'a string'], ['high', 'past 599'], ['two', 'not an error status']])('a status that is %s (%s) is ignored', async (code) => {
    const transport = scripted([failed(code, 'Something happened')]);
    const error = await rejection(engineWith(transport).get(UD, 'users', '9', call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, remote: { status: 200 } });
    expect((error as Error).message).toBe(`Gateway answered 200 [${code}]: Something happened`);
  });

  test('a rate limit keeps 429 whatever status the error mapping gives', async () => {
    // 404 is the code the mapping turns into a status; the integration's rate_limit.when names 606 only
    const transport = scripted([answer(429, { success: false, errors: [{ code: '404', message: 'Slow down' }] }, { 'retry-after': '3600' })]);
    const error = await rejection(engineWith(transport).get(UD, 'users', '9', call));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, remote: { status: 429 } });
    expect((error as Error).message).not.toContain('taken as');
  });
});
