import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createEngine, isUnimapError, MemoryAccountStore } from '../../engine';
import { rejection } from '../helpers/provider-harness';
import { ACME_FILES } from '../helpers/tiny-integration';
import { startScriptedServer, type ScriptedServer } from '../security/scripted-server';

// What a token request looks like on the wire for each declared option, and how odd token endpoints are read:
// JSON bodies, Basic client authentication, scope separators, extra parameters, errors inside a 200 (Slack), a
// form-encoded answer, expires_in as text.
const OAUTH = [
  'oauth2:',
  '  token_url: https://login.acme.test/oauth/token',
  '  body_format: json',
  '  client_auth: header',
  '  scopes: [users.read, users.write]',
  '  scope_separator: ","',
  '  token_error: "ok = false ? error"',
  '  client_credentials:',
  '    token_params: { audience: "https://api.acme.test/{{ $context.region }}" }',
  '',
].join('\n');

describe('token requests as the definition declares them', () => {
  let dir: string;
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
    dir = mkdtempSync(join(tmpdir(), 'unimap-oauth-'));
    const files = {
      ...ACME_FILES,
      'acme/integration.yaml': ACME_FILES['acme/integration.yaml']!
        .replace('  api_token: { required: true, secret: true }', [
          '  api_token: { secret: true }',
          '  access_token: { secret: true }',
          '  refresh_token: { secret: true }',
          '  expires_at: {}',
          '  client_id: {}',
          '  client_secret: { secret: true }',
          '  region: { pattern: "^[a-z]+$" }',
        ].join('\n'))
        .replace('{{ $context.api_token }}', '{{ $context.access_token }}') + OAUTH,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const engineWith = (context: Record<string, unknown>) => {
    const accounts = new MemoryAccountStore([{ id: 'a', integration: 'acme', context, base_url: server.url, token_url: `${server.url}/oauth/token` }]);
    return { accounts, engine: createEngine({ mappings: dir, accounts, maxRetryWaitMs: 0 }) };
  };
  const answers = (token: (body: string) => { status: number; body: string; headers?: Record<string, string> }) => {
    server.answer = (request) => (request.url === '/oauth/token' ? token(request.body) : { status: 200, body: JSON.stringify({ users: [] }) });
  };

  test('client credentials: a JSON body with scope joined by the separator and the extra parameter; the client in a Basic header', async () => {
    answers(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, access_token: 'at-1', expires_in: '3600' }) }));
    const { engine, accounts } = engineWith({ client_id: 'app id', client_secret: 's3cr:t', region: 'eu' });
    await engine.list('user-directory', 'users', { integratedAccountId: 'a' });
    const sent = server.requests.find((r) => r.url === '/oauth/token')!;
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({ grant_type: 'client_credentials', scope: 'users.read,users.write', audience: 'https://api.acme.test/eu' });
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from('app+id:s3cr%3At').toString('base64')}`);
    expect(server.requests.at(-1)!.headers['authorization']).toBe('Bearer at-1');
    const expiresAt = Date.parse(String((await accounts.get('a'))!.context['expires_at']));
    expect(expiresAt - Date.now()).toBeGreaterThan(3500_000); // "3600" as text is read as seconds
  });

  test('an error reported with status 200 (token_error) is an error: a revoked grant marks the account, secrets stay out', async () => {
    answers(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: false, error: 'invalid_refresh_token' }) }));
    const { engine, accounts } = engineWith({ refresh_token: 'rt-very-secret-1', access_token: 'old', expires_at: '2020-01-01T00:00:00Z', client_id: 'app', client_secret: 'shh-0123' });
    const error = await rejection(engine.list('user-directory', 'users', { integratedAccountId: 'a' }));
    expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_AUTH_NEEDS_REAUTH');
    expect(JSON.stringify(error) + String((error as Error).message)).not.toMatch(/rt-very-secret-1|shh-0123/);
    expect((await accounts.get('a'))!.status).toBe('needs_reauth');
    const sent = JSON.parse(server.requests.filter((r) => r.url === '/oauth/token').at(-1)!.body);
    expect(sent).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-very-secret-1' });
  });

  test('a form-encoded answer is read; an answer without access_token is a typed failure, not a broken account', async () => {
    answers(() => ({ status: 200, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'access_token=at-form&token_type=bearer&expires_in=60' }));
    const first = engineWith({ client_id: 'app', client_secret: 'shh-0123', region: 'us' });
    await first.engine.list('user-directory', 'users', { integratedAccountId: 'a' });
    expect(server.requests.at(-1)!.headers['authorization']).toBe('Bearer at-form');

    answers(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token_type: 'bearer' }) }));
    const second = engineWith({ client_id: 'app', client_secret: 'shh-0123', region: 'us' });
    const error = await rejection(second.engine.list('user-directory', 'users', { integratedAccountId: 'a' }));
    expect(isUnimapError(error) && [error.code, error.retriable]).toEqual(['UNIMAP_E_AUTH_TOKEN_REQUEST', false]);
    expect((await second.accounts.get('a'))!.status).toBeUndefined();
  });

  test('a token endpoint that cannot be reached is retriable and names no credential', async () => {
    const accounts = new MemoryAccountStore([{ id: 'a', integration: 'acme', context: { client_id: 'app', client_secret: 'shh-0123', region: 'us' }, base_url: server.url, token_url: 'http://127.0.0.1:1/oauth/token' }]);
    const engine = createEngine({ mappings: dir, accounts, maxRetryWaitMs: 0 });
    const error = await rejection(engine.list('user-directory', 'users', { integratedAccountId: 'a' }));
    expect(isUnimapError(error) && [error.code, error.retriable]).toEqual(['UNIMAP_E_AUTH_TOKEN_REQUEST', true]);
    expect(String((error as Error).message)).not.toContain('shh-0123');
  });
});
