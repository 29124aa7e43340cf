import type { AccountOverrides, MethodOverride } from '../accounts/account-overrides';
import type { IntegratedAccount } from '../accounts/account-store';
import { UnimapError } from '../errors';
import { compileExpression, isJsonataFailure, type MappingExpression } from '../jsonata/expression';
import { hasOwn } from '../own-keys';
import { mappingError } from './expression';

/** An override hook; its failures are typed errors naming the account, resource, method and hook. */
export interface OverrideHook {
  evaluate(input: unknown, bindings: Record<string, unknown>): Promise<unknown>;
}

export interface CompiledOverride {
  body?: OverrideHook;
  query?: OverrideHook;
  response?: OverrideHook;
}

// Looked up once per overrides object: accounts are read per call, their expressions are not re-parsed per call.
const cache = new WeakMap<AccountOverrides, Map<string, CompiledOverride>>();

// Compiled once per expression text: many tenants usually carry the same override, and each pays only a lookup.
// Bounded, since the texts come from accounts; the oldest text is compiled again if it comes back.
const MAX_SHARED_EXPRESSIONS = 5000;
const byText = new Map<string, MappingExpression>();

function sharedExpression(source: string): MappingExpression {
  let expression = byText.get(source);
  if (!expression) {
    expression = compileExpression(source);
    if (byText.size >= MAX_SHARED_EXPRESSIONS) byText.delete(byText.keys().next().value!);
    byText.set(source, expression);
  }
  return expression;
}

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
      expression = sharedExpression(source);
    } catch (error) {
      const detail = isJsonataFailure(error) ? `JSONata ${error.code} at character ${error.position ?? 0}: ${error.message}` : String(error);
      throw new UnimapError('UNIMAP_E_DEF_JSONATA', `account "${accountId}" override ${where} ${hook}: ${detail}`);
    }
    out[hook] = {
      async evaluate(input, bindings) {
        try {
          return await expression.evaluate(input, bindings);
        } catch (error) {
          // the label is built on failure only: ten thousand accounts keep no ten thousand copies of it
          throw mappingError(error, `account "${accountId}" override ${where} ${hook}`);
        }
      },
    };
  }
  return out;
}
