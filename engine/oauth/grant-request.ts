import type { IntegratedAccount } from '../accounts/account-store';
import { resolveContext } from '../accounts/resolve-context';
import type { CompiledOAuth2 } from '../compile/compile-oauth';
import type { CompiledIntegration } from '../compile/compiled';
import type { Template } from '../compile/template';
import type { OAuthGrant } from '../definition';
import { UnimapError } from '../errors';
import { SecretSet } from '../secrets/secret-set';
import type { Transport } from '../transport/transport';
import { signAssertion } from './jwt-assertion';
import { requestToken, type OAuthClientCredentials, type TokenAnswer } from './token-endpoint';

/** The deployment's registered OAuth apps, by integration: the client of authorization-code accounts. */
export type OAuthApps = Readonly<Record<string, OAuthClientCredentials>>;

export interface GrantEnvironment {
  transport: Transport;
  apps: OAuthApps | undefined;
  now: () => number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** One token request for an account: a refresh when it holds a refresh token, else its grant from scratch. */
export async function renewTokens(account: IntegratedAccount, integration: CompiledIntegration, oauth: CompiledOAuth2, env: GrantEnvironment): Promise<TokenAnswer> {
  const grant = grantOf(account, integration, oauth);
  const exchange = await prepareExchange(account, integration, oauth, env);
  const refreshToken = exchange.context['refresh_token'];
  if (typeof refreshToken === 'string' && refreshToken !== '') {
    const url = oauth.refreshUrl ? await urlOf(oauth.refreshUrl, exchange.bindings) : await tokenUrlOf(account, oauth, exchange.bindings);
    return exchange.send(url, { grant_type: 'refresh_token', refresh_token: refreshToken, ...(await render(oauth.refreshParams, exchange.bindings)) }, 'authorization_code');
  }
  const url = await tokenUrlOf(account, oauth, exchange.bindings);
  const scope = oauth.scopes.join(oauth.scopeSeparator);
  if (grant === 'client_credentials') {
    return exchange.send(url, { grant_type: 'client_credentials', ...(scope ? { scope } : {}), ...(await render(oauth.tokenParams.client_credentials, exchange.bindings)) }, grant);
  }
  if (grant === 'jwt_bearer' && oauth.jwt) {
    const assertion = await assertionFor(integration, oauth.jwt, exchange.bindings, url.url, scope);
    // The JWT bearer grant authenticates by its signature: no client credentials are sent with it.
    return exchange.send(url, { grant_type: JWT_BEARER, assertion, ...(await render(oauth.tokenParams.jwt_bearer, exchange.bindings)) }, grant, false);
  }
  throw new UnimapError('UNIMAP_E_AUTH_NEEDS_REAUTH', `${integration.name}: account "${account.id}" holds no refresh token, so its access token cannot be renewed; reconnect the account`, {
    details: { integration: integration.name, last_error: { code: 'no_refresh_token', message: 'no refresh token to renew the access token with', at: new Date(env.now()).toISOString() } },
  });
}

/** The connect flow's code exchange (RFC 6749 §4.1.3, with the PKCE verifier of RFC 7636 §4.5). */
export async function exchangeCode(
  account: IntegratedAccount,
  integration: CompiledIntegration,
  oauth: CompiledOAuth2,
  env: GrantEnvironment,
  code: { code: string; redirectUri: string; verifier?: string },
): Promise<TokenAnswer> {
  const exchange = await prepareExchange(account, integration, oauth, env);
  const url = await tokenUrlOf(account, oauth, exchange.bindings);
  const params = {
    grant_type: 'authorization_code',
    code: code.code,
    redirect_uri: code.redirectUri,
    ...(code.verifier !== undefined ? { code_verifier: code.verifier } : {}),
    ...(await render(oauth.tokenParams.authorization_code, exchange.bindings)),
  };
  return exchange.send(url, params, 'authorization_code');
}

/**
 * Whether the engine can get this account a new access token by itself: it holds a refresh token, or the means of
 * its grant (a client secret, a private key). An operator's pasted static token cannot be renewed: a 401 to it is
 * the provider's answer to report, not a reason to reconnect.
 */
export function isRenewable(account: IntegratedAccount, oauth: CompiledOAuth2): boolean {
  const has = (key: string) => typeof account.context[key] === 'string' && account.context[key] !== '';
  if (has('refresh_token')) return true;
  const grant = account.context['grant_type'] ?? oauth.grants[0];
  if (grant === 'client_credentials') return has('client_id') && has('client_secret');
  if (grant === 'jwt_bearer') return has('private_key');
  return false;
}

/** Which grant an account uses: its context's grant_type when the definition offers several, else the first declared. */
export function grantOf(account: IntegratedAccount, integration: CompiledIntegration, oauth: CompiledOAuth2): OAuthGrant {
  const chosen = account.context['grant_type'];
  if (chosen === undefined || chosen === null || chosen === '') return oauth.grants[0]!;
  if (oauth.grants.includes(chosen as OAuthGrant)) return chosen as OAuthGrant;
  throw new UnimapError('UNIMAP_E_AUTH_INVALID_CONTEXT', `account "${account.id}": grant_type must be one of ${oauth.grants.join(', ')} for ${integration.name}`, {
    details: { integration: integration.name, key: 'grant_type' },
  });
}

/** An operator's token_url (a sandbox, a simulator) is trusted like an operator's base_url; a templated one is not. */
export async function tokenUrlOf(account: IntegratedAccount, oauth: CompiledOAuth2, bindings: Record<string, unknown>): Promise<{ url: string; fromContext: boolean }> {
  if (account.token_url) return { url: account.token_url, fromContext: false };
  return urlOf(oauth.tokenUrl, bindings);
}

async function urlOf(template: Template, bindings: Record<string, unknown>): Promise<{ url: string; fromContext: boolean }> {
  return { url: await template.renderString(bindings), fromContext: template.expressions.length > 0 };
}

/** What every token request of an account shares: its context (defaults applied), its client, the secrets to scrub. */
async function prepareExchange(account: IntegratedAccount, integration: CompiledIntegration, oauth: CompiledOAuth2, env: GrantEnvironment) {
  const context = resolveContext(integration, account, false);
  const bindings = { context: context.all };
  const secrets = new SecretSet(context.secrets);
  const own = ownClient(context.all);
  const client = own ?? env.apps?.[integration.name];
  if (client?.client_secret !== undefined) secrets.add(client.client_secret);
  return {
    context: context.all,
    bindings,
    secrets,
    send: (url: { url: string; fromContext: boolean }, params: Record<string, string>, authAs: OAuthGrant, withClient = true) =>
      requestToken({
        oauth,
        integration: integration.name,
        url: url.url,
        params,
        client: withClient ? client : undefined,
        clientAuth: oauth.clientAuth[authAs],
        clientFromAccount: own !== undefined,
        transport: env.transport,
        timeoutMs: integration.timeoutMs,
        hostFromContext: url.fromContext,
        secrets,
      }),
  };
}

async function assertionFor(integration: CompiledIntegration, jwt: NonNullable<CompiledOAuth2['jwt']>, bindings: Record<string, unknown>, tokenUrl: string, scope: string): Promise<string> {
  const subject = jwt.subject && (await jwt.subject.renderString(bindings));
  const keyId = jwt.keyId && (await jwt.keyId.renderString(bindings));
  return signAssertion(integration.name, await jwt.privateKey.renderString(bindings), {
    issuer: await jwt.issuer.renderString(bindings),
    audience: jwt.audience ? await jwt.audience.renderString(bindings) : tokenUrl,
    scope,
    lifetimeSeconds: jwt.lifetimeSeconds,
    ...(subject ? { subject } : {}),
    ...(keyId ? { keyId } : {}),
  });
}

async function render(templates: Record<string, Template>, bindings: Record<string, unknown>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) out[name] = await template.renderString(bindings);
  return out;
}

/** The account's own client (client credentials and JWT accounts hold their app's id and secret). */
function ownClient(context: Record<string, unknown>): OAuthClientCredentials | undefined {
  const id = context['client_id'];
  if (typeof id !== 'string' || id === '') return undefined;
  const secret = context['client_secret'];
  return { client_id: id, ...(typeof secret === 'string' && secret !== '' ? { client_secret: secret } : {}) };
}
