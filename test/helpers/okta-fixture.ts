import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { useProvider } from './provider-harness';

export const OKTA_TOKEN = 'okta-test-token-0123456789';
export const ACCOUNT = { integratedAccountId: 'acme-okta' };

/** The Okta simulator and an engine whose accounts point at it (plus broken accounts for error tests), per test file. */
export function useOkta() {
  return useProvider(oktaSimulator, { api_token: OKTA_TOKEN }, (url) => [
    { id: 'acme-okta', integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: url },
    { id: 'wrong-token', integration: 'okta', context: { subdomain: 'acme', api_token: 'not-the-token-000' }, base_url: url },
    { id: 'no-token', integration: 'okta', context: { subdomain: 'acme' }, base_url: url },
    { id: 'evil-subdomain', integration: 'okta', context: { subdomain: 'evil.com/x?', api_token: OKTA_TOKEN } },
    { id: 'ghost', integration: 'nope', context: {} },
    {
      id: 'custom-okta', integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: url,
      // One customer's own field: written on create, read back on every get and list.
      overrides: {
        'user-directory/users': {
          create: { body: "{ 'profile': { 'costCenter': 'CC-' & $uppercase(last_name) } }" },
          get: { response: "{ 'cost_center': profile.costCenter, 'first_name': $uppercase(profile.firstName) }" },
          list: { response: "{ 'cost_center': profile.costCenter }" },
        },
      },
    },
    { id: 'broken-override', integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: url, overrides: { 'user-directory/users': { get: { response: '{ "a": ' } } } },
  ]);
}

export const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
};
