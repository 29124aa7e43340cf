/**
 * Take one request from every budget a request draws on, waiting while one is spent, for as long as the call's
 * deadline (and maxWaitMs) allows. What cannot wait that long fails at once with UNIMAP_E_REMOTE_OUTBOUND_LIMIT:
 * nothing is sent, and the caller is told when there is room again.
 */
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { UnimapError } from '../../errors';
import { leavesTimeFor, type CallDeadline } from '../deadline';
import type { Budget } from './limiter-registry';

/** rate-limiter-flexible's answer class, from its own module: the package's index would load every limiter it has. */
const limiterAnswer = (): typeof RateLimiterRes => require('rate-limiter-flexible/lib/RateLimiterRes') as typeof RateLimiterRes;

export interface WaitBounds {
  deadline: CallDeadline | undefined;
  /** Longest total wait for this request (Infinity: the deadline alone bounds it). */
  maxWaitMs: number;
  /** The integration's name and label, for the error. */
  integration: { name: string; label: string };
}

/**
 * A point taken from a window closer than this to its end is not given back: the give-back could land in the next
 * window and lend it one request more than its budget. Losing that point only leaves the budget a little unused.
 */
const GIVE_BACK_MARGIN_MS = 100;

export async function waitForRoom(budgets: readonly Budget[], bounds: WaitBounds): Promise<void> {
  const started = Date.now();
  for (;;) {
    const spent = await takeAll(budgets);
    if (!spent) return;
    const waitMs = Math.max(1, spent.msBeforeNext);
    const waited = Date.now() - started;
    if (waited + waitMs > bounds.maxWaitMs) throw noRoom(spent.budget, waitMs, bounds, `the longest wait allowed (rateLimits.maxWaitMs ${bounds.maxWaitMs} ms)`);
    if (!leavesTimeFor(bounds.deadline, waitMs)) throw noRoom(spent.budget, waitMs, bounds, `the call's deadline (callDeadlineMs ${bounds.deadline?.totalMs} ms)`);
    // Not unref'd: a call waiting its turn is work in flight, like a request waiting for its answer.
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

/**
 * One point from each budget, in order. When one is spent, the points already taken for this attempt are given
 * back (a request that is not sent must not count) and the spent budget says how long until it has room.
 */
async function takeAll(budgets: readonly Budget[]): Promise<{ budget: Budget; msBeforeNext: number } | undefined> {
  const taken: Array<{ budget: Budget; res: RateLimiterRes }> = [];
  for (const budget of budgets) {
    try {
      taken.push({ budget, res: await budget.limiter.consume(budget.key) });
    } catch (rejection) {
      // A limiter rejects with its result when spent; anything else is a fault, not a reason to wait.
      if (!(rejection instanceof limiterAnswer())) throw rejection;
      await giveBack(taken);
      return { budget, msBeforeNext: rejection.msBeforeNext };
    }
  }
  return undefined;
}

async function giveBack(taken: ReadonlyArray<{ budget: Budget; res: RateLimiterRes }>): Promise<void> {
  for (const { budget, res } of taken) {
    if (res.msBeforeNext <= GIVE_BACK_MARGIN_MS) continue;
    // A give-back that fails (Redis gone meanwhile) only leaves one point unused until the window ends.
    await budget.limiter.reward(budget.key).catch(() => undefined);
  }
}

function noRoom(budget: Budget, waitMs: number, bounds: WaitBounds, bound: string): UnimapError<'UNIMAP_E_REMOTE_OUTBOUND_LIMIT'> {
  const { limit } = budget;
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new UnimapError(
    'UNIMAP_E_REMOTE_OUTBOUND_LIMIT',
    `${bounds.integration.label}'s outbound rate limit per ${limit.per} (${limit.requests} requests every ${limit.interval_seconds} s) has no room for ${seconds} s, past ${bound}; nothing was sent`,
    { details: { integration: bounds.integration.name, scope: budget.scope }, retryAfterSeconds: seconds },
  );
}
