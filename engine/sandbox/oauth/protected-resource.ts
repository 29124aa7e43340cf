import type { ProviderSimulator } from '../simulator';
import type { RunningOAuthProvider } from './types';

/**
 * A provider simulator whose API takes the access tokens an OAuth simulator issued, as a resource server does:
 * a token unknown, expired or revoked there gets the provider's own 401 answer.
 */
export function protectedBy(simulator: ProviderSimulator, authorizationServer: Pick<RunningOAuthProvider, 'introspect'>): ProviderSimulator {
  return {
    ...simulator,
    authenticate(request, credentials) {
      const header = request.headers.authorization;
      const token = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : '';
      if (token && authorizationServer.introspect(token)) return null;
      // The provider's own refusal: its check against a credential no request can hold.
      return simulator.authenticate(request, { ...credentials, access_token: '\u0000never-issued' });
    },
  };
}
