/**
 * Outbound budgets kept in Redis, so every process using the same Redis and key prefix draws on one budget.
 * While Redis cannot answer, each process's own in-memory counters stand in: an outage of the shared store must not
 * fail every provider call. Each process then keeps the declared budget on its own (several processes may together
 * exceed it for the length of the outage, and the provider's 429 with Retry-After is still honoured), which is the
 * lesser harm than refusing all traffic. The fallback is announced once per outage.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type IRateLimiterOptions, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { UnimapError } from '../../errors';

export interface RedisBudgets {
  /** A counter of `points` per `duration` seconds under `keyPrefix`, in Redis with an in-memory stand-in. */
  limiter(options: Required<Pick<IRateLimiterOptions, 'keyPrefix' | 'points' | 'duration'>>): RateLimiterAbstract;
  /** Resolves once the first connection attempt has settled, so a process's first requests count in Redis. */
  settled(): Promise<void>;
  /** Close the connection if it was opened here from a URL; a client passed in is the caller's to close. */
  close(): Promise<void>;
}

/** How long the first request waits for a connection still being made before counting in memory. */
const FIRST_CONNECT_WAIT_MS = 2000;
/** A Redis that accepts connections but does not answer must not hold calls long: past this, memory stands in. */
const COMMAND_TIMEOUT_MS = 1000;

export function openRedisBudgets(redis: string | Redis, warn: (message: string) => void): RedisBudgets {
  const owned = typeof redis === 'string';
  const client = owned ? connect(redis) : redis;
  let fallingBack = false;
  const noteFallback = () => {
    if (fallingBack) return;
    fallingBack = true;
    warn(`unimap: Redis for outbound rate limits does not answer (connection ${client.status}); each process keeps its own budgets until it is back`);
  };
  const noteReady = () => {
    if (!fallingBack) return;
    fallingBack = false;
    warn('unimap: Redis for outbound rate limits is back; budgets are shared again');
  };
  client.on('ready', noteReady);
  let first: Promise<void> | undefined;
  return {
    limiter(options) {
      return new RateLimiterRedis({
        ...options,
        storeClient: client,
        // Never queue behind a connection being remade: count in memory at once instead.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new StandInLimiter(options, noteFallback),
      });
    },
    settled: () => (first ??= firstConnection(client)),
    async close() {
      client.off('ready', noteReady);
      if (owned) client.disconnect();
    },
  };
}

function connect(url: string): Redis {
  // The URL may hold a password: it is never quoted in a message.
  if (!/^rediss?:\/\//i.test(url)) throw new UnimapError('UNIMAP_E_LOAD_OPTIONS', 'rateLimits.redis must be a redis:// or rediss:// URL, or an ioredis client');
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // A command cut off by a lost connection has already been answered by the stand-in: sent again after the
    // reconnect, it would count its request a second time.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  });
  // Connection errors are reported once per outage by the fallback notice; without a listener ioredis prints each retry.
  client.on('error', () => undefined);
  return client;
}

function firstConnection(client: Redis): Promise<void> {
  // A lazily connecting client connects on its first command, which never comes while it is not ready.
  if (client.status === 'wait') client.connect().catch(() => undefined);
  if (client.status !== 'wait' && client.status !== 'connecting' && client.status !== 'connect') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done).off('error', done).off('end', done);
      resolve();
    };
    const timer = setTimeout(done, FIRST_CONNECT_WAIT_MS).unref();
    client.once('ready', done).once('error', done).once('end', done);
  });
}

/** The in-memory counter used while Redis fails; its use is what tells that Redis failed. */
class StandInLimiter extends RateLimiterMemory {
  constructor(options: IRateLimiterOptions, private readonly onUse: () => void) {
    super(options);
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.onUse();
    return super.consume(key, points, options);
  }
}
