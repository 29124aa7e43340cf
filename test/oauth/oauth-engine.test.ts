import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { createEngine, isUnimapError, MemoryAccountStore, type Engine, type IntegratedAccount } from '../../engine';
import { protectedBy, startOAuthProvider, type RunningOAuthProvider } from '../../engine/sandbox/oauth';
import { googleWorkspaceSimulator } from '../../engine/sandbox/providers/google-workspace';
import { microsoftEntraIdSimulator } from '../../engine/sandbox/providers/microsoft-entra-id';
import { salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { zoomSimulator } from '../../engine/sandbox/providers/zoom';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { rejection } from '../helpers/provider-harness';

// The declarative OAuth2 of the shipped definitions, end to end over HTTP: the engine obtains and renews tokens at
// an authorization server simulator, and the provider simulators accept only the tokens it issued.
const UD = 'user-directory';
type RefreshRules = NonNullable<Parameters<typeof startOAuthProvider>[0]['refreshTokens']>;
const NEVER = { access_token: '\u0000' };

describe('Google Workspace through a service account (JWT bearer grant)', () => {
  let auth: RunningOAuthProvider;
  let api: RunningSimulator;
  let engine: Engine;
  let privateKey: string;
  const email = 'unimap-sync@acme-project.iam.gserviceaccount.com';
  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    privateKey = await exportPKCS8(keys.privateKey);
    auth = await startOAuthProvider({
      clients: [{ client_id: email, jwt_public_key: await exportSPKI(keys.publicKey) }],
      jwtAudience: 'https://oauth2.googleapis.com/token',
    });
    api = await startSimulator(protectedBy(googleWorkspaceSimulator, auth), NEVER);
    const account = (id: string, key: string): IntegratedAccount => ({
      id,
      integration: 'google-workspace',
      context: { grant_type: 'jwt_bearer', client_email: email, private_key: key, private_key_id: 'k1', subject: 'admin@example.com' },
      base_url: api.url,
      token_url: auth.tokenUrl,
    });
    engine = createEngine({ accounts: [account('acme', privateKey), account('garbled-key', 'not a key')], maxRetryWaitMs: 1000 });
  });
  afterAll(async () => {
    await api.close();
    await auth.close();
  });

  test('the first call signs an assertion and gets a token; later calls reuse it; a revoked token is replaced once', async () => {
    const created = await engine.create(UD, 'users', { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com', is_primary: true }], password: 'Correct-Horse-9' }, { integratedAccountId: 'acme' });
    expect(created.emails).toEqual([expect.objectContaining({ email: 'ada@example.com', is_primary: true })]);
    await engine.list(UD, 'users', { integratedAccountId: 'acme' });
    expect(auth.tokenRequests.map((r) => [r.grant_type, r.status])).toEqual([['urn:ietf:params:oauth:grant-type:jwt-bearer', 200]]);
    const token = String(api.requests[0]!.headers['authorization']).slice('Bearer '.length);
    expect(auth.introspect(token)).toMatchObject({ client_id: email, subject: 'admin@example.com', scope: 'https://www.googleapis.com/auth/admin.directory.user' });

    auth.revoke(token);
    const listed = await engine.list(UD, 'users', { integratedAccountId: 'acme' });
    expect(listed.result.map((u) => u.id)).toEqual([created.id]);
    expect(auth.tokenRequests).toHaveLength(2);
    const statuses = api.requests.slice(-2).map((r) => r.headers['authorization'] === `Bearer ${token}`);
    expect(statuses).toEqual([true, false]); // refused with the old token, answered with the new one
  });

  test('a key that is not a PKCS #8 key is refused before anything is sent, without quoting it', async () => {
    const before = auth.tokenRequests.length;
    const error = await rejection(engine.list(UD, 'users', { integratedAccountId: 'garbled-key' }));
    expect(isUnimapError(error) && [error.code, error.message.includes('not a key')]).toEqual(['UNIMAP_E_AUTH_INVALID_CONTEXT', false]);
    expect(auth.tokenRequests).toHaveLength(before);
  });
});

describe('Microsoft Entra ID through client credentials', () => {
  let auth: RunningOAuthProvider;
  let api: RunningSimulator;
  let engine: Engine;
  const secret = 'entra-client-secret-~0123456789';
  beforeAll(async () => {
    auth = await startOAuthProvider({
      clients: [{ client_id: 'app-1', client_secret: secret }],
      paths: { token: '/:tenant/oauth2/v2.0/token' },
      requiredParams: { client_credentials: ['scope'] },
      clientAuth: 'body',
    });
    api = await startSimulator(protectedBy(microsoftEntraIdSimulator, auth), NEVER);
    const account = (id: string, clientSecret: string): IntegratedAccount => ({
      id,
      integration: 'microsoft-entra-id',
      context: { tenant_id: 'contoso.onmicrosoft.com', client_id: 'app-1', client_secret: clientSecret },
      base_url: api.url,
      token_url: `${auth.url}/contoso.onmicrosoft.com/oauth2/v2.0/token`,
    });
    engine = createEngine({ accounts: [account('contoso', secret), account('wrong-secret', 'not-the-secret-9876')], maxRetryWaitMs: 1000 });
  });
  afterAll(async () => {
    await api.close();
    await auth.close();
  });

  test('the app-only token is fetched with the .default scope, reused, and fetched again when it expires', async () => {
    await engine.list(UD, 'users', { integratedAccountId: 'contoso' });
    await engine.list(UD, 'users', { integratedAccountId: 'contoso' });
    expect(auth.tokenRequests.map((r) => [r.grant_type, r.client_id, r.status])).toEqual([['client_credentials', 'app-1', 200]]);
    auth.expireAccessTokens();
    await engine.list(UD, 'users', { integratedAccountId: 'contoso' });
    expect(auth.tokenRequests.map((r) => r.grant_type)).toEqual(['client_credentials', 'client_credentials']);
    expect(auth.introspect(String(api.requests.at(-1)!.headers['authorization']).slice(7))?.scope).toBe('https://graph.microsoft.com/.default');
  });

  test('a wrong client secret marks the account for reconnection; its secret is in no message', async () => {
    const error = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-secret' }));
    expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_AUTH_NEEDS_REAUTH');
    expect(JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details })).not.toContain('not-the-secret-9876');
    const sent = auth.tokenRequests.length;
    const again = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-secret' }));
    expect(isUnimapError(again) && again.code).toBe('UNIMAP_E_AUTH_NEEDS_REAUTH');
    expect(auth.tokenRequests).toHaveLength(sent); // fails fast: the token endpoint is not asked again
  });
});

describe('Zoom through Server-to-Server OAuth (account_credentials, HTTP Basic client authentication)', () => {
  let auth: RunningOAuthProvider;
  let api: RunningSimulator;
  let engine: Engine;
  const secret = 'zoom-s2s-secret with spaces+&=';
  beforeAll(async () => {
    auth = await startOAuthProvider({
      clients: [{ client_id: 'zoom-app', client_secret: secret }],
      clientAuth: 'header',
      grantAliases: { account_credentials: 'client_credentials' },
      requiredParams: { account_credentials: ['account_id'] },
    });
    api = await startSimulator(protectedBy(zoomSimulator, auth), NEVER);
    engine = createEngine({
      accounts: [{ id: 'zoom', integration: 'zoom', context: { account_id: 'acct_42', client_id: 'zoom-app', client_secret: secret }, base_url: api.url, token_url: auth.tokenUrl }],
      maxRetryWaitMs: 1000,
    });
  });
  afterAll(async () => {
    await api.close();
    await auth.close();
  });

  test('the token request is the documented one: grant_type=account_credentials, account_id, the client in a Basic header', async () => {
    await engine.list(UD, 'users', { integratedAccountId: 'zoom' });
    expect(auth.tokenRequests.map((r) => [r.grant_type, r.client_id, r.status])).toEqual([['account_credentials', 'zoom-app', 200]]);
  });
});

describe('Salesforce through the authorization code grant, then refresh tokens', () => {
  let auth: RunningOAuthProvider;
  let api: RunningSimulator;
  const redirectUri = 'https://app.example.com/oauth/callback';
  const app = { client_id: 'sf-consumer-key', client_secret: 'sf-consumer-secret-0123456789' };
  const started = async (options: RefreshRules) => {
    auth = await startOAuthProvider({
      clients: [{ ...app, redirect_uris: [redirectUri] }],
      omitExpiresIn: true,
      extraTokenFields: { instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D/005' },
      refreshTokens: options,
      requirePkce: true,
    });
    api = await startSimulator(protectedBy(salesforceSimulator(), auth), NEVER);
  };
  afterEach(async () => {
    await api.close();
    await auth.close();
  });

  /** The connect flow as a browser would run it: the consent URL, the provider's redirect, the code exchange. */
  const connect = async (engine: Engine) => {
    const request = await engine.oauth.authorize('salesforce', { redirectUri, authorize_url: auth.authorizeUrl, context: { default_profile_id: '00e5e00000StdUsAAA' } });
    const consent = new URL(request.url);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('scope')).toBe('api refresh_token');
    const answer = await fetch(request.url, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(request.state);
    return engine.oauth.exchangeCode('salesforce', {
      code: back.searchParams.get('code')!,
      redirectUri,
      verifier: request.verifier!,
      context: { default_profile_id: '00e5e00000StdUsAAA' },
      token_url: auth.tokenUrl,
    });
  };

  /** A provider with these refresh-token rules, an engine, and account "acme" connected through it. */
  const connected = async (rules: RefreshRules) => {
    await started(rules);
    const accounts = new MemoryAccountStore();
    const engine = createEngine({ accounts, oauthApps: { salesforce: app }, maxRetryWaitMs: 1000 });
    const store = async (context: Record<string, unknown>) => accounts.set({ id: 'acme', integration: 'salesforce', context, base_url: api.url, token_url: auth.tokenUrl });
    const context = await connect(engine);
    await store(context);
    return { accounts, engine, context, reconnect: async () => store(await connect(engine)) };
  };

  test('a connected account works, and an expired session is renewed once for 50 concurrent calls (rotating refresh tokens)', async () => {
    const { accounts, engine, context } = await connected({ rotate: true, reuseDetection: true });
    expect(context).toMatchObject({ instance_url: 'https://acme.my.salesforce.com', expires_at: null, access_token: expect.any(String), refresh_token: expect.any(String) });

    await engine.list(UD, 'users', { integratedAccountId: 'acme' });
    for (let round = 0; round < 5; round++) {
      auth.expireAccessTokens();
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => engine.list(UD, 'users', { integratedAccountId: 'acme' })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(auth.refreshCount()).toBe(round + 1);
    }
    expect(auth.tokenRequests.filter((r) => r.status !== 200)).toEqual([]);
    // the rotated refresh token was written back: the stored account holds the latest one
    const stored = await accounts.get('acme');
    expect(auth.introspect(String(stored!.context['access_token']))).not.toBeNull();
  });

  test('a provider that does not rotate leaves refresh_token out: the one held is kept and keeps working', async () => {
    const { accounts, engine, context } = await connected({ rotate: false });
    for (let round = 0; round < 3; round++) {
      auth.expireAccessTokens();
      await engine.list(UD, 'users', { integratedAccountId: 'acme' });
    }
    expect(auth.refreshCount()).toBe(3);
    expect((await accounts.get('acme'))!.context['refresh_token']).toBe(context['refresh_token']);
  });

  test('a revoked grant (invalid_grant) marks the account needs_reauth; calls then fail fast until it is reconnected', async () => {
    const { accounts, engine, context, reconnect } = await connected({ rotate: true });
    auth.revoke(String(context['refresh_token']));
    const error = await rejection(engine.list(UD, 'users', { integratedAccountId: 'acme' }));
    expect(isUnimapError(error) && [error.code, error.status]).toEqual(['UNIMAP_E_AUTH_NEEDS_REAUTH', 401]);
    expect(JSON.stringify(error)).not.toContain(String(context['refresh_token']));
    expect(await accounts.get('acme')).toMatchObject({ status: 'needs_reauth', last_error: { code: 'invalid_grant' } });
    const asked = auth.tokenRequests.length;
    await rejection(engine.list(UD, 'users', { integratedAccountId: 'acme' }));
    expect(auth.tokenRequests).toHaveLength(asked);

    await reconnect();
    await expect(engine.list(UD, 'users', { integratedAccountId: 'acme' })).resolves.toBeDefined();
  });

  test('a token endpoint that fails (503) is a retriable UNIMAP_E_AUTH_TOKEN_REQUEST and leaves the account as it was', async () => {
    const { accounts, engine } = await connected({ rotate: true });
    auth.expireAccessTokens();
    auth.failNext({ status: 503, body: { error: 'temporarily_unavailable' } });
    const error = await rejection(engine.list(UD, 'users', { integratedAccountId: 'acme' }));
    expect(isUnimapError(error) && [error.code, error.retriable]).toEqual(['UNIMAP_E_AUTH_TOKEN_REQUEST', true]);
    expect((await accounts.get('acme'))!.status).toBeUndefined();
    await expect(engine.list(UD, 'users', { integratedAccountId: 'acme' })).resolves.toBeDefined();
  });
});
