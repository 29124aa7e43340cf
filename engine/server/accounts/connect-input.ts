import type { Registry } from '../../compile/compiled';
import { UnimapError } from '../../index';
import { checkAllowedUrl, operatorUrls, type BaseUrlPolicy } from './account-input';

/** The operator's connect settings: where providers send people back, and where the flow may end. */
export interface ConnectPolicy {
  /** The server's public origin (https://unimap.example.com): the callback is <publicUrl>/oauth/callback. */
  publicUrl: string | undefined;
  /** URL prefixes a caller may name as return_url (its own app's pages); none: the callback answers JSON. */
  returnUrls: readonly string[];
}

export interface ConnectStart {
  integration: string;
  account_id: string | null;
  context: Record<string, unknown>;
  return_url: string | null;
  base_url: string | null;
  token_url: string | null;
  authorize_url: string | null;
}

type Problem = { field: string; message: string };
const KEYS = new Set(['integration', 'integrated_account_id', 'context', 'return_url', 'base_url', 'token_url', 'authorize_url']);
/** Written by the token exchange, never by a caller. */
const TOKEN_KEYS = new Set(['access_token', 'refresh_token', 'expires_at', 'grant_type']);

/** A POST /oauth/authorize body: every problem at once, like an account's. */
export function checkConnectStart(body: unknown, registry: Registry, policy: ConnectPolicy, urls: BaseUrlPolicy): ConnectStart {
  if (policy.publicUrl === undefined) {
    throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', 'this server has no public URL for OAuth callbacks; start it with --public-url (or UNIMAP_PUBLIC_URL)');
  }
  const problems: Problem[] = [];
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  for (const key of Object.keys(input)) if (!KEYS.has(key)) problems.push({ field: key, message: 'is not a field of a connect request' });
  const name = input['integration'];
  const integration = typeof name === 'string' ? registry.integrations.get(name) : undefined;
  if (!integration?.oauth2?.authorize) {
    const connectable = [...registry.integrations.values()].filter((i) => i.oauth2?.authorize).map((i) => i.name);
    problems.push({ field: 'integration', message: `must name an integration with the authorization code grant: ${connectable.join(', ')}` });
    throw invalid(problems);
  }
  const context = input['context'] ?? {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) problems.push({ field: 'context', message: 'must be an object' });
  const given = (typeof context === 'object' && context !== null ? context : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    const declared = Object.prototype.hasOwnProperty.call(integration.context, key) ? integration.context[key] : undefined;
    if (!declared || TOKEN_KEYS.has(key)) problems.push({ field: `context.${key}`, message: `is not a setting ${integration.name} takes before it is connected` });
    else if (declared.regex && !declared.regex.test(String(value))) problems.push({ field: `context.${key}`, message: `does not match ${declared.pattern}` });
  }
  const accountId = input['integrated_account_id'];
  if (accountId !== undefined && (typeof accountId !== 'string' || accountId === '')) problems.push({ field: 'integrated_account_id', message: 'must be the id of the account to reconnect' });
  const start: ConnectStart = {
    integration: integration.name,
    account_id: typeof accountId === 'string' && accountId !== '' ? accountId : null,
    context: given,
    // Where the flow ends: never an open redirect, so only under the operator's prefixes (a query string is fine).
    return_url: checkAllowedUrl(input['return_url'], 'return_url', { allowed: policy.returnUrls, refusal: 'is not under a URL this server allows for it', query: true }, problems),
    base_url: checkAllowedUrl(input['base_url'], 'base_url', operatorUrls(urls.allowed), problems),
    token_url: checkAllowedUrl(input['token_url'], 'token_url', operatorUrls(urls.allowed), problems),
    authorize_url: checkAllowedUrl(input['authorize_url'], 'authorize_url', operatorUrls(urls.allowed), problems),
  };
  if (problems.length > 0) throw invalid(problems);
  return start;
}


function invalid(problems: Problem[]): UnimapError {
  return new UnimapError('UNIMAP_E_SERVER_ACCOUNT_INVALID', `the connect request is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { details: problems });
}
