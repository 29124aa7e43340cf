import type { AccountStore, IntegratedAccount } from '../accounts/account-store';
import type { CompiledIntegration, CompiledMethod, CompiledResource, Registry } from '../compile/compiled';
import { UnimapError } from '../errors';
import type { UnifiedCall } from '../types';

export interface Target {
  account: IntegratedAccount;
  integration: CompiledIntegration;
  resource: CompiledResource;
  method: CompiledMethod;
}

const NEEDS_ID = new Set(['get', 'update', 'delete']);

/** Account → integration → resource → method, each failure with its own code. */
/** `requireId: false` when mapping a recorded answer, where $params.id is only what the caller chose to give. */
export async function resolveTarget(registry: Registry, accounts: AccountStore, call: UnifiedCall, requireId = true): Promise<Target> {
  const account = call.account ?? (await findAccount(accounts, call.integratedAccountId));
  const integration = registry.integrations.get(account.integration);
  if (!integration) {
    throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${account.integration}"; loaded: ${[...registry.integrations.keys()].join(', ') || 'none'}`);
  }
  const key = `${call.category}/${call.resource}`;
  const resource = integration.resources.get(key);
  if (!resource) {
    throw new UnimapError('UNIMAP_E_REQ_RESOURCE_NOT_FOUND', `${integration.label} has no mapping for ${key}; it maps ${[...integration.resources.keys()].join(', ') || 'nothing'}`);
  }
  const method = resource.methods.get(call.method);
  if (!method) {
    throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${integration.label} does not map ${key} ${call.method}; it maps ${[...resource.methods.keys()].join(', ')}`);
  }
  if (method.unsupported !== undefined) {
    throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${call.method} ${key} is not supported by ${integration.label}: ${method.unsupported}`);
  }
  if (requireId && NEEDS_ID.has(call.method) && (typeof call.id !== 'string' || call.id.trim() === '')) {
    throw new UnimapError('UNIMAP_E_REQ_MISSING_ID', `${call.method} ${key} needs the id of the record`);
  }
  return { account, integration, resource, method };
}

async function findAccount(accounts: AccountStore, id: string | undefined): Promise<IntegratedAccount> {
  if (!id) throw new UnimapError('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', 'integrated_account_id is required');
  const account = await accounts.get(id);
  if (!account) throw new UnimapError('UNIMAP_E_REQ_ACCOUNT_NOT_FOUND', `no integrated account "${id}"`);
  return account;
}
