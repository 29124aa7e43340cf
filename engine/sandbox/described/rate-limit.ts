import { fillPlaceholders } from './paths';
import type { RateLimitDescription } from './types';

export interface LimitedAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A fixed window of `requests` per `window_seconds`, opened by the first request after the last window ended.
 * `take()` counts one request and answers null while the budget lasts, else the provider's own answer.
 */
export function createRateLimit(limit: RateLimitDescription, now: () => number = Date.now): { take(): LimitedAnswer | null } {
  const windowMs = limit.window_seconds * 1000;
  let window = { start: 0, used: 0 };
  return {
    take() {
      const at = now();
      if (at - window.start >= windowMs) window = { start: at, used: 0 };
      window.used += 1;
      if (window.used <= limit.requests) return null;
      const resetMs = window.start + windowMs;
      const values = {
        retry_after: String(Math.max(1, Math.ceil((resetMs - at) / 1000))),
        reset_at: String(Math.ceil(resetMs / 1000)),
        limit: String(limit.requests),
      };
      return {
        status: limit.status ?? 429,
        headers: fillPlaceholders(limit.headers ?? {}, values) as Record<string, string>,
        body: fillPlaceholders(limit.body ?? '', values),
      };
    },
  };
}
