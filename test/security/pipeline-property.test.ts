/**
 * Arbitrary unified calls (method, id, body, query options) against arbitrary remote answers from a scripted server
 * on 127.0.0.1. Whatever comes in, the engine answers a unified result or a UnimapError — never anything else,
 * never a hang — Object.prototype is untouched, and no form of the account's secrets reaches any output.
 */
import fc from 'fast-check';
import { createEngine, isUnimapError, type Engine, type UnifiedCall } from '../../engine';
import { snapshotPrototype, startScriptedServer, type ScriptedAnswer, type ScriptedServer } from './scripted-server';

const OKTA_TOKEN = 'canaryOktaToken7Qx9';
const ZENDESK_TOKEN = 'canaryZendeskToken3Vw1';
const ZENDESK_EMAIL = 'admin@acme.example';

/** Every form of a secret the engine itself derives: raw, base64 of it and of the Basic pair, URL- and JSON-escaped. */
const LEAK_FORMS = [OKTA_TOKEN, ZENDESK_TOKEN].flatMap((secret) => [
  secret,
  Buffer.from(secret).toString('base64'),
  encodeURIComponent(secret),
  JSON.stringify(secret).slice(1, -1),
]).concat([Buffer.from(`${ZENDESK_EMAIL}/token:${ZENDESK_TOKEN}`).toString('base64')]);

let server: ScriptedServer;
let engine: Engine;
const prototypeBefore = snapshotPrototype();

beforeAll(async () => {
  server = await startScriptedServer();
  engine = createEngine({
    accounts: [
      { id: 'okta', integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: server.url },
      { id: 'zendesk', integration: 'zendesk', context: { subdomain: 'acme', email: ZENDESK_EMAIL, api_token: ZENDESK_TOKEN }, base_url: server.url },
    ],
    maxRetryWaitMs: 0,
    // Hundreds of calls a minute to one account: Okta's and Zendesk's declared budgets would make them wait.
    rateLimits: false,
  });
});
afterAll(() => server.close());

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('.', '..', '%2e%2e', '__proto__', 'constructor', '\uD800', '', ' ', 'a/b', '../../admin', 'x" or status eq "ACTIVE', '0'),
);

const unifiedBody = fc.oneof(
  fc.record({
    first_name: fc.oneof(hostileText, fc.integer(), fc.constant(null)),
    last_name: hostileText,
    emails: fc.oneof(fc.array(fc.record({ email: hostileText, is_primary: fc.boolean() }, { requiredKeys: ['email'] }), { maxLength: 2 }), fc.jsonValue()),
    status: fc.oneof(fc.constantFrom('active', 'inactive', 'deleted'), hostileText),
    remote_data: fc.oneof(fc.object(), fc.constant(JSON.parse('{"__proto__": {"polluted": true}}') as unknown)),
  }, { requiredKeys: [] }),
  fc.jsonValue(),
  fc.object(),
);

const queryOptions = fc.record({
  truto_response_format: fc.oneof(fc.constantFrom('unified', 'normalized', 'raw'), hostileText),
  truto_ignore_remote_data: fc.oneof(fc.boolean(), hostileText),
  truto_exclude_fields: fc.oneof(hostileText, fc.array(fc.oneof(hostileText, fc.constantFrom('__proto__.toString', 'remote_data.__proto__.valueOf', 'emails.type'))), fc.object()),
  remote_query: fc.oneof(fc.object(), hostileText),
  limit: fc.oneof(fc.integer({ min: -5, max: 500 }), hostileText),
  next_cursor: fc.oneof(hostileText, fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v ?? null)).toString('base64url')), fc.integer()),
  email: fc.oneof(hostileText, fc.jsonValue()),
  updated_after: fc.oneof(fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday'), hostileText),
}, { requiredKeys: [] });

const oktaUser = (id: unknown) => ({ id, status: 'ACTIVE', created: '2026-01-02T03:04:05.000Z', profile: { firstName: 'Ada', lastName: 'L', email: 'a@b.co', login: 'a@b.co' } });

/** What the remote answers: any status, content type and body, including bodies that echo the request's credentials. */
const remoteAnswer: fc.Arbitrary<ScriptedAnswer> = fc.record({
  status: fc.constantFrom(200, 201, 204, 301, 302, 307, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503),
  contentType: fc.constantFrom('application/json', 'application/xml', 'text/html', 'application/x-www-form-urlencoded', undefined),
  retryAfter: fc.constantFrom(undefined, '0', '1', 'soon', '99999'),
  body: fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    fc.constantFrom(JSON.stringify(oktaUser('00u1')), JSON.stringify([oktaUser(1), oktaUser('2')]), JSON.stringify({ users: [{ id: 5, name: 'x' }], user: { id: 5 } })),
    fc.constantFrom('', 'null', '<html>oops</html>', '<user><id>1</id></user>', 'id=1&__proto__[polluted]=1', '{"__proto__": {"polluted": true}, "id": "1"}', `${'['.repeat(5000)}${']'.repeat(5000)}`),
    fc.string(),
    fc.constant('ECHO'),
  ),
}).map(({ status, contentType, retryAfter, body }) => ({
  status,
  headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
  // A hostile provider echoing the request's credentials back, in error answers only (a success body is data).
  body: body === 'ECHO' && status >= 400
    ? (seen) => JSON.stringify({ message: `bad auth ${String(seen.headers.authorization)}`, error: seen.url, auth: seen.headers.authorization })
    : body === 'ECHO' ? '{}' : body,
}));

/** Mostly well-formed input, so calls reach the remote answer; hostile input in one call out of four. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 1 });

const validQuery = fc.record({
  truto_response_format: fc.constantFrom('unified', 'normalized', 'raw'),
  truto_ignore_remote_data: fc.boolean(),
  truto_exclude_fields: fc.constantFrom('emails.type', 'remote_data', 'first_name,last_name'),
  limit: fc.integer({ min: 1, max: 50 }),
}, { requiredKeys: [] });

const validBody = fc.record({
  first_name: fc.string(),
  last_name: fc.string(),
  emails: fc.array(fc.record({ email: fc.constantFrom('a@b.co', 'x.y@example.com'), is_primary: fc.boolean() }), { maxLength: 2 }),
}, { requiredKeys: ['first_name', 'last_name', 'emails'] });

/** A well-formed answer in the provider's own shape, so calls also run their success path end to end. */
const realisticAnswer: fc.Arbitrary<ScriptedAnswer> = fc.record({ status: fc.constantFrom(200, 201), id: fc.oneof(fc.integer(), fc.string()) }).map(({ status, id }) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: (seen) => {
    const zendesk = seen.url.startsWith('/api/v2/');
    const single = /\/users\/[^/?]+/.test(seen.url) || seen.method !== 'GET';
    const okta = oktaUser(id);
    const user = { id, name: 'Ada L', email: 'a@b.co', active: true, created_at: '2026-01-02T03:04:05Z' };
    if (zendesk) return JSON.stringify(single ? { user } : { users: [user, user], next_page: null });
    return JSON.stringify(single ? okta : [okta, okta]);
  },
}));

const call = fc.record({
  account: fc.constantFrom('okta', 'zendesk'),
  method: fc.constantFrom('get', 'list', 'create', 'update', 'delete'),
  id: mostly(fc.stringMatching(/^[a-zA-Z0-9]{1,10}$/), hostileText),
  body: mostly(validBody, unifiedBody),
  query: mostly(validQuery, queryOptions),
});

function texts(value: unknown): string {
  if (isUnimapError(value)) return [value.message, value.stack ?? '', JSON.stringify(value.toJSON()), JSON.stringify(value.details ?? null)].join('\n');
  return JSON.stringify(value) ?? '';
}

test('any call against any remote answer: a result or a UnimapError, no hang, no pollution, no leaked secret', async () => {
  await fc.assert(
    fc.asyncProperty(call, mostly(realisticAnswer, remoteAnswer), async (c, answer) => {
      server.answer = answer;
      const unified: UnifiedCall = {
        category: c.account === 'okta' ? 'user-directory' : 'ticketing',
        resource: 'users',
        method: c.method,
        integratedAccountId: c.account,
        query: c.query as Record<string, unknown>,
        ...(c.method === 'list' ? {} : { id: c.id }),
        ...(c.method === 'create' || c.method === 'update' ? { body: c.body } : {}),
      };
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the call did not settle within 10 s')), 10_000);
      });
      let outcome: unknown;
      try {
        outcome = await Promise.race([engine.call(unified), hang]);
      } catch (error) {
        if (!isUnimapError(error)) throw error;
        outcome = error;
      } finally {
        clearTimeout(timer);
      }
      expect(snapshotPrototype()).toEqual(prototypeBefore);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      if (!isUnimapError(outcome)) expect(['record', 'list', 'raw']).toContain((outcome as { kind: string }).kind);
      const shown = texts(outcome);
      for (const form of LEAK_FORMS) expect(shown).not.toContain(form);
    }),
    { numRuns: 400, interruptAfterTimeLimit: 60_000 },
  );
}, 120_000);
