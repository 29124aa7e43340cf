import { protectedBy, startOAuthProvider, type RunningOAuthProvider } from '../../engine/sandbox/oauth';
import { salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { startServer, type RunningServer } from './harness';

// The connect flow of the HTTP service: POST /oauth/authorize (API key) → the provider's consent page → GET
// /oauth/callback (public) → the account stored for the tenant that started it, its tokens sealed, then renewed.
const APP = { client_id: 'sf-consumer-key', client_secret: 'sf-consumer-secret-0123456789' };
const RETURN = 'https://app.example.com/connected';

describe('connecting a Salesforce account through the OAuth routes', () => {
  let auth: RunningOAuthProvider;
  let running: RunningServer;
  const publicUrl = 'http://127.0.0.1:1'; // replaced below: the callback URL must be known before the server starts
  beforeAll(async () => {
    auth = await startOAuthProvider({
      clients: [{ ...APP, redirect_uris: [`${publicUrl}/oauth/callback`] }],
      omitExpiresIn: true,
      extraTokenFields: { instance_url: 'https://acme.my.salesforce.com' },
      refreshTokens: { rotate: true },
      requirePkce: true,
    });
    running = await startServer(
      [{ name: 'salesforce', simulator: protectedBy(salesforceSimulator(), auth), credentials: { access_token: '\u0000' }, account: (url) => ({ integration: 'salesforce', context: {}, base_url: url }) }],
      { oauth: { apps: { salesforce: APP }, publicUrl, returnUrls: [RETURN] } },
    );
    await running.restart({ allowedBaseUrls: [running.sims.get('salesforce')!.url, auth.url] });
  }, 60_000);
  afterAll(async () => {
    await running.stop();
    await auth.close();
  });

  const api = (tenant: string, path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${running.keys.get(tenant)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** Start a connection and consent at the provider; the callback URL (on our server) the browser would follow. */
  const consent = async (tenant: string, extra: Record<string, unknown> = {}) => {
    const started = await api(tenant, '/oauth/authorize', {
      integration: 'salesforce',
      context: { default_profile_id: '00e5e00000StdUsAAA' },
      base_url: running.sims.get('salesforce')!.url,
      token_url: auth.tokenUrl,
      authorize_url: auth.authorizeUrl,
      ...extra,
    });
    expect(started.status).toBe(201);
    const { authorize_url } = (await started.json()) as { authorize_url: string };
    const redirect = await fetch(authorize_url, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${publicUrl}/oauth/callback`);
    return `${running.url}/oauth/callback${back.search}`;
  };

  test('the callback stores the account for the tenant that started it; secrets never come back; the state is single-use', async () => {
    const callback = await consent('acme');
    const answer = await fetch(callback);
    expect(answer.status).toBe(201);
    const account = (await answer.json()) as { id: string; context: Record<string, unknown>; status: string };
    expect(account).toMatchObject({ integration: 'salesforce', status: 'active', context: { instance_url: 'https://acme.my.salesforce.com', default_profile_id: '00e5e00000StdUsAAA' } });
    expect(Object.keys(account.context)).not.toContain('access_token');
    expect(Object.keys(account.context)).not.toContain('refresh_token');

    const mine = await api('acme', `/integrated-accounts/${account.id}`);
    expect(mine.status).toBe(200);
    expect((await api('globex', `/integrated-accounts/${account.id}`)).status).toBe(404);

    const replay = await fetch(callback);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ code: 'UNIMAP_E_AUTH_OAUTH_STATE' });

    // the account works, and keeps working after its session expires (refreshed, the rotated token stored)
    const listed = await api('acme', `/unified/user-directory/users?integrated_account_id=${account.id}`);
    expect(listed.status).toBe(200);
    auth.expireAccessTokens();
    expect((await api('acme', `/unified/user-directory/users?integrated_account_id=${account.id}`)).status).toBe(200);
    auth.expireAccessTokens();
    expect((await api('acme', `/unified/user-directory/users?integrated_account_id=${account.id}`)).status).toBe(200);
    expect(auth.refreshCount()).toBe(2);
    expect(auth.tokenRequests.filter((r) => r.status !== 200)).toEqual([]);
  });

  test('a return_url gets the account id, or the provider\'s refusal; one not allowed is refused up front', async () => {
    const callback = await consent('acme', { return_url: RETURN });
    const answer = await fetch(callback, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(RETURN);
    expect(back.searchParams.get('integrated_account_id')).toMatch(/^[0-9a-f-]{36}$/);

    const refused = new URL(await consent('acme', { return_url: RETURN }));
    refused.searchParams.delete('code');
    refused.searchParams.set('error', 'access_denied');
    const denied = await fetch(refused, { redirect: 'manual' });
    expect(new URL(denied.headers.get('location')!).searchParams.get('error')).toBe('UNIMAP_E_AUTH_OAUTH_STATE');

    const elsewhere = await api('acme', '/oauth/authorize', { integration: 'salesforce', return_url: 'https://evil.example.com/steal' });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.json()).toMatchObject({ code: 'UNIMAP_E_SERVER_ACCOUNT_INVALID' });
  });

  test('a revoked grant marks the account needs_reauth; reconnecting the same account makes it active again', async () => {
    const created = (await (await fetch(await consent('acme'))).json()) as { id: string };
    const call = () => api('acme', `/unified/user-directory/users?integrated_account_id=${created.id}`);
    expect((await call()).status).toBe(200);
    auth.revoke(await latestToken(created.id));
    auth.expireAccessTokens();
    const refused = await call();
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: 'UNIMAP_E_AUTH_NEEDS_REAUTH' });
    expect(await (await api('acme', `/integrated-accounts/${created.id}`)).json()).toMatchObject({ status: 'needs_reauth', last_error: { code: 'invalid_grant' } });

    const again = await fetch(await consent('acme', { integrated_account_id: created.id }));
    expect(again.status).toBe(200);
    expect((await call()).status).toBe(200);
    expect(await (await api('acme', `/integrated-accounts/${created.id}`)).json()).toMatchObject({ status: 'active', last_error: null });
  });

  /** The refresh token the store holds for an account. */
  async function latestToken(id: string): Promise<string> {
    const account = await running.server.store.accounts.reload('acme', id);
    return String(account!.secrets['refresh_token']);
  }
});
