import { createHash } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { JWT_BEARER, startOAuthProvider, type OAuthClient, type OAuthProviderOptions, type RunningOAuthProvider } from '../../engine/sandbox/oauth';

// The OAuth 2.0 authorization server simulator answers as RFC 6749, RFC 7636 and RFC 7523 say, with the providers'
// choices (rotation, client authentication, body formats, Google's service-account assertions) as options.

const CALLBACK = 'https://app.example/callback';
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const SERVICE_ACCOUNT = 'sync@acme-project.iam.gserviceaccount.com';
const JWK_SERVICE_ACCOUNT = 'jwk@acme-project.iam.gserviceaccount.com';

/** The simulators' clock: tests move it instead of waiting. */
let clock = Date.parse('2030-01-01T00:00:00Z');
const now = () => clock;
const advanceSeconds = (seconds: number) => void (clock += seconds * 1000);
const nowSeconds = () => Math.floor(clock / 1000);

const web: OAuthClient = {
  client_id: 'web-app',
  client_secret: 'p@ss:w rd+/%',
  redirect_uris: [CALLBACK, 'https://app.example/other?tenant=acme'],
  scopes: ['users.read', 'users.write', 'offline_access'],
};
const spa: OAuthClient = { client_id: 'spa', redirect_uris: ['http://localhost:3000/cb'] };
const other: OAuthClient = { client_id: 'other-app', client_secret: 'other-secret', redirect_uris: [CALLBACK] };

let signingKey: KeyLike;
let strangerKey: KeyLike;
const providers: RunningOAuthProvider[] = [];
let rotating: RunningOAuthProvider;
let graceful: RunningOAuthProvider;
let plain: RunningOAuthProvider;
let headerOnly: RunningOAuthProvider;
let bodyOnly: RunningOAuthProvider;
let entra: RunningOAuthProvider;
let google: RunningOAuthProvider;
let pkceRequired: RunningOAuthProvider;

beforeAll(async () => {
  const serviceAccount = await generateKeyPair('RS256');
  signingKey = serviceAccount.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const start = async (options: Omit<OAuthProviderOptions, 'now'>) => {
    const provider = await startOAuthProvider({ ...options, now });
    providers.push(provider);
    return provider;
  };
  rotating = await start({ clients: [web, spa, other], refreshTokens: { rotate: true, ttlSeconds: 86_400 } });
  graceful = await start({ clients: [web], refreshTokens: { rotate: true, graceSeconds: 30 } });
  plain = await start({ clients: [web, spa, other] });
  headerOnly = await start({
    clients: [web, spa],
    clientAuth: 'header',
    grantAliases: { account_credentials: 'client_credentials' },
    requiredParams: { account_credentials: ['account_id'] },
  });
  bodyOnly = await start({
    clients: [web],
    clientAuth: 'body',
    bodyFormats: ['form', 'json'],
    omitExpiresIn: true,
    extraTokenFields: (grant, request) => ({ instance_url: 'https://acme.my.salesforce.com', id: `https://login.salesforce.com/id/00D/${request.client_id}`, grant }),
  });
  entra = await start({ clients: [web], paths: { authorize: '/:tenant/oauth2/v2.0/authorize', token: '/:tenant/oauth2/v2.0/token' }, requiredParams: { client_credentials: ['scope'] } });
  google = await start({ clients: [{ client_id: SERVICE_ACCOUNT, jwt_public_key: await exportSPKI(serviceAccount.publicKey) }], jwtAudience: GOOGLE_TOKEN_URL });
  pkceRequired = await start({ clients: [web, spa], requirePkce: true });
});
afterAll(async () => {
  for (const provider of providers) await provider.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POST to a token endpoint; params are form-encoded unless `json` is set. */
async function token(
  url: string,
  params: Record<string, string>,
  options: { basic?: [string, string]; json?: boolean; contentType?: string; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? (options.json ? 'application/json' : 'application/x-www-form-urlencoded') };
  if (options.basic) headers['authorization'] = basic(...options.basic);
  const body = options.json ? JSON.stringify(params) : new URLSearchParams(params).toString();
  const response = await fetch(url, { method: 'POST', headers, body, ...(options.signal ? { signal: options.signal } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** RFC 6749 §2.3.1: id and secret are each form-urlencoded before they are joined and base64-encoded. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
const webBasic: [string, string] = [web.client_id, web.client_secret!];

/** GET the authorization endpoint without following the redirect. */
async function authorize(provider: RunningOAuthProvider, params: Record<string, string>, authorizeUrl = provider.authorizeUrl) {
  const response = await fetch(`${authorizeUrl}?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const location = response.headers.get('location');
  return { status: response.status, location: location ? new URL(location) : null, body: response.status === 400 ? await response.json() : undefined };
}

const S256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const VERIFIER = 'dBjftJeZ4CVP-mJ92K1rWF2n3ZLk1x0xmMxu6zA8aWs0'.padEnd(50, 'x');

/** Run the authorization request and return the code it redirects with. */
async function codeFor(provider: RunningOAuthProvider, client: OAuthClient, extra: Record<string, string> = {}): Promise<string> {
  const { status, location } = await authorize(provider, { response_type: 'code', client_id: client.client_id, redirect_uri: client.redirect_uris![0]!, ...extra });
  expect(status).toBe(302);
  const code = location!.searchParams.get('code');
  expect(code).toBeTruthy();
  return code!;
}

/** A code grant through to tokens, for tests about what comes after. */
async function connect(provider: RunningOAuthProvider, scope = 'users.read offline_access') {
  const code = await codeFor(provider, web, { scope });
  const answer = await token(provider.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, { basic: webBasic });
  expect(answer.status).toBe(200);
  return answer.body as { access_token: string; refresh_token: string; expires_in: number; scope?: string };
}

const refresh = (provider: RunningOAuthProvider, refreshToken: string, extra: Record<string, string> = {}) =>
  token(provider.tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, { basic: webBasic });

/** Wait for something the server does on its own (no fixed sleep; fails after a bound). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('authorization code with PKCE and state', () => {
  test('redirects with a code and the state as sent; the code buys tokens once the S256 verifier matches', async () => {
    const state = 'a b/c?d=e&f+g';
    const { status, location } = await authorize(rotating, {
      response_type: 'code', client_id: web.client_id, redirect_uri: CALLBACK, scope: 'users.read offline_access', state,
      code_challenge: S256(VERIFIER), code_challenge_method: 'S256',
    });
    expect(status).toBe(302);
    expect(location!.origin + location!.pathname).toBe(CALLBACK);
    expect(location!.searchParams.get('state')).toBe(state);
    const code = location!.searchParams.get('code')!;

    const answer = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER }, { basic: webBasic });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String), scope: 'users.read offline_access',
    });
    expect(answer.body['access_token']).not.toBe(answer.body['refresh_token']);
    expect(JSON.stringify(answer.body)).not.toContain(web.client_secret);
    expect(rotating.introspect(answer.body['access_token'] as string)).toEqual({ client_id: web.client_id, subject: 'user-1', scope: 'users.read offline_access', family: expect.any(String) });
  });

  test('a wrong or missing verifier is invalid_grant; a plain challenge is compared as is', async () => {
    const challenged = { code_challenge: S256(VERIFIER), code_challenge_method: 'S256' };
    const wrong = await token(rotating.tokenUrl, {
      grant_type: 'authorization_code', code: await codeFor(rotating, web, challenged), redirect_uri: CALLBACK, code_verifier: VERIFIER.replace(/x$/, 'y'),
    }, { basic: webBasic });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringContaining('PKCE') } });
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    const missing = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code: await codeFor(rotating, web, challenged), redirect_uri: CALLBACK }, { basic: webBasic });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // A public client: PKCE stands in for the secret it does not have.
    const code = await codeFor(rotating, spa, { code_challenge: VERIFIER });
    const granted = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: spa.redirect_uris![0]!, client_id: spa.client_id, code_verifier: VERIFIER });
    expect(granted.status).toBe(200);
  });

  test('a verifier for a code issued without a challenge is refused (no PKCE downgrade)', async () => {
    const code = await codeFor(rotating, web);
    const answer = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER }, { basic: webBasic });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('with PKCE required, a request without a challenge or with an unknown method goes back as invalid_request with the state', async () => {
    const base = { response_type: 'code', client_id: web.client_id, redirect_uri: CALLBACK, state: 'xyz' };
    for (const params of [base, { ...base, code_challenge: S256(VERIFIER), code_challenge_method: 'S512' }]) {
      const { status, location } = await authorize(pkceRequired, params);
      expect(status).toBe(302);
      expect(location!.origin + location!.pathname).toBe(CALLBACK);
      expect(Object.fromEntries(location!.searchParams)).toEqual({ error: 'invalid_request', error_description: expect.any(String), state: 'xyz' });
    }
    expect((await authorize(pkceRequired, { ...base, code_challenge: S256(VERIFIER), code_challenge_method: 'S256' })).location!.searchParams.get('code')).toBeTruthy();
  });

  test('a code used twice is invalid_grant and revokes what its first use obtained', async () => {
    const code = await codeFor(rotating, web, { scope: 'users.read' });
    const request = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK };
    const first = await token(rotating.tokenUrl, request, { basic: webBasic });
    expect(first.status).toBe(200);
    expect(rotating.introspect(first.body['access_token'] as string)).not.toBeNull();
    const second = await token(rotating.tokenUrl, request, { basic: webBasic });
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rotating.introspect(first.body['access_token'] as string)).toBeNull();
    expect((await refresh(rotating, first.body['refresh_token'] as string)).body['error']).toBe('invalid_grant');
  });

  test('a code expires after 10 minutes', async () => {
    const code = await codeFor(rotating, web);
    advanceSeconds(601);
    const answer = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, { basic: webBasic });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('an unregistered redirect_uri or client is answered 400 and never redirected', async () => {
    for (const params of [
      { response_type: 'code', client_id: web.client_id, redirect_uri: 'https://evil.example/callback', state: 's' },
      { response_type: 'code', client_id: web.client_id, redirect_uri: `${CALLBACK}/`, state: 's' },
      { response_type: 'code', client_id: 'nobody', redirect_uri: CALLBACK, state: 's' },
      // with two registered URIs the client must say which
      { response_type: 'code', client_id: web.client_id, state: 's' },
    ]) {
      const answer = await authorize(rotating, params);
      expect(answer.status).toBe(400);
      expect(answer.location).toBeNull();
      expect(answer.body).toMatchObject({ error: 'invalid_request' });
    }
  });

  test('the redirect keeps the registered URI\'s own query; redirect_uri may be left out when only one is registered', async () => {
    const { location } = await authorize(rotating, { response_type: 'code', client_id: web.client_id, redirect_uri: 'https://app.example/other?tenant=acme' });
    expect(location!.searchParams.get('tenant')).toBe('acme');
    expect(location!.searchParams.get('code')).toBeTruthy();

    const { location: single } = await authorize(rotating, { response_type: 'code', client_id: other.client_id });
    expect(single!.origin + single!.pathname).toBe(CALLBACK);
    const answer = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code: single!.searchParams.get('code')! }, { basic: [other.client_id, other.client_secret!] });
    expect(answer.status).toBe(200);
  });

  test('the token request must repeat the redirect_uri and come from the client the code was issued to', async () => {
    const elsewhere = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code: await codeFor(rotating, web), redirect_uri: 'https://app.example/other?tenant=acme' }, { basic: webBasic });
    expect(elsewhere).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const omitted = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code: await codeFor(rotating, web) }, { basic: webBasic });
    expect(omitted).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const stolen = await token(rotating.tokenUrl, { grant_type: 'authorization_code', code: await codeFor(rotating, web), redirect_uri: CALLBACK }, { basic: [other.client_id, other.client_secret!] });
    expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  test('a response type other than code and a scope outside the client\'s go back to the client as errors', async () => {
    const base = { client_id: web.client_id, redirect_uri: CALLBACK, state: 'st' };
    const token_ = await authorize(rotating, { ...base, response_type: 'token' });
    expect(Object.fromEntries(token_.location!.searchParams)).toMatchObject({ error: 'unsupported_response_type', state: 'st' });
    const scope = await authorize(rotating, { ...base, response_type: 'code', scope: 'users.read admin' });
    expect(Object.fromEntries(scope.location!.searchParams)).toMatchObject({ error: 'invalid_scope', state: 'st' });
    expect(scope.location!.searchParams.get('code')).toBeNull();
  });
});

describe('client authentication and request format', () => {
  test('either: HTTP Basic with form-urlencoded credentials, or body parameters; never both', async () => {
    const request = { grant_type: 'client_credentials', scope: 'users.read' };
    expect((await token(plain.tokenUrl, request, { basic: webBasic })).status).toBe(200);
    expect((await token(plain.tokenUrl, { ...request, client_id: web.client_id, client_secret: web.client_secret! })).status).toBe(200);
    const both = await token(plain.tokenUrl, { ...request, client_secret: web.client_secret! }, { basic: webBasic });
    expect(both).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('a wrong secret or unknown client is 401 invalid_client, with WWW-Authenticate: Basic when the header was tried', async () => {
    const request = { grant_type: 'client_credentials' };
    const header = await token(plain.tokenUrl, request, { basic: [web.client_id, 'wrong'] });
    expect(header).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } });
    expect(header.headers.get('www-authenticate')).toMatch(/^Basic /);
    const unknown = await token(plain.tokenUrl, request, { basic: ['nobody', 'x'] });
    expect(unknown.status).toBe(401);
    const body = await token(plain.tokenUrl, { ...request, client_id: web.client_id, client_secret: 'wrong' });
    expect(body).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(body.headers.get('www-authenticate')).toBeNull();
    // A secret sent unencoded in the header does not decode to the real one.
    const raw = `Basic ${Buffer.from(`${web.client_id}:${web.client_secret}`).toString('base64')}`;
    const unencoded = await fetch(plain.tokenUrl, { method: 'POST', headers: { authorization: raw, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(unencoded.status).toBe(401);
    // A confidential client naming itself without its secret is not authenticated.
    expect((await token(plain.tokenUrl, { ...request, client_id: web.client_id })).status).toBe(401);
  });

  test('header only: body credentials are invalid_client; body only: Basic is invalid_client with a Basic challenge', async () => {
    const request = { grant_type: 'client_credentials' };
    const inBody = await token(headerOnly.tokenUrl, { ...request, client_id: web.client_id, client_secret: web.client_secret! });
    expect(inBody).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await token(headerOnly.tokenUrl, { grant_type: 'client_credentials' }, { basic: webBasic })).status).toBe(200);

    const inHeader = await token(bodyOnly.tokenUrl, request, { basic: webBasic });
    expect(inHeader).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(inHeader.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await token(bodyOnly.tokenUrl, { ...request, client_id: web.client_id, client_secret: web.client_secret! })).status).toBe(200);
  });

  test('JSON bodies only where accepted; other media types, missing and repeated parameters are invalid_request', async () => {
    const credentials = { grant_type: 'client_credentials', client_id: web.client_id, client_secret: web.client_secret! };
    const json = await token(bodyOnly.tokenUrl, credentials, { json: true });
    expect(json.status).toBe(200);
    expect(await token(plain.tokenUrl, credentials, { json: true })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await token(plain.tokenUrl, credentials, { contentType: 'text/plain' })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const noType = await fetch(plain.tokenUrl, { method: 'POST', body: new Blob([new URLSearchParams(credentials).toString()]) });
    expect(noType.status).toBe(400);
    expect(await noType.json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await fetch(plain.tokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `${new URLSearchParams(credentials)}&grant_type=client_credentials`,
    });
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('grant_type') });
    expect(await token(plain.tokenUrl, { client_id: web.client_id, client_secret: web.client_secret! })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('an unknown grant type is unsupported_grant_type', async () => {
    const answer = await token(plain.tokenUrl, { grant_type: 'password', username: 'ada', password: 'x' }, { basic: webBasic });
    expect(answer).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  test('Salesforce style: no expires_in, the provider\'s extra fields in every answer', async () => {
    const answer = await token(bodyOnly.tokenUrl, { grant_type: 'client_credentials', client_id: web.client_id, client_secret: web.client_secret! });
    expect(answer.body).toEqual({
      access_token: expect.any(String), token_type: 'Bearer', instance_url: 'https://acme.my.salesforce.com',
      id: `https://login.salesforce.com/id/00D/${web.client_id}`, grant: 'client_credentials',
    });
  });
});

describe('refresh tokens', () => {
  test('rotation: each refresh replaces the refresh token; replaying the old one revokes the whole family', async () => {
    const first = await connect(rotating);
    const before = rotating.refreshCount();
    const rotated = await refresh(rotating, first.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3600 });
    expect(rotated.body['refresh_token']).not.toBe(first.refresh_token);
    expect(rotating.refreshCount()).toBe(before + 1);

    const replay = await refresh(rotating, first.refresh_token);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rotating.introspect(rotated.body['access_token'] as string)).toBeNull();
    expect(rotating.introspect(first.access_token)).toBeNull();
    expect((await refresh(rotating, rotated.body['refresh_token'] as string)).body['error']).toBe('invalid_grant');
    expect(rotating.refreshCount()).toBe(before + 1);
    expect(rotating.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', client_id: web.client_id, status: 400, error: 'invalid_grant' });
  });

  test('grace period: the just-rotated token still works within it, and is a replay after it', async () => {
    const first = await connect(graceful);
    const rotated = await refresh(graceful, first.refresh_token);
    expect(rotated.status).toBe(200);
    advanceSeconds(20);
    const retried = await refresh(graceful, first.refresh_token);
    expect(retried.status).toBe(200);
    expect(retried.body['refresh_token']).toEqual(expect.any(String));
    expect(graceful.introspect(retried.body['access_token'] as string)).not.toBeNull();

    advanceSeconds(11);
    expect((await refresh(graceful, first.refresh_token)).body['error']).toBe('invalid_grant');
    expect(graceful.introspect(retried.body['access_token'] as string)).toBeNull();
  });

  test('grace period covers only the latest rotation, not an older generation', async () => {
    const first = await connect(graceful);
    const second = await refresh(graceful, first.refresh_token);
    expect((await refresh(graceful, second.body['refresh_token'] as string)).status).toBe(200);
    expect((await refresh(graceful, first.refresh_token)).body['error']).toBe('invalid_grant');
  });

  test('without rotation the refresh token stays valid and answers leave refresh_token out', async () => {
    const first = await connect(plain);
    for (let round = 0; round < 2; round += 1) {
      const answer = await refresh(plain, first.refresh_token);
      expect(answer.status).toBe(200);
      expect(answer.body['refresh_token']).toBeUndefined();
      expect(answer.body['access_token']).not.toBe(first.access_token);
    }
  });

  test('a refresh may narrow the scope, never widen it', async () => {
    const first = await connect(plain, 'users.read users.write');
    const narrowed = await refresh(plain, first.refresh_token, { scope: 'users.read' });
    expect(narrowed.body['scope']).toBe('users.read');
    expect(plain.introspect(narrowed.body['access_token'] as string)?.scope).toBe('users.read');
    const widened = await refresh(plain, first.refresh_token, { scope: 'users.read offline_access' });
    expect(widened).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    // the refresh token keeps the scope first granted
    expect((await refresh(plain, first.refresh_token)).body['scope']).toBe('users.read users.write');
  });

  test('refresh tokens expire after their lifetime', async () => {
    const first = await connect(rotating);
    advanceSeconds(86_400 - 10);
    const rotated = await refresh(rotating, first.refresh_token);
    expect(rotated.status).toBe(200);
    advanceSeconds(86_400 + 1);
    expect((await refresh(rotating, rotated.body['refresh_token'] as string)).body['error']).toBe('invalid_grant');
  });

  test('another client\'s refresh token is invalid_grant', async () => {
    const first = await connect(plain);
    const answer = await token(plain.tokenUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { basic: [other.client_id, other.client_secret!] });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(plain, first.refresh_token)).status).toBe(200);
  });

  test('expireAccessTokens ends every access token; the refresh tokens still work', async () => {
    const first = await connect(plain);
    expect(plain.introspect(first.access_token)).not.toBeNull();
    plain.expireAccessTokens();
    expect(plain.introspect(first.access_token)).toBeNull();
    const renewed = await refresh(plain, first.refresh_token);
    expect(plain.introspect(renewed.body['access_token'] as string)).not.toBeNull();
  });

  test('issue seeds a connected account, optionally expired; revoke ends its family by any of its tokens', async () => {
    const seeded = rotating.issue(web.client_id, { scope: 'users.read', subject: 'ada' });
    expect(seeded.expires_in).toBe(3600);
    expect(rotating.introspect(seeded.access_token)).toMatchObject({ client_id: web.client_id, subject: 'ada', scope: 'users.read' });
    const lapsed = rotating.issue(web.client_id, { expired: true });
    expect(lapsed.expires_in).toBe(0);
    expect(rotating.introspect(lapsed.access_token)).toBeNull();
    const renewed = await refresh(rotating, lapsed.refresh_token);
    expect(renewed.status).toBe(200);

    rotating.revoke(seeded.refresh_token);
    expect(rotating.introspect(seeded.access_token)).toBeNull();
    expect((await refresh(rotating, seeded.refresh_token)).body['error']).toBe('invalid_grant');
    expect(() => rotating.issue('nobody')).toThrow(TypeError);
  });
});

describe('client credentials', () => {
  test('a confidential client gets an access token and no refresh token; a public client may not use the grant', async () => {
    const answer = await token(rotating.tokenUrl, { grant_type: 'client_credentials', scope: 'users.read' }, { basic: webBasic });
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: 'users.read' });
    expect(rotating.introspect(answer.body['access_token'] as string)).toEqual({ client_id: web.client_id, scope: 'users.read', family: expect.any(String) });
    const publicClient = await token(rotating.tokenUrl, { grant_type: 'client_credentials', client_id: spa.client_id });
    expect(publicClient).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
  });

  test('Zoom style alias: account_credentials needs account_id', async () => {
    const missing = await token(headerOnly.tokenUrl, { grant_type: 'account_credentials' }, { basic: webBasic });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: expect.stringContaining('account_id') } });
    const granted = await token(headerOnly.tokenUrl, { grant_type: 'account_credentials', account_id: 'acc-1' }, { basic: webBasic });
    expect(granted.status).toBe(200);
    expect(granted.body['refresh_token']).toBeUndefined();
    expect(headerOnly.tokenRequests.at(-1)).toMatchObject({ grant_type: 'account_credentials', client_id: web.client_id, status: 200 });
  });

  test('Entra ID style: a tenant in the token path, scope required', async () => {
    const url = entra.tokenUrl.replace(':tenant', 'contoso.onmicrosoft.com');
    const credentials = { client_id: web.client_id, client_secret: web.client_secret! };
    const missing = await token(url, { grant_type: 'client_credentials', ...credentials });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request', error_description: expect.stringContaining('scope') } });
    expect((await token(url, { grant_type: 'client_credentials', scope: 'users.read', ...credentials })).status).toBe(200);
  });
});

describe('JWT bearer (service accounts)', () => {
  const assertion = (claims: { iss?: string; aud?: string; iat?: number; exp?: number; scope?: string; sub?: string }, key: KeyLike = signingKey) => {
    const iat = claims.iat ?? nowSeconds();
    const jwt = new SignJWT(claims.scope === undefined ? {} : { scope: claims.scope })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(claims.iss ?? SERVICE_ACCOUNT)
      .setAudience(claims.aud ?? GOOGLE_TOKEN_URL)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp ?? iat + 3600);
    if (claims.sub) jwt.setSubject(claims.sub);
    return jwt.sign(key);
  };
  const exchange = async (provider: RunningOAuthProvider, jwt: string) => token(provider.tokenUrl, { grant_type: JWT_BEARER, assertion: jwt });
  const SCOPE = 'https://www.googleapis.com/auth/admin.directory.user';

  test('a valid assertion buys an access token for its subject, without a refresh token', async () => {
    const answer = await exchange(google, await assertion({ scope: SCOPE, sub: 'admin@acme.example' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600, scope: SCOPE });
    expect(google.introspect(answer.body['access_token'] as string)).toMatchObject({ client_id: SERVICE_ACCOUNT, subject: 'admin@acme.example', scope: SCOPE });
    expect(google.tokenRequests.at(-1)).toMatchObject({ grant_type: JWT_BEARER, client_id: SERVICE_ACCOUNT, status: 200 });
  });

  test('a key registered as a JWK verifies too; by default the audience is the token URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const provider = await startOAuthProvider({ clients: [{ client_id: JWK_SERVICE_ACCOUNT, jwt_public_key: await exportJWK(publicKey) }], now });
    providers.push(provider);
    expect((await exchange(provider, await assertion({ iss: JWK_SERVICE_ACCOUNT, aud: provider.tokenUrl, scope: SCOPE }, privateKey))).status).toBe(200);
    expect((await exchange(provider, await assertion({ iss: JWK_SERVICE_ACCOUNT, scope: SCOPE }, privateKey))).body['error_description']).toBe('Invalid JWT: Failed audience check.');
  });

  test('Google\'s answers for a bad signature, a wrong audience, a long or stale assertion, no scope, an unknown account', async () => {
    const invalid = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
    const timeframe = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
    expect(await exchange(google, await assertion({ scope: SCOPE }, strangerKey))).toMatchObject(invalid('Invalid JWT Signature.'));
    expect(await exchange(google, await assertion({ scope: SCOPE, aud: 'https://accounts.google.com/o/oauth2/token' }))).toMatchObject(invalid('Invalid JWT: Failed audience check.'));
    expect(await exchange(google, await assertion({ scope: SCOPE, exp: nowSeconds() + 3601, iat: nowSeconds() }))).toMatchObject(invalid(timeframe));
    expect(await exchange(google, await assertion({ scope: SCOPE, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }))).toMatchObject(invalid(timeframe));
    expect(await exchange(google, await assertion({ scope: SCOPE, iat: nowSeconds() + 600 }))).toMatchObject(invalid(timeframe));
    expect(await exchange(google, await assertion({}))).toMatchObject({ status: 400, body: { error: 'invalid_scope', error_description: 'Empty or missing scope not allowed.' } });
    expect(await exchange(google, await assertion({ scope: SCOPE, iss: 'ghost@acme-project.iam.gserviceaccount.com' }))).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await exchange(google, 'not-a-jwt')).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token(google.tokenUrl, { grant_type: JWT_BEARER })).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  test('a small clock difference is tolerated', async () => {
    const answer = await exchange(google, await assertion({ scope: SCOPE, iat: nowSeconds() + 30, exp: nowSeconds() + 30 + 3600 }));
    expect(answer.status).toBe(200);
  });
});

describe('test controls', () => {
  test('hold: requests wait unprocessed until release, then are answered in order', async () => {
    const first = await connect(plain);
    const answered = plain.tokenRequests.length;
    const held = plain.hold();
    const pending = [refresh(plain, first.refresh_token), refresh(plain, first.refresh_token, { scope: 'users.read' })];
    await until(() => held.waiting() === 2, 'both requests are held');
    expect(plain.tokenRequests.length).toBe(answered);
    held.release();
    const answers = await Promise.all(pending);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[1]!.body['scope']).toBe('users.read');
    expect(plain.tokenRequests.slice(answered).map((entry) => entry.status)).toEqual([200, 200]);
  });

  test('hold: a refresh whose client died in flight is still committed at release, and the log says so', async () => {
    const first = await connect(rotating);
    const refreshes = rotating.refreshCount();
    const held = rotating.hold();
    const abort = new AbortController();
    const dying = token(rotating.tokenUrl, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { basic: webBasic, signal: abort.signal })
      .then(() => 'answered', () => 'aborted');
    await until(() => held.waiting() === 1, 'the request is held');
    abort.abort();
    expect(await dying).toBe('aborted');
    await until(() => held.abandoned() === 1, 'the server sees the client gone');
    held.release();
    await until(() => rotating.refreshCount() === refreshes + 1, 'the abandoned refresh is processed');
    expect(rotating.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', client_id: web.client_id, status: 200, abandoned: true });
    // Restarted with the refresh token it had, the client finds it spent: the rotation happened without it.
    expect((await refresh(rotating, first.refresh_token)).body['error']).toBe('invalid_grant');
    expect(rotating.tokenRequests.at(-1)).toEqual(expect.not.objectContaining({ abandoned: true }));
  });

  test('failNext answers the next token request with the fault and processes nothing', async () => {
    const first = await connect(plain);
    plain.failNext({ status: 503, headers: { 'retry-after': '1' } });
    const unavailable = await fetch(plain.tokenUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(...webBasic) },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('1');
    expect(plain.tokenRequests.at(-1)).toMatchObject({ grant_type: 'refresh_token', status: 503 });

    plain.failNext({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    const refused = await refresh(plain, first.refresh_token);
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } });
    expect(plain.tokenRequests.at(-1)).toMatchObject({ status: 400, error: 'invalid_grant' });
    // the refresh token was never looked at, so it still works
    expect((await refresh(plain, first.refresh_token)).status).toBe(200);
  });
});
