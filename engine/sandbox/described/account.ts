import type { CompiledIntegration } from '../../compile/compiled';
import type { SimulatorDescription } from './types';

/** What an engine account needs to reach a described simulator: its context, the path under the simulator's origin, the list query. */
export interface DescribedAccount {
  /** Every context key the integration declares, filled; the simulator checks the same values as its credentials. */
  context: Record<string, string>;
  /** Where the account's base_url points under the simulator's origin (`/api/v1`, or '' for the origin). */
  basePath: string;
  /** The unified query a call sends (the definition's required query parameters, such as an organization id). */
  query: Record<string, unknown>;
}

/**
 * The account a description asks for. The context fills the integration's declared keys: the description's
 * `account.context`, then declared defaults, then `secretValue(key)` for secrets. {name} in the description's auth
 * rule names a context key, so a simulator started with this context as its credentials accepts the account.
 */
export function describedAccount(integration: CompiledIntegration, description: SimulatorDescription, secretValue: (key: string) => string): DescribedAccount {
  const context = describedContext(integration, description, secretValue);
  return { context, basePath: describedBasePath(integration, description, context), query: description.account?.query ?? {} };
}

function describedContext(integration: CompiledIntegration, description: SimulatorDescription, secretValue: (key: string) => string): Record<string, string> {
  const given = description.account?.context ?? {};
  const context: Record<string, string> = {};
  for (const [key, field] of Object.entries(integration.context)) {
    if (given[key] !== undefined) context[key] = given[key]!;
    else if (field.default !== undefined) context[key] = String(field.default);
    else if (field.secret) context[key] = secretValue(key);
    else if (field.required) throw new TypeError(`${integration.name}: give account.context.${key} in the simulator description (a value the integration accepts)`);
  }
  return { ...given, ...context };
}

/**
 * The description's `account.base_path`, else the path of the integration's base_url (https://api.meraki.com/api/v1
 * → /api/v1), with `{{ $context.<key> }}` filled from the account's context (Webex's /identity/scim/<org_id>/v2).
 */
function describedBasePath(integration: CompiledIntegration, description: SimulatorDescription, context: Record<string, string>): string {
  if (description.account?.base_path !== undefined) return description.account.base_path;
  const path = String(integration.def.base_url ?? '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const filled = path.replace(/\{\{\s*\$context\.(\w+)\s*\}\}/g, (whole, key: string) => (context[key] === undefined ? whole : encodeURIComponent(context[key]!)));
  if (filled.includes('{{')) throw new TypeError(`${integration.name}: its base_url path is a template; give account.base_path in the simulator description`);
  return filled.replace(/\/$/, '');
}
