import { createHash, randomBytes } from 'node:crypto';
import type { IntegratedAccount } from '../accounts/account-store';
import { resolveContext } from '../accounts/resolve-context';
import type { CompiledIntegration } from '../compile/compiled';
import { UnimapError } from '../errors';
import type { OAuthApps } from './grant-request';

export interface AuthorizationRequest {
  /** Where the person is sent to consent. */
  url: string;
  /** The opaque, unguessable value the callback must bring back (RFC 6749 §10.12); single-use, kept by the caller. */
  state: string;
  /** The PKCE code verifier (RFC 7636) the code exchange must send; a secret until then. */
  verifier: string | undefined;
}

/**
 * The first leg of the authorization code grant: the provider's consent URL for an integration, with a fresh state
 * and, unless the definition turns it off, an S256 PKCE challenge. `context` holds what the account will hold
 * before it has tokens (a Salesforce login host, an Entra tenant), for the authorize URL's template.
 */
export async function authorizationRequest(
  integration: CompiledIntegration,
  options: { context: Record<string, unknown>; redirectUri: string; apps: OAuthApps | undefined; state?: string; authorize_url?: string },
): Promise<AuthorizationRequest> {
  const authorize = integration.oauth2?.authorize;
  if (!integration.oauth2 || !authorize) {
    throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${integration.label} has no authorization code grant (oauth2.authorization_code) to connect an account through`);
  }
  const client = options.apps?.[integration.name];
  if (!client) {
    throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `no OAuth app is registered for ${integration.name}: give its client_id and client_secret (oauthApps)`);
  }
  const account: IntegratedAccount = { id: 'connecting', integration: integration.name, context: options.context };
  const bindings = { context: resolveContext(integration, account, false).all };
  const state = options.state ?? randomBytes(32).toString('base64url');
  const verifier = authorize.pkce ? randomBytes(48).toString('base64url') : undefined;
  const url = new URL(options.authorize_url ?? (await authorize.url.renderString(bindings)));
  const scope = integration.oauth2.scopes.join(integration.oauth2.scopeSeparator);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: options.redirectUri,
    state,
    ...(scope ? { scope } : {}),
    ...(verifier ? { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' } : {}),
  };
  for (const [name, template] of Object.entries(authorize.params)) params[name] = await template.renderString(bindings);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { url: url.toString(), state, verifier };
}
