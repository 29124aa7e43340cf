import type { IntegratedAccount } from '../accounts/account-store';
import type { CompiledIntegration, Registry } from '../compile/compiled';
import { UnimapError } from '../errors';
import { authorizationRequest, type AuthorizationRequest } from './authorize-url';
import { exchangeCode, type GrantEnvironment } from './grant-request';
import type { TokenKeeper } from './token-keeper';

/** The authorization code grant for embedders: the server's connect routes are built on these two steps. */
export interface OAuthConnector {
  /** The provider's consent URL for an integration, with a fresh state and PKCE verifier to keep until the callback. */
  /** `authorize_url` replaces the definition's consent page, as an account's token_url does its token endpoint (sandboxes). */
  authorize(integration: string, options: { redirectUri: string; context?: Record<string, unknown>; state?: string; authorize_url?: string }): Promise<AuthorizationRequest>;
  /** Exchange the callback's code: the context the new account holds (the given context, tokens and context_from_token). */
  exchangeCode(
    integration: string,
    options: { code: string; redirectUri: string; verifier?: string; context?: Record<string, unknown>; token_url?: string },
  ): Promise<Record<string, unknown>>;
}

export function createOAuthConnector(registry: Registry, tokens: TokenKeeper, env: GrantEnvironment): OAuthConnector {
  const find = (name: string): CompiledIntegration => {
    const integration = registry.integrations.get(name);
    if (!integration) throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${name}"`);
    return integration;
  };
  return {
    authorize: (name, options) => authorizationRequest(find(name), { ...options, context: options.context ?? {}, apps: env.apps }),
    async exchangeCode(name, options) {
      const integration = find(name);
      const oauth = integration.oauth2;
      if (!oauth?.authorize) throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${integration.label} has no authorization code grant (oauth2.authorization_code)`);
      // grant_type is stored only where the definition offers several grants (it is then a declared context key).
      const context = { ...options.context, ...(oauth.grants.length > 1 ? { grant_type: 'authorization_code' } : {}) };
      const account: IntegratedAccount = { id: 'connecting', integration: name, context, ...(options.token_url ? { token_url: options.token_url } : {}) };
      const answer = await exchangeCode(account, integration, oauth, env, {
        code: options.code,
        redirectUri: options.redirectUri,
        ...(options.verifier !== undefined ? { verifier: options.verifier } : {}),
      });
      return { ...context, ...(await tokens.tokenValues(answer, oauth, integration)) };
    },
  };
}
