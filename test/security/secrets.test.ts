import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, isUnimapError, type Engine, type IntegratedAccount, type UnimapError } from '../../engine';
import { main } from '../../engine/cli/main';
import { redact } from '../../engine/secrets/redact';
import { redactError } from '../../engine/secrets/redact-error';
import { SecretSet } from '../../engine/secrets/secret-set';
import { UnimapError as UnimapErrorClass } from '../../engine/errors';

/**
 * Secrets must not surface in any form the engine derives from them: the raw value, its URL/form/JSON/HTML
 * encodings, its base64, and the Basic pair base64(user:password) — in planned requests, in `unimap map request`,
 * in errors built from a provider echoing what it received, and in recorded fixtures.
 */

// Quote, plus, slash, space, ampersand, backslash, non-ASCII and URL-reserved characters: every encoding differs.
const CANARY = 'cAn4ry"+/ =&?\\é~!\'()*-Zx91QwErTy';
const EMAIL = 'admin@acme.example';
const USER = 'svc-integration';

interface BasicCase {
  integration: string;
  resource: string;
  context: (secret: string) => Record<string, unknown>;
  /** The user:password pair the Basic header encodes. */
  pair: (secret: string) => string;
  /** A provider error body whose message fields (per the integration's error mapping) carry `text`. */
  errorBody: (text: string, key: string) => { contentType: string; body: string };
}

const json = (value: unknown) => ({ contentType: 'application/json', body: JSON.stringify(value) });

const CASES: BasicCase[] = [
  {
    integration: 'freshdesk', resource: 'ticketing/users',
    context: (s) => ({ domain: 'acme', api_key: s }), pair: (s) => `${s}:X`,
    errorBody: (t, k) => json({ description: t, code: t, errors: [{ field: 'auth', message: t, code: t }], [k]: t }),
  },
  {
    integration: 'zendesk', resource: 'ticketing/users',
    context: (s) => ({ subdomain: 'acme', email: EMAIL, api_token: s }), pair: (s) => `${EMAIL}/token:${s}`,
    errorBody: (t, k) => json({ error: { title: t, message: t }, description: t, details: { base: [{ description: t }] }, [k]: t }),
  },
  {
    integration: 'jira', resource: 'ticketing/users',
    context: (s) => ({ site: 'acme', email: EMAIL, api_token: s }), pair: (s) => `${EMAIL}:${s}`,
    errorBody: (t, k) => json({ errorMessages: [t], errors: { [k]: t }, message: t }),
  },
  {
    integration: 'gorgias', resource: 'ticketing/users',
    context: (s) => ({ domain: 'acme', email: EMAIL, api_key: s }), pair: (s) => `${EMAIL}:${s}`,
    errorBody: (t, k) => json({ error: { msg: t, data: { [k]: [t] } }, message: t }),
  },
  {
    integration: 'servicenow', resource: 'ticketing/users',
    context: (s) => ({ instance: 'acme', username: USER, password: s }), pair: (s) => `${USER}:${s}`,
    errorBody: (t, k) => json({ error: { message: t, detail: t }, status: 'failure', [k]: t }),
  },
  {
    integration: 'jamf-pro', resource: 'mdm/users',
    context: (s) => ({ instance: 'acme', username: USER, password: s }), pair: (s) => `${USER}:${s}`,
    errorBody: (t) => ({ contentType: 'text/html', body: `<html><head><title>Status page</title></head><body><p>${escapeHtml(t)}</p><p>${escapeHtml(t)}</p></body></html>` }),
  },
];

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const unpadded = (text: string) => text.replace(/=+$/, '');

/** Every form of the secret (and of its Basic pair) that must never be shown. */
function forms(secret: string, pair?: string): string[] {
  const out = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['k', secret]]).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    escapeHtml(secret),
    unpadded(Buffer.from(secret, 'utf8').toString('base64')),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
  if (pair !== undefined) {
    out.push(unpadded(Buffer.from(pair, 'utf8').toString('base64')), unpadded(Buffer.from(pair, 'latin1').toString('base64')));
  }
  return [...new Set(out)];
}

/** Everything a caller, a log line or an HTTP error body could show of an error. */
function exposed(error: UnimapError): string {
  return [
    error.message,
    error.stack ?? '',
    JSON.stringify(error.details ?? null),
    JSON.stringify(error.remote ?? null),
    JSON.stringify(error.toJSON()),
    String(error.cause ?? ''),
  ].join('\n');
}

function expectNoForm(text: string, secret: string, pair?: string): void {
  for (const form of forms(secret, pair)) expect({ form, found: text.includes(form) }).toEqual({ form, found: false });
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}
type Answer = (request: Seen) => { status: number; contentType?: string; body: string };

let server: Server;
let baseUrl: string;
let answer: Answer = () => ({ status: 200, body: '[]' });
const seen: Seen[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-secrets-'));
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      seen.push(request);
      const { status, contentType, body } = answer(request);
      res.writeHead(status, { 'content-type': contentType ?? 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  answer = () => ({ status: 200, body: '[]' });
});

function engineFor(accounts: IntegratedAccount[]): Engine {
  return createEngine({ accounts, maxRetryWaitMs: 0 });
}

function account(kase: BasicCase, secret: string, extra: Partial<IntegratedAccount> = {}): IntegratedAccount {
  return { id: `acct-${kase.integration}`, integration: kase.integration, context: kase.context(secret), base_url: baseUrl, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<UnimapError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isUnimapError(error)) throw new Error(`expected a UnimapError, got ${String(error)}`);
  return error;
}

function call(kase: BasicCase, method = 'list'): { category: string; resource: string; method: string; integratedAccountId: string } {
  const [category, resource] = kase.resource.split('/') as [string, string];
  return { category, resource, method, integratedAccountId: `acct-${kase.integration}` };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe.each(CASES)('$integration: Basic auth secret', (kase) => {
  const pair = kase.pair(CANARY);

  test('planRequest shows neither the secret nor its Basic pair, and sends nothing', async () => {
    const engine = engineFor([account(kase, CANARY)]);
    const planned = await engine.planRequest(call(kase));
    expect(planned.headers['Authorization']).toBe('Basic [redacted]');
    expectNoForm(JSON.stringify(planned), CANARY, pair);
    expect(seen).toHaveLength(0);
  });

  test('`unimap map request` prints no form of the secret', async () => {
    const input = join(dir, `${kase.integration}-input.json`);
    const context = join(dir, `${kase.integration}-context.json`);
    writeFileSync(input, '{}');
    writeFileSync(context, JSON.stringify(kase.context(CANARY)));
    const { code, out, err } = await cli('map', 'request', '--integration', kase.integration, '--resource', kase.resource, '--method', 'list', '--input', input, '--context', context);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out).headers.Authorization).toBe('Basic [redacted]');
    expectNoForm(out, CANARY, pair);
    expect(seen).toHaveLength(0);
  });

  test.each([401, 500])('a %i echoing the Authorization header, the query and the secret leaks nothing', async (status) => {
    answer = (request) => {
      const echoed = `auth=${request.headers.authorization} url=${request.url} raw=${CANARY} uri=${encodeURIComponent(CANARY)} ` +
        `json=${JSON.stringify(CANARY)} b64=${Buffer.from(CANARY).toString('base64')}`;
      const { contentType, body } = kase.errorBody(echoed, `${request.headers.authorization}|${CANARY}`);
      return { status, contentType, body };
    };
    const engine = engineFor([account(kase, CANARY)]);
    const error = await failure(engine.call(call(kase)));
    expect(error.code).toBe('UNIMAP_E_REMOTE_HTTP');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from(pair, kase.integration === 'servicenow' || kase.integration === 'jamf-pro' ? 'latin1' : 'utf8').toString('base64')}`);
    expect(error.message).toContain('[redacted]'); // the echo reached the message, scrubbed
    expectNoForm(exposed(error), CANARY, pair);
  });
});

describe('redaction happens before truncation', () => {
  const jira = CASES.find((c) => c.integration === 'jira')!;

  test.each([3995, 3999, 4000, 195, 199])('a secret starting at character %i of a long text body is gone', async (at) => {
    answer = () => ({ status: 500, contentType: 'text/plain', body: `${'x'.repeat(at)}${CANARY}${'y'.repeat(6000)}` });
    const error = await failure(engineFor([account(jira, CANARY)]).call(call(jira)));
    expect(typeof error.remote?.body).toBe('string');
    const text = exposed(error);
    expectNoForm(text, CANARY, jira.pair(CANARY));
    // Not even the part before the cut.
    expect(text).not.toContain(CANARY.slice(0, 8));
  });

  test('a JSON body whose message field is cut inside the Basic pair leaks no half of it', async () => {
    answer = (request) => ({ status: 401, body: JSON.stringify({ message: `${'m'.repeat(190)}${request.headers.authorization}` }) });
    const error = await failure(engineFor([account(jira, CANARY)]).call(call(jira)));
    const encoded = unpadded(Buffer.from(jira.pair(CANARY)).toString('base64'));
    expect(exposed(error)).not.toContain(encoded.slice(0, 8));
  });
});

describe('short secrets', () => {
  test.each(['q', 'Z7', '9x!'])('a %p token echoed in headers, query and body fields is redacted', async (secret) => {
    const okta: IntegratedAccount = { id: 'short-okta', integration: 'okta', context: { subdomain: 'acme', api_token: secret }, base_url: baseUrl };
    const jira = CASES.find((c) => c.integration === 'jira')!;
    answer = (request) => ({
      status: 401,
      body: JSON.stringify({
        errorSummary: `Invalid header: ${request.headers.authorization}`,
        errorMessages: [`Invalid header: ${request.headers.authorization}`],
        echo: { authorization: request.headers.authorization, token: secret, query: `api_token=${encodeURIComponent(secret)}&x=1` },
      }),
    });
    const engine = engineFor([okta, account(jira, secret)]);
    const oktaError = await failure(engine.list('user-directory', 'users', { integratedAccountId: 'short-okta' }));
    const jiraError = await failure(engine.call(call(jira)));
    for (const error of [oktaError, jiraError]) {
      const text = exposed(error);
      expect(text).not.toContain(`SSWS ${secret}`);
      expect(text).not.toContain(`"token":"${secret}"`);
      expect(text).not.toContain(`api_token=${encodeURIComponent(secret)}&`);
      expect(text).toContain('[redacted]');
    }
    expect(exposed(jiraError)).not.toContain(unpadded(Buffer.from(jira.pair(secret)).toString('base64')));
    // Planned requests redact short secrets too.
    expect((await engine.planRequest({ category: 'user-directory', resource: 'users', method: 'list', integratedAccountId: 'short-okta' })).headers['Authorization']).toBe('SSWS [redacted]');
    expect((await engine.planRequest(call(jira))).headers['Authorization']).toBe('Basic [redacted]');
  });

  test('a short secret does not mangle words that merely contain it', () => {
    expect(redact({ message: 'Zq is wrong; Zqx and aZq stay' }, ['Zq'])).toEqual({ message: '[redacted] is wrong; Zqx and aZq stay' });
  });
});

describe('hostile error bodies', () => {
  const gorgias = CASES.find((c) => c.integration === 'gorgias')!;

  test('the secret and its Basic pair as object keys are redacted', async () => {
    answer = (request) => ({
      status: 400,
      body: JSON.stringify({ message: 'bad', [CANARY]: 1, nested: { [`${request.headers.authorization}`]: { [encodeURIComponent(CANARY)]: true } } }),
    });
    const error = await failure(engineFor([account(gorgias, CANARY)]).call(call(gorgias)));
    expectNoForm(exposed(error), CANARY, gorgias.pair(CANARY));
    expect(Object.keys(error.remote!.body as object)).toContain('[redacted]');
  });

  test('a 20,000-deep error body is a typed error that serializes', async () => {
    const depth = 20_000;
    answer = () => ({ status: 500, body: `${'{"a":'.repeat(depth)}"${CANARY}"${'}'.repeat(depth)}` });
    const error = await failure(engineFor([account(gorgias, CANARY)]).call(call(gorgias)));
    expect(error.code).toBe('UNIMAP_E_REMOTE_HTTP');
    expect(() => JSON.stringify(error.toJSON())).not.toThrow();
    expectNoForm(exposed(error), CANARY, gorgias.pair(CANARY));
  });

  test('a mapping failure quoting an echoed credential is scrubbed by the call\'s safety net', async () => {
    answer = (request) => ({ status: 200, body: JSON.stringify({ data: [{ id: 1, echo: `${request.headers.authorization} ${CANARY}` }], meta: {} }) });
    const overrides = { 'ticketing/users': { list: { response: '$error("cannot map " & echo)' } } };
    const error = await failure(engineFor([account(gorgias, CANARY, { overrides })]).call(call(gorgias)));
    expect(error.code).toBe('UNIMAP_E_MAP_EVALUATION');
    expect(error.message).toContain('cannot map Basic [redacted] [redacted]');
    expectNoForm(exposed(error), CANARY, gorgias.pair(CANARY));
  });
});

describe('unimap record', () => {
  test('a provider echoing the Basic header leaves no credential in the fixture', async () => {
    const jira = CASES.find((c) => c.integration === 'jira')!;
    answer = (request) => ({ status: 401, body: JSON.stringify({ errorMessages: [`rejected ${request.headers.authorization}`], echo: request.headers.authorization }) });
    const context = join(dir, 'record-context.json');
    const out = join(dir, 'recorded', 'jira.users.yaml');
    writeFileSync(context, JSON.stringify(jira.context(CANARY)));
    const { code } = await cli('record', '--integration', 'jira', '--resource', 'ticketing/users', '--method', 'list', '--context', context, '--out', out, '--name', 'echo', '--base-url', baseUrl);
    expect(code).toBe(0);
    const fixture = readFileSync(out, 'utf8');
    expect(fixture).toContain('[redacted]');
    expect(fixture).toContain('UNIMAP_E_REMOTE_HTTP');
    expectNoForm(fixture, CANARY, jira.pair(CANARY));
  });
});

describe('redact and redactError', () => {
  test('cyclic and deep values never overflow the stack', () => {
    const cyclic: Record<string, unknown> = { token: CANARY };
    cyclic['self'] = cyclic;
    let deep: unknown = CANARY;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const out = redact({ cyclic, deep }, [CANARY]);
    expect(JSON.stringify(out)).not.toContain(CANARY);
    expect(JSON.stringify(out)).toContain('[circular]');
  });

  test('every field of a UnimapError is scrubbed, remote_code and cause included', () => {
    const secrets = new SecretSet([CANARY]);
    secrets.addCredential(`Basic ${Buffer.from(`u:${CANARY}`).toString('base64')}`);
    const original = new UnimapErrorClass('UNIMAP_E_REMOTE_HTTP', `bad ${CANARY}`, {
      details: { remote_code: encodeURIComponent(CANARY), [CANARY]: 1 } as { remote_code: string },
      remote: { status: 401, body: `Basic ${Buffer.from(`u:${CANARY}`).toString('base64')}` },
      cause: new Error(`inner ${JSON.stringify(CANARY)}`),
      retryAfterSeconds: 3,
    });
    const clean = redactError(original, secrets) as UnimapError;
    expect(clean).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, retryAfterSeconds: 3, remote: { status: 401 } });
    expectNoForm(exposed(clean) + String((clean.cause as Error).stack), CANARY, `u:${CANARY}`);
  });
});
