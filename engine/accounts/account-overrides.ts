import { UnimapError } from '../errors';
import { mappingError } from '../compile/expression';
import { compileExpression, isJsonataFailure, type MappingExpression } from '../jsonata/expression';
import { hasOwn } from '../own-keys';
import type { IntegratedAccount } from './account-store';

/** What one account may override for one resource and method: JSONata like the definition's own hooks. */
export interface MethodOverride {
  /** Deep-merged over the mapped remote body (input: the unified body). */
  body?: string;
  /** Merged over the mapped remote query (input: the unified query). */
  query?: string;
  /** Keys merged over the unified record (input: the same remote record), e.g. one customer's custom field. */
  response?: string;
}

/** `account.overrides["user-directory/users"].get = { response: "{ 'cost_center': profile.costCenter }" }` */
export type AccountOverrides = Record<string, Record<string, MethodOverride>>;

/** An override hook; its failures are typed errors naming the account, resource, method and hook. */
export interface OverrideHook {
  evaluate(input: unknown, bindings: Record<string, unknown>): Promise<unknown>;
}

export interface CompiledOverride {
  body?: OverrideHook;
  query?: OverrideHook;
  response?: OverrideHook;
}

// Compiled once per overrides object: accounts are read per call, their expressions are not re-parsed per call.
const cache = new WeakMap<AccountOverrides, Map<string, CompiledOverride>>();

/** The account's compiled overrides for a resource and method (empty when it has none). One account never sees another's. */
export function accountOverride(account: IntegratedAccount, resource: string, method: string): CompiledOverride {
  const overrides = account.overrides;
  if (!overrides) return {};
  let compiled = cache.get(overrides);
  if (!compiled) {
    compiled = new Map();
    cache.set(overrides, compiled);
  }
  const key = `${resource} ${method}`;
  let entry = compiled.get(key);
  if (!entry) {
    const forResource = hasOwn(overrides, resource) ? overrides[resource] : undefined;
    const def = forResource && typeof forResource === 'object' && hasOwn(forResource, method) ? forResource[method] : undefined;
    entry = compileOverride(account.id, key, typeof def === 'object' && def !== null ? def : {});
    compiled.set(key, entry);
  }
  return entry;
}

function compileOverride(accountId: string, where: string, def: MethodOverride): CompiledOverride {
  const out: CompiledOverride = {};
  for (const hook of ['body', 'query', 'response'] as const) {
    const source = def[hook];
    if (source === undefined) continue;
    let expression: MappingExpression;
    try {
      if (typeof source !== 'string') throw new TypeError('an override must be a JSONata string');
      expression = compileExpression(source);
    } catch (error) {
      const detail = isJsonataFailure(error) ? `JSONata ${error.code} at character ${error.position ?? 0}: ${error.message}` : String(error);
      throw new UnimapError('UNIMAP_E_DEF_JSONATA', `account "${accountId}" override ${where} ${hook}: ${detail}`);
    }
    const label = `account "${accountId}" override ${where} ${hook}`;
    out[hook] = {
      async evaluate(input, bindings) {
        try {
          return await expression.evaluate(input, bindings);
        } catch (error) {
          throw mappingError(error, label);
        }
      },
    };
  }
  return out;
}
