/**
 * The counters behind the budgets an integration declares (rate_limit.limits), made once per integration, `per`
 * and figure and reused by every call. Keys: `<prefix>:<integration>` for the integration's budget and
 * `<prefix>:<integration>:acct:<rate_limit_key or account id>` for an account's.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { IntegratedAccount } from '../../accounts/account-store';
import type { CompiledIntegration } from '../../compile/compiled';
import type { OutboundLimitDef } from '../../definition';

/** One budget a request draws on: the counter, the key within its prefix, and the declared limit (for messages). */
export interface Budget {
  scope: OutboundLimitDef['per'];
  limit: OutboundLimitDef;
  limiter: RateLimiterAbstract;
  key: string;
}

/** Makes a counter of `points` per `duration` whole seconds under the key prefix. */
export type MakeLimiter = (points: number, duration: number) => RateLimiterAbstract;

export class LimiterRegistry {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(private readonly make: MakeLimiter) {}

  /** The budgets one request of this account draws on; the account's first, so a spent account leaves the shared budget alone. */
  budgetsFor(integration: CompiledIntegration, account: IntegratedAccount): Budget[] {
    const limits = integration.rateLimit.limits ?? [];
    return [...limits]
      .sort((a, b) => (a.per === b.per ? 0 : a.per === 'account' ? -1 : 1))
      .map((limit) => ({ scope: limit.per, limit, limiter: this.limiterFor(integration.name, limit), key: budgetKey(integration.name, limit.per, account) }));
  }

  private limiterFor(integration: string, limit: OutboundLimitDef): RateLimiterAbstract {
    // Counters are kept in whole seconds (Redis expiry); rounding up only makes the budget stricter.
    const seconds = Math.ceil(limit.interval_seconds);
    // Keyed by the figures too: a reloaded definition with another limit gets a counter of its own shape.
    const id = JSON.stringify([integration, limit.per, limit.requests, seconds]);
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.make(limit.requests, seconds);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** The key of a budget within the prefix. Account ids are not secrets; a server puts the tenant into rate_limit_key. */
export function budgetKey(integration: string, per: OutboundLimitDef['per'], account: IntegratedAccount): string {
  return per === 'integration' ? integration : `${integration}:acct:${account.rate_limit_key ?? account.id}`;
}
