import { gitlabSimulator } from '../../engine/sandbox/providers/gitlab';
import { jamfProSimulator } from '../../engine/sandbox/providers/jamf-pro';
import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { zendeskSimulator } from '../../engine/sandbox/providers/zendesk';
import type { TestProvider } from './harness';

export const OKTA_TOKEN = 'okta-server-test-token-000';
export const ZENDESK_TOKEN = 'zendesk-server-test-token-000';
export const JAMF_TOKEN = 'jamf-server-test-token-000';
export const GITLAB_TOKEN = 'glpat-server-test-token-000';

export const okta: TestProvider = {
  name: 'okta',
  simulator: oktaSimulator,
  credentials: { api_token: OKTA_TOKEN },
  account: (url) => ({ integration: 'okta', context: { subdomain: 'acme', api_token: OKTA_TOKEN }, base_url: url }),
};

export const zendesk: TestProvider = {
  name: 'zendesk',
  simulator: zendeskSimulator,
  credentials: { email: 'admin@acme.example', api_token: ZENDESK_TOKEN },
  account: (url) => ({ integration: 'zendesk', context: { subdomain: 'acme', email: 'admin@acme.example', api_token: ZENDESK_TOKEN }, base_url: url }),
};

export const jamf: TestProvider = {
  name: 'jamf-pro',
  simulator: jamfProSimulator,
  credentials: { access_token: JAMF_TOKEN },
  account: (url) => ({ integration: 'jamf-pro', context: { instance: 'acme', access_token: JAMF_TOKEN }, base_url: url }),
};

export const gitlab: TestProvider = {
  name: 'gitlab',
  simulator: gitlabSimulator,
  credentials: { access_token: GITLAB_TOKEN },
  account: (url) => ({ integration: 'gitlab', context: { access_token: GITLAB_TOKEN }, base_url: `${url}/api/v4` }),
};
