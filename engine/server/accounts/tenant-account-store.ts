import type { AccountStore, IntegratedAccount } from '../../index';
import { requestStates } from '../request-state';
import type { AccountRepository } from '../store/account-repository';
import { toIntegratedAccount } from './account-view';

/**
 * The engine's AccountStore over the server's repository, scoped to the tenant of the request being served (found
 * in its RequestState): another tenant's account id finds nothing, exactly like an unknown id. Outside a request
 * nothing is found. The account loaded is noted on the request, for its log line, its status and redaction.
 */
export function tenantAccountStore(accounts: AccountRepository): AccountStore {
  return {
    async get(id: string): Promise<IntegratedAccount | undefined> {
      const state = requestStates.getStore();
      if (state?.tenant === undefined) return undefined;
      const account = await accounts.find(state.tenant, id);
      if (!account) return undefined;
      state.account = account;
      state.secrets.add(Object.values(account.secrets));
      return toIntegratedAccount(account);
    },
  };
}
