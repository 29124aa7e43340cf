import { UnimapError } from '../errors';
import type { CompiledIntegration } from '../compile/compiled';
import type { IntegratedAccount } from './account-store';

/** The account's context split by who may see it. */
export interface ResolvedContext {
  /** Everything, for auth templates only. */
  all: Record<string, unknown>;
  /** Without secrets: what mappings, paths and base_url see as $context. */
  visible: Record<string, unknown>;
  /** Secret values, to scrub from anything shown to a person. */
  secrets: string[];
}

/** Check the account holds what the integration declares (required keys, patterns) and apply defaults. */
export function resolveContext(integration: CompiledIntegration, account: IntegratedAccount): ResolvedContext {
  const all: Record<string, unknown> = { ...account.context };
  const visible: Record<string, unknown> = { ...account.context };
  const secrets: string[] = [];
  const missing: string[] = [];
  for (const [key, field] of Object.entries(integration.context)) {
    if ((all[key] === undefined || all[key] === '') && field.default !== undefined) all[key] = visible[key] = field.default;
    const value = all[key];
    if (value === undefined || value === null || value === '') {
      if (field.required) missing.push(key);
      continue;
    }
    if (field.secret) {
      delete visible[key];
      secrets.push(String(value));
    } else if (field.regex && !field.regex.test(String(value))) {
      throw new UnimapError('UNIMAP_E_AUTH_INVALID_CONTEXT', `account "${account.id}": context "${key}" does not match ${field.pattern} required by ${integration.name}`, {
        details: { integration: integration.name, key },
      });
    }
  }
  if (missing.length > 0) {
    throw new UnimapError('UNIMAP_E_AUTH_MISSING_CONTEXT', `account "${account.id}" lacks ${missing.map((k) => `"${k}"`).join(', ')} required by ${integration.name}`, {
      details: { integration: integration.name, missing },
    });
  }
  return { all, visible, secrets };
}

/** Replace every secret value inside strings of `value` with "[redacted]". */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const usable = secrets.filter((s) => s.length >= 4);
  if (usable.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return usable.reduce((text, secret) => text.split(secret).join('[redacted]'), v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, scrub(item)]));
    return v;
  };
  return scrub(value) as T;
}
