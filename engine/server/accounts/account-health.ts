import type { Registry } from '../../compile/compiled';
import { isUnimapError } from '../../index';
import type { RequestState } from '../request-state';
import type { AccountRepository } from '../store/account-repository';

/**
 * What a call says about its account's credentials: a provider's 401 marks it needs_reauth with the error, a later
 * success marks it active again. Written only when the status changes, so a healthy account costs no write.
 */
export async function recordAccountHealth(accounts: AccountRepository, state: RequestState, error: unknown, registry: Registry): Promise<void> {
  const account = state.account;
  if (!account || state.tenant === undefined) return;
  if (error === undefined) {
    // A renewal that just stored new tokens marked it active already; the cached row may not know yet.
    if (account.status !== 'active') await accounts.setStatus(state.tenant, account.id, 'active', null);
    return;
  }
  // OAuth accounts: the engine renewed the token and retried on the 401; only a refused grant (which the engine
  // records itself) means reconnecting. A 401 left after that is a permission answer, not a dead credential.
  if (registry.integrations.get(account.integration)?.oauth2) return;
  if (!isUnimapError(error) || error.remote?.status !== 401) return;
  await accounts.setStatus(state.tenant, account.id, 'needs_reauth', { code: error.code, message: error.message, remote_status: 401, at: new Date().toISOString() });
}
