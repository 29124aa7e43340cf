import { scimError, scimSimulator } from '../scim';
import type { ProviderSimulator } from '../simulator';
import { matchesAuth } from './auth';
import type { ScimDescription, SimulatorDescription } from './types';

/** A SCIM provider's simulator from its description: the generic one, the description's auth rule, its quirks. */
export function scimFromDescription(name: string, description: SimulatorDescription & { scim: ScimDescription }): ProviderSimulator {
  const s = description.scim;
  const simulator = scimSimulator({
    name,
    ...(s.base_path !== undefined ? { basePath: s.base_path } : {}),
    ...(s.attributes ? { attributes: s.attributes } : {}),
    ...(s.required ? { required: s.required } : {}),
    ...(s.unique ? { unique: s.unique } : {}),
    ...(s.filterable ? { filterable: s.filterable } : {}),
    ...(s.filter_aliases ? { filterAliases: s.filter_aliases } : {}),
    ...(s.paging ? { paging: { ...(s.paging.default_count !== undefined ? { defaultCount: s.paging.default_count } : {}), ...(s.paging.max_count !== undefined ? { maxCount: s.paging.max_count } : {}) } } : {}),
    ...(s.operations ? { operations: s.operations } : {}),
    ...(s.delete_mode ? { deleteMode: s.delete_mode } : {}),
    ...(s.single_email !== undefined ? { singleEmail: s.single_email } : {}),
    ...(s.ids ? { ids: s.ids } : {}),
    ...(s.rate_limit ? { rateLimit: { requests: s.rate_limit.requests, windowSeconds: s.rate_limit.window_seconds } } : {}),
    ...(s.meta !== undefined ? { meta: s.meta } : {}),
    auth: { value: '' },
  });
  const unauthorized = description.errors?.unauthorized ?? { status: 401, body: scimError(401, 'Authorization failure. The authorization header is invalid or missing.') };
  return {
    ...simulator,
    authenticate(request, credentials) {
      // the budget (429) is counted before credentials are checked, as the providers' gateways do
      const limited = simulator.authenticate(request, credentials);
      if (limited && limited.status === 429) return limited;
      if (matchesAuth(description.auth, request, credentials)) return null;
      return { status: unauthorized.status, body: unauthorized.body };
    },
  };
}
