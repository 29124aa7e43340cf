import type { ProviderSimulator } from './simulator';
import { activecampaignSimulator } from './providers/activecampaign';
import { freshdeskSimulator } from './providers/freshdesk';
import { gitlabSimulator } from './providers/gitlab';
import { googleWorkspaceSimulator } from './providers/google-workspace';
import { gorgiasSimulator } from './providers/gorgias';
import { helpScoutSimulator } from './providers/helpscout';
import { jamfProSimulator } from './providers/jamf-pro';
import { jiraSimulator } from './providers/jira';
import { microsoftEntraIdSimulator } from './providers/microsoft-entra-id';
import { oktaSimulator } from './providers/okta';
import { salesforceSimulator } from './providers/salesforce';
import { servicenowSimulator } from './providers/servicenow';
import { slackSimulator } from './providers/slack';
import { smartsheetSimulator } from './providers/smartsheet';
import { zendeskSimulator } from './providers/zendesk';
import { zohoDeskSimulator } from './providers/zoho-desk';
import { zoomSimulator } from './providers/zoom';

/**
 * One bundled simulator per shipped integration, and how a sandbox account reaches it: the credentials the
 * simulator checks (their values are made up at every start), the account context and the path under
 * the simulator's origin that the integration's base URL points at.
 */
export interface SandboxProvider {
  integration: string;
  simulator: ProviderSimulator;
  /** Context keys the simulator checks as credentials (the same names on both sides); values are made up per start. */
  credentials: readonly string[];
  /** Fixed context values (instance names, emails); secrets are added from `credentials`. */
  context: Record<string, string>;
  basePath?: string;
}

export const SANDBOX_PROVIDERS: readonly SandboxProvider[] = [
  { integration: 'activecampaign', simulator: activecampaignSimulator, credentials: ['api_token'], context: { account: 'acme' }, basePath: '/api/3' },
  { integration: 'freshdesk', simulator: freshdeskSimulator, credentials: ['api_key'], context: { domain: 'acme' } },
  { integration: 'gitlab', simulator: gitlabSimulator, credentials: ['access_token'], context: {}, basePath: '/api/v4' },
  { integration: 'google-workspace', simulator: googleWorkspaceSimulator, credentials: ['access_token'], context: {} },
  { integration: 'gorgias', simulator: gorgiasSimulator, credentials: ['email', 'api_key'], context: { domain: 'acme' } },
  { integration: 'helpscout', simulator: helpScoutSimulator, credentials: ['access_token'], context: {}, basePath: '/v2' },
  { integration: 'jamf-pro', simulator: jamfProSimulator, credentials: ['access_token'], context: { instance: 'acme' } },
  { integration: 'jira', simulator: jiraSimulator, credentials: ['email', 'api_token'], context: { site: 'acme' } },
  { integration: 'microsoft-entra-id', simulator: microsoftEntraIdSimulator, credentials: ['access_token'], context: {} },
  { integration: 'okta', simulator: oktaSimulator, credentials: ['api_token'], context: { subdomain: 'acme' } },
  {
    integration: 'salesforce', simulator: salesforceSimulator(), credentials: ['access_token'],
    context: { instance_url: 'https://acme.my.salesforce.com', default_profile_id: '00e5e00000StdUsAAA' },
  },
  { integration: 'servicenow', simulator: servicenowSimulator, credentials: ['username', 'password'], context: { instance: 'acme' } },
  { integration: 'slack', simulator: slackSimulator, credentials: ['access_token'], context: {} },
  { integration: 'smartsheet', simulator: smartsheetSimulator, credentials: ['access_token'], context: {}, basePath: '/2.0' },
  { integration: 'zendesk', simulator: zendeskSimulator, credentials: ['email', 'api_token'], context: { subdomain: 'acme' } },
  { integration: 'zoho-desk', simulator: zohoDeskSimulator, credentials: ['access_token', 'org_id'], context: {} },
  { integration: 'zoom', simulator: zoomSimulator, credentials: ['access_token'], context: {} },
];
