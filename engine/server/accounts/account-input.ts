import type { CompiledIntegration, Registry } from '../../compile/compiled';
import { UnimapError } from '../../index';
import type { AccountFields, AccountStatus, StoredAccount } from '../store/account-repository';

type Problem = { field: string; message: string };

/** Which base URLs a caller may give an account (an operator setting otherwise: sandboxes, tests, proxies). */
export interface BaseUrlPolicy {
  /** URL prefixes accepted for base_url, e.g. the sandbox's simulators; empty refuses every base_url. */
  allowed: readonly string[];
}

const CREATE_KEYS = new Set(['integration', 'context', 'base_url', 'token_url', 'overrides']);
const PATCH_KEYS = new Set(['context', 'base_url', 'token_url', 'overrides', 'status']);
const SETTABLE_STATUSES: readonly AccountStatus[] = ['active', 'needs_reauth'];

/** A POST /integrated-accounts body checked against its integration's declared context: every problem at once. */
export function checkNewAccount(body: unknown, registry: Registry, policy: BaseUrlPolicy): AccountFields {
  const problems: Problem[] = [];
  const input = asObject(body, 'body', problems);
  unknownKeys(input, CREATE_KEYS, problems);
  const name = input['integration'];
  const integration = typeof name === 'string' ? registry.integrations.get(name) : undefined;
  if (!integration) {
    const loaded = [...registry.integrations.keys()].join(', ');
    problems.push({ field: 'integration', message: typeof name === 'string' ? `is not a loaded integration (loaded: ${loaded})` : `is required: one of ${loaded}` });
    throw invalid(problems);
  }
  const context = asObject(input['context'] ?? {}, 'context', problems);
  const split = splitContext(integration, context, {}, problems);
  const fields: AccountFields = {
    integration: integration.name,
    ...split,
    base_url: checkAllowedUrl(input['base_url'], 'base_url', operatorUrls(policy.allowed), problems),
    token_url: checkAllowedUrl(input['token_url'], 'token_url', operatorUrls(policy.allowed), problems),
    overrides: checkOverrides(input['overrides'], problems),
    status: 'active',
    last_error: null,
  };
  if (problems.length > 0) throw invalid(problems);
  return fields;
}

/**
 * A PATCH body over the stored account: context merged shallowly (a key set to null is removed), the whole result
 * checked again. New credentials clear needs_reauth unless the patch says otherwise.
 */
export function checkAccountPatch(body: unknown, existing: StoredAccount, registry: Registry, policy: BaseUrlPolicy): AccountFields {
  const problems: Problem[] = [];
  const input = asObject(body, 'body', problems);
  unknownKeys(input, PATCH_KEYS, problems);
  const integration = registry.integrations.get(existing.integration);
  if (!integration) throw invalid([{ field: 'integration', message: `"${existing.integration}" is no longer loaded; the account cannot be changed until it is` }]);
  const patch = asObject(input['context'] ?? {}, 'context', problems);
  const current = { ...existing.context, ...existing.secrets };
  const split = splitContext(integration, current, patch, problems);
  const status = input['status'];
  if (status !== undefined && !SETTABLE_STATUSES.includes(status as AccountStatus)) problems.push({ field: 'status', message: `must be one of ${SETTABLE_STATUSES.join(', ')}` });
  const credentialsChanged = Object.keys(patch).length > 0;
  const fields: AccountFields = {
    integration: integration.name,
    ...split,
    base_url: 'base_url' in input ? checkAllowedUrl(input['base_url'], 'base_url', operatorUrls(policy.allowed), problems) : existing.base_url,
    token_url: 'token_url' in input ? checkAllowedUrl(input['token_url'], 'token_url', operatorUrls(policy.allowed), problems) : existing.token_url,
    overrides: 'overrides' in input ? checkOverrides(input['overrides'], problems) : existing.overrides,
    status: (status as AccountStatus | undefined) ?? (credentialsChanged ? 'active' : existing.status),
    last_error: status === 'active' || (status === undefined && credentialsChanged) ? null : existing.last_error,
  };
  if (problems.length > 0) throw invalid(problems);
  return fields;
}

/** Merge `patch` over `base`, check each value against the declaration, and split secret keys from the rest. */
function splitContext(integration: CompiledIntegration, base: Record<string, unknown>, patch: Record<string, unknown>, problems: Problem[]): Pick<AccountFields, 'context' | 'secrets'> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const context: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  const declared = integration.context;
  for (const [key, value] of Object.entries(merged)) {
    const field = Object.prototype.hasOwnProperty.call(declared, key) ? declared[key] : undefined;
    if (!field) {
      problems.push({ field: `context.${key}`, message: `is not declared by ${integration.name}; it takes ${Object.keys(declared).join(', ') || 'no context'}` });
      continue;
    }
    if (field.secret) {
      if (typeof value !== 'string' || value === '') problems.push({ field: `context.${key}`, message: 'is a secret and must be a non-empty string' });
      else secrets[key] = value;
      continue;
    }
    if (typeof value === 'object' || value === undefined) {
      problems.push({ field: `context.${key}`, message: 'must be a string, number or boolean' });
      continue;
    }
    if (field.regex && !field.regex.test(String(value))) problems.push({ field: `context.${key}`, message: `does not match ${field.pattern ?? 'the declared pattern'}` });
    context[key] = value;
  }
  for (const [key, field] of Object.entries(declared)) {
    const value = merged[key];
    if (field.required && field.default === undefined && (value === undefined || value === '')) problems.push({ field: `context.${key}`, message: `is required by ${integration.name}` });
  }
  return { context, secrets };
}

export interface UrlRule {
  /** URL prefixes accepted (a value equal to one, or under it as a path). */
  allowed: readonly string[];
  /** What the problem says of a URL under none of them. */
  refusal: string;
  /** Also accept a prefix followed by a query string (a page to return to). */
  query?: boolean;
}

/** base_url, token_url, authorize_url: operator settings, taken from a caller only under a prefix the operator allows. */
export const operatorUrls = (allowed: readonly string[]): UrlRule => ({
  allowed,
  refusal: 'is an operator setting; this server accepts none from callers except under its allowed base URLs (the sandbox simulators)',
});

/** A caller-given URL checked against a rule: null when absent or refused (the problem is recorded). */
export function checkAllowedUrl(value: unknown, field: string, rule: UrlRule, problems: Problem[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) {
    problems.push({ field, message: 'must be an http(s) URL' });
    return null;
  }
  const under = (prefix: string) => value === prefix || value.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || (rule.query === true && value.startsWith(`${prefix}?`));
  if (!rule.allowed.some(under)) {
    problems.push({ field, message: rule.refusal });
    return null;
  }
  return value;
}

function checkOverrides(value: unknown, problems: Problem[]): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  return asObject(value, 'overrides', problems);
}

function asObject(value: unknown, field: string, problems: Problem[]): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push({ field, message: 'must be a JSON object' });
  return {};
}

function unknownKeys(input: Record<string, unknown>, allowed: Set<string>, problems: Problem[]): void {
  for (const key of Object.keys(input)) if (!allowed.has(key)) problems.push({ field: key, message: `is not an account field (accepted: ${[...allowed].join(', ')})` });
}

function invalid(problems: Problem[]): UnimapError {
  return new UnimapError('UNIMAP_E_SERVER_ACCOUNT_INVALID', `invalid integrated account: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, { details: problems });
}
