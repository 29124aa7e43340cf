/**
 * Outbound rate limits: the budgets integrations declare (rate_limit.limits), kept in Redis to be shared by every
 * instance, or in this process when no Redis is given. Every request a call sends draws on them first.
 */
import type { Redis } from 'ioredis';
import type { RateLimiterMemory } from 'rate-limiter-flexible';
import type { IntegratedAccount } from '../../accounts/account-store';
import type { CompiledIntegration } from '../../compile/compiled';
import { UnimapError } from '../../errors';
import type { CallDeadline } from '../deadline';
import { LimiterRegistry } from './limiter-registry';
import type * as RedisBudgetsModule from './redis-budgets';
import type { RedisBudgets } from './redis-budgets';
import { waitForRoom } from './wait-for-room';

export interface RateLimitOptions {
  /**
   * A Redis URL (`redis://` or `rediss://`) or an ioredis client: budgets shared by every process using the same
   * Redis and keyPrefix. Absent: each process keeps its own. A client passed in stays the caller's to close.
   */
  redis?: string | Redis;
  /** Prefix of the budget keys (default `unimap:rl`): `<prefix>:<integration>`, `<prefix>:<integration>:acct:<key>`. */
  keyPrefix?: string;
  /** Longest a request waits for room before UNIMAP_E_REMOTE_OUTBOUND_LIMIT (default: as long as the call's deadline allows). */
  maxWaitMs?: number;
  /**
   * Where the notice goes when Redis does not answer and each process's own budgets stand in, and when it is back;
   * once per outage (default: process.emitWarning).
   */
  warn?: (message: string) => void;
}

/** The outbound budgets of one or several engines (share one across engines made for the same deployment). */
export interface OutboundLimits {
  /** Wait for room in every budget this account's request draws on; UNIMAP_E_REMOTE_OUTBOUND_LIMIT when none comes in time. */
  admit(integration: CompiledIntegration, account: IntegratedAccount, deadline: CallDeadline | undefined): Promise<void>;
  /** Close the Redis connection opened from a URL; nothing else holds the process open. */
  close(): Promise<void>;
}

const DEFAULT_KEY_PREFIX = 'unimap:rl';

// Loaded when first needed, so a cold start pays for neither: ioredis (and the rest of rate-limiter-flexible) only
// with a Redis, the in-memory limiter alone (its own module) with the first budget.
const redisBudgets = (): typeof RedisBudgetsModule => require('./redis-budgets') as typeof RedisBudgetsModule;
const memoryLimiter = (): typeof RateLimiterMemory => require('rate-limiter-flexible/lib/RateLimiterMemory') as typeof RateLimiterMemory;

export function createOutboundLimits(options: RateLimitOptions = {}): OutboundLimits {
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  if (!keyPrefix) throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', 'rateLimits.keyPrefix must not be empty');
  if (!(maxWaitMs >= 0)) throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', `rateLimits.maxWaitMs must be a number of milliseconds, at least 0 (got ${String(options.maxWaitMs)})`);
  const redis: RedisBudgets | undefined = options.redis === undefined ? undefined : redisBudgets().openRedisBudgets(options.redis, options.warn ?? ((message) => process.emitWarning(message)));
  const registry = new LimiterRegistry((points, duration) => redis ? redis.limiter({ keyPrefix, points, duration }) : new (memoryLimiter())({ keyPrefix, points, duration }));
  return {
    async admit(integration, account, deadline) {
      const budgets = registry.budgetsFor(integration, account);
      if (budgets.length === 0) return;
      await redis?.settled();
      await waitForRoom(budgets, { deadline, maxWaitMs, integration: { name: integration.name, label: integration.label } });
    },
    close: async () => redis?.close(),
  };
}

/** Whether an engine was given budgets made before (shared) rather than options to make its own. */
export function isOutboundLimits(value: RateLimitOptions | OutboundLimits | false | undefined): value is OutboundLimits {
  return typeof value === 'object' && typeof (value as Partial<OutboundLimits>).admit === 'function';
}
