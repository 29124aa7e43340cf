import { AsyncLocalStorage } from 'node:async_hooks';
import type { UnimapError, UnifiedWarning } from '../index';
import { SecretSet } from '../secrets/secret-set';
import type { StoredAccount } from './store/account-repository';

/**
 * What the server learns about one HTTP request while it runs: who called (tenant), which account the engine
 * loaded, what the provider answered. The engine reads accounts through the tenant-scoped store, which finds the
 * tenant here; the log line and the account's status are written from it.
 */
export interface RequestState {
  requestId: string;
  tenant: string | undefined;
  account: StoredAccount | undefined;
  /** e.g. "user-directory/users create"; "proxy" for passthrough calls. */
  operation: string | undefined;
  /** The status of the last remote answer, and how many remote requests the call made. */
  remoteStatus: number | undefined;
  remoteCalls: number;
  warnings: UnifiedWarning[];
  /** The loaded account's secret values: scrubbed from the log line and error bodies by value. */
  secrets: SecretSet;
  /** The error the request was answered with, if any. */
  failure: UnimapError | undefined;
  /** The Idempotency-Key this request claimed (its answer is stored when it ends). */
  idempotencyKey: string | undefined;
}

export const requestStates = new AsyncLocalStorage<RequestState>();

export function newRequestState(requestId: string): RequestState {
  return { requestId, tenant: undefined, account: undefined, operation: undefined, remoteStatus: undefined, remoteCalls: 0, warnings: [], secrets: new SecretSet(), failure: undefined, idempotencyKey: undefined };
}
