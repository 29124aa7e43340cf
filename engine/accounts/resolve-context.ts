import { UnimapError } from '../errors';
import type { CompiledIntegration } from '../compile/compiled';
import { hasOwn } from '../own-keys';
import { SecretSet } from '../secrets/secret-set';
import type { IntegratedAccount } from './account-store';

/** The account's context split by who may see it. */
export interface ResolvedContext {
  /** Everything, for auth templates only. */
  all: Record<string, unknown>;
  /** Without secrets: what mappings, paths and base_url see as $context. */
  visible: Record<string, unknown>;
  /**
   * Secret values, to scrub from anything shown to a person. Request building adds what it derives from them
   * (a Basic pair, an auth header), so everything surfaced from this call is redacted against one set.
   */
  secrets: SecretSet;
}

/**
 * Check the account holds what the integration declares (required keys, patterns) and apply defaults.
 * `check: false` only splits and defaults: mapping a recorded answer sends nothing, so it needs no credentials.
 */
export function resolveContext(integration: CompiledIntegration, account: IntegratedAccount, check = true): ResolvedContext {
  const all: Record<string, unknown> = { ...account.context };
  const visible: Record<string, unknown> = { ...account.context };
  const secrets = new SecretSet();
  addBaseUrlCredentials(secrets, account.base_url);
  const missing: string[] = [];
  for (const [key, field] of Object.entries(integration.context)) {
    // Own keys only: a context without "constructor" must not read Object's.
    const own = hasOwn(all, key) ? all[key] : undefined;
    if ((own === undefined || own === '') && field.default !== undefined) all[key] = visible[key] = field.default;
    const value = hasOwn(all, key) ? all[key] : undefined;
    if (value === undefined || value === null || value === '') {
      if (field.required) missing.push(key);
      continue;
    }
    if (field.secret) {
      delete visible[key];
      secrets.add(value);
    } else if (check && field.regex && !field.regex.test(String(value))) {
      throw new UnimapError('UNIMAP_E_AUTH_INVALID_CONTEXT', `account "${account.id}": context "${key}" does not match ${field.pattern} required by ${integration.name}`, {
        details: { integration: integration.name, key },
      });
    }
  }
  if (check && missing.length > 0) {
    throw new UnimapError('UNIMAP_E_AUTH_MISSING_CONTEXT', `account "${account.id}" lacks ${missing.map((k) => `"${k}"`).join(', ')} required by ${integration.name}`, {
      details: { integration: integration.name, missing },
    });
  }
  return { all, visible, secrets };
}

/** An operator's base_url may carry user:password@ (a proxy, a sandbox); both are secrets, raw and as written. */
function addBaseUrlCredentials(secrets: SecretSet, baseUrl: string | undefined): void {
  if (typeof baseUrl !== 'string') return;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return;
  }
  for (const part of [url.username, url.password]) {
    if (!part) continue;
    secrets.add(part);
    try {
      secrets.add(decodeURIComponent(part));
    } catch {
      // not percent-encoded text: the raw form is registered
    }
  }
}
