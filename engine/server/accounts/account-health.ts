import { isUnimapError } from '../../index';
import type { RequestState } from '../request-state';
import type { AccountRepository } from '../store/account-repository';

/**
 * What a call says about its account's credentials: a provider's 401 marks it needs_reauth with the error, a later
 * success marks it active again. Written only when the status changes, so a healthy account costs no write.
 */
export async function recordAccountHealth(accounts: AccountRepository, state: RequestState, error: unknown): Promise<void> {
  const account = state.account;
  if (!account || state.tenant === undefined) return;
  if (error === undefined) {
    if (account.status !== 'active') await accounts.setStatus(state.tenant, account.id, 'active', null);
    return;
  }
  if (!isUnimapError(error) || error.remote?.status !== 401) return;
  await accounts.setStatus(state.tenant, account.id, 'needs_reauth', { code: error.code, message: error.message, remote_status: 401, at: new Date().toISOString() });
}
