import type { AccountStore, IntegratedAccount, TokenPersistence } from '../../index';
import type { Registry } from '../../compile/compiled';
import { requestStates, type RequestState } from '../request-state';
import type { AccountRepository } from '../store/account-repository';
import type { SqlClient } from '../store/sql-client';
import { toIntegratedAccount } from './account-view';
import { secretKeysOf } from './secret-context';

/**
 * The engine's AccountStore over the server's repository, scoped to the tenant of the request being served (found
 * in its RequestState): another tenant's account id finds nothing, exactly like an unknown id. Outside a request
 * nothing is found. The account loaded is noted on the request, for its log line, its status and redaction.
 *
 * OAuth renewals run under a database lock per account (a PostgreSQL advisory lock, held by the connection: an
 * instance that dies mid-refresh releases it), read the row past the cache and write the new tokens in one
 * transaction, so every instance sharing the database renews an account once, with the latest refresh token.
 */
export function tenantAccountStore(accounts: AccountRepository, db: SqlClient, registry: () => Registry): AccountStore {
  const inRequest = (): (RequestState & { tenant: string }) | undefined => {
    const state = requestStates.getStore();
    return state?.tenant === undefined ? undefined : (state as RequestState & { tenant: string });
  };
  const tokens: TokenPersistence = {
    exclusive(id, work) {
      const state = inRequest();
      return state ? db.withAdvisoryLock(JSON.stringify(['oauth-refresh', state.tenant, id]), work) : work();
    },
    async reload(id) {
      const state = inRequest();
      const account = state && (await accounts.reload(state.tenant, id));
      if (!account) return undefined;
      state.secrets.add(Object.values(account.secrets));
      return toIntegratedAccount(account);
    },
    async saveTokens(id, values) {
      const state = inRequest();
      if (!state) return;
      const integration = state.account && registry().integrations.get(state.account.integration);
      const secretKeys = secretKeysOf(integration);
      state.secrets.add(Object.entries(values).filter(([key]) => secretKeys.has(key)).map(([, value]) => value));
      await accounts.saveTokens(state.tenant, id, values, secretKeys);
    },
    async markNeedsReauth(id, problem) {
      const state = inRequest();
      if (state) await accounts.setStatus(state.tenant, id, 'needs_reauth', problem);
    },
  };
  return {
    async get(id: string): Promise<IntegratedAccount | undefined> {
      const state = inRequest();
      if (!state) return undefined;
      const account = await accounts.find(state.tenant, id);
      if (!account) return undefined;
      state.account = account;
      state.secrets.add(Object.values(account.secrets));
      return toIntegratedAccount(account);
    },
    tokens,
  };
}
