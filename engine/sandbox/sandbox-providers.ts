import type { ProviderSimulator } from './simulator';
import { activecampaignSimulator } from './providers/activecampaign';
import { marketoSimulator } from './providers/adobe-marketo-engage';
import { browserstackSimulator } from './providers/browserstack';
import { crowdstrikeSimulator } from './providers/crowdstrike';
import { freshdeskSimulator } from './providers/freshdesk';
import { gitlabSimulator } from './providers/gitlab';
import { googleWorkspaceSimulator } from './providers/google-workspace';
import { gorgiasSimulator } from './providers/gorgias';
import { helpScoutSimulator } from './providers/helpscout';
import { jamfProSimulator } from './providers/jamf-pro';
import { jiraSimulator } from './providers/jira';
import { lastpassSimulator } from './providers/lastpass';
import { microsoftEntraIdSimulator } from './providers/microsoft-entra-id';
import { oktaSimulator } from './providers/okta';
import { salesforceSimulator } from './providers/salesforce';
import { servicenowSimulator } from './providers/servicenow';
import { slackSimulator } from './providers/slack';
import { smartsheetSimulator } from './providers/smartsheet';
import { SNYK_ORG, snykSimulator } from './providers/snyk';
import { zendeskSimulator } from './providers/zendesk';
import { zohoDeskSimulator } from './providers/zoho-desk';
import { zoomSimulator } from './providers/zoom';

/**
 * A simulator written as code, for a provider a description cannot say (see describe.ts for those that can), and
 * how a sandbox account reaches it: the credentials the simulator checks (their values are made up at every
 * start), the account context and the path under the simulator's origin that the integration's base URL points at.
 */
export interface SandboxProvider {
  integration: string;
  simulator: ProviderSimulator;
  /** Context keys the simulator checks as credentials (the same names on both sides); values are made up per start. */
  credentials: readonly string[];
  /** Fixed context values (instance names, ids); the simulator sees them beside the credentials (LastPass checks its cid). */
  context: Record<string, string>;
  basePath?: string;
  /** The unified query a list needs: the definition's required query parameters (Snyk's organization). */
  listQuery?: Record<string, string>;
}

export const SANDBOX_PROVIDERS: readonly SandboxProvider[] = [
  { integration: 'activecampaign', simulator: activecampaignSimulator, credentials: ['api_token'], context: { account: 'acme' }, basePath: '/api/3' },
  { integration: 'adobe-marketo-engage', simulator: marketoSimulator(), credentials: ['access_token'], context: { munchkin_id: '123-ABC-456' } },
  { integration: 'browserstack', simulator: browserstackSimulator, credentials: ['username', 'access_key'], context: {} },
  { integration: 'crowdstrike', simulator: crowdstrikeSimulator, credentials: ['access_token'], context: {} },
  { integration: 'freshdesk', simulator: freshdeskSimulator, credentials: ['api_key'], context: { domain: 'acme' } },
  { integration: 'gitlab', simulator: gitlabSimulator, credentials: ['access_token'], context: {}, basePath: '/api/v4', listQuery: { collection: 'acme/widgets' } },
  { integration: 'google-workspace', simulator: googleWorkspaceSimulator, credentials: ['access_token'], context: {} },
  { integration: 'gorgias', simulator: gorgiasSimulator, credentials: ['email', 'api_key'], context: { domain: 'acme' } },
  { integration: 'helpscout', simulator: helpScoutSimulator, credentials: ['access_token'], context: {}, basePath: '/v2' },
  { integration: 'jamf-pro', simulator: jamfProSimulator, credentials: ['access_token'], context: { instance: 'acme' } },
  { integration: 'jira', simulator: jiraSimulator, credentials: ['email', 'api_token'], context: { site: 'acme' } },
  { integration: 'lastpass', simulator: lastpassSimulator, credentials: ['provhash'], context: { cid: '8771312' } },
  { integration: 'microsoft-entra-id', simulator: microsoftEntraIdSimulator, credentials: ['access_token'], context: {} },
  { integration: 'okta', simulator: oktaSimulator, credentials: ['api_token'], context: { subdomain: 'acme' } },
  {
    integration: 'salesforce', simulator: salesforceSimulator(), credentials: ['access_token'],
    context: { instance_url: 'https://acme.my.salesforce.com', default_profile_id: '00e5e00000StdUsAAA' },
  },
  { integration: 'servicenow', simulator: servicenowSimulator, credentials: ['username', 'password'], context: { instance: 'acme' } },
  { integration: 'slack', simulator: slackSimulator, credentials: ['access_token'], context: {} },
  { integration: 'smartsheet', simulator: smartsheetSimulator, credentials: ['access_token'], context: {}, basePath: '/2.0' },
  { integration: 'snyk', simulator: snykSimulator, credentials: ['api_token'], context: {}, basePath: '/rest', listQuery: { organization_id: SNYK_ORG } },
  { integration: 'zendesk', simulator: zendeskSimulator, credentials: ['email', 'api_token'], context: { subdomain: 'acme' } },
  { integration: 'zoho-desk', simulator: zohoDeskSimulator, credentials: ['access_token', 'org_id'], context: {} },
  { integration: 'zoom', simulator: zoomSimulator, credentials: ['access_token'], context: {} },
];
