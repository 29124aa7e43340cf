import type { Registry } from '../../compile/compiled';
import type { IntegratedAccount } from '../../index';
import type { StoredAccount } from '../store/account-repository';

/**
 * An account as callers see it. Secret values never leave the server: they are stored apart (sealed) and not in
 * `context`; a key the current definition marks secret is left out too, even if it was stored in the clear before.
 */
export function viewAccount(account: StoredAccount, registry: Registry): Record<string, unknown> {
  const declared = registry.integrations.get(account.integration)?.context ?? {};
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(account.context)) if (!declared[key]?.secret) context[key] = value;
  return {
    id: account.id,
    tenant_id: account.tenant_id,
    integration: account.integration,
    context,
    ...(account.base_url === null ? {} : { base_url: account.base_url }),
    ...(account.token_url === null ? {} : { token_url: account.token_url }),
    ...(account.overrides === null ? {} : { overrides: account.overrides }),
    status: account.status,
    last_error: account.last_error,
    created_at: account.created_at,
    updated_at: account.updated_at,
  };
}

/** What the engine reads: the whole context (secrets included, for auth templates), and the operator settings. */
export function toIntegratedAccount(account: StoredAccount): IntegratedAccount {
  return {
    id: account.id,
    integration: account.integration,
    context: { ...account.context, ...account.secrets },
    ...(account.base_url === null ? {} : { base_url: account.base_url }),
    ...(account.token_url === null ? {} : { token_url: account.token_url }),
    ...(account.overrides === null ? {} : { overrides: account.overrides as NonNullable<IntegratedAccount['overrides']> }),
    status: account.status,
    last_error: account.last_error,
    // Budgets and OAuth renewals are per tenant's account: two tenants may use the same account id.
    rate_limit_key: JSON.stringify([account.tenant_id, account.id]),
  };
}
