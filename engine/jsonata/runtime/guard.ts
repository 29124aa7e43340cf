import { jerr, NeedsAsync } from './errors';

/**
 * Limits of one evaluation: wall-clock time (D1012) and call depth (D1011), as jsonata's own guardrails name them,
 * and the length of any string a built-in or `&` produces (D1014).
 */
export interface Limits {
  /** Milliseconds one evaluation may run; 0 disables. */
  timeoutMs: number;
  /** Nested lambda calls one evaluation may make; 0 disables. */
  maxDepth: number;
  /** Length (UTF-16 units, as JavaScript counts) of any string a built-in function or `&` produces; checked before it is built. */
  maxStringLength: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({ timeoutMs: 2_000, maxDepth: 1_000, maxStringLength: 10_000_000 });

/** How long an asynchronous evaluation runs before it lets the event loop take other work (timers, I/O, calls). */
export const YIELD_EVERY_MS = 10;

/**
 * How long `evaluate` runs an expression synchronously before starting it again on its asynchronous form, which
 * yields every YIELD_EVERY_MS: short evaluations (every shipped mapping) never pay for a Promise per call.
 */
export const SYNC_SLICE_MS = 20;

/** Thrown by a sliced synchronous run that used up SYNC_SLICE_MS: the caller starts again asynchronously. */
export class SliceUsed extends NeedsAsync {}

export class Guard {
  /**
   * Clock reading at the first check, after the first few thousand units of work: evaluations too small to reach
   * one never read the clock (a runaway one reaches it within microseconds).
   */
  private started: number;
  private work = 0;
  private lastYield = 0;
  depth = 0;
  /** Set by a clock check once YIELD_EVERY_MS passed since the last yield; asynchronous code then calls `pause`. */
  due = false;
  /** `limits.maxStringLength`, read on hot paths. */
  readonly maxString: number;

  /**
   * `startedAt`: the start of an earlier run of the same evaluation (its time counts against the budget).
   * `sliced`: a synchronous run that gives up with SliceUsed after SYNC_SLICE_MS, to be run again asynchronously.
   */
  constructor(readonly limits: Limits, startedAt = 0, private readonly sliced = false) {
    this.started = startedAt;
    this.lastYield = startedAt;
    this.maxString = limits.maxStringLength > 0 ? limits.maxStringLength : Infinity;
  }

  /** When the evaluation started (0 when it never read the clock). */
  get startedAt(): number {
    return this.started;
  }

  /** Count work; every few thousand units, check the clock. */
  tick(units: number): void {
    this.work += units + 1;
    if (this.work > 4096) {
      this.work = 0;
      this.checkTime();
    }
  }

  checkTime(): void {
    const now = Date.now();
    if (this.started === 0) {
      this.started = now;
      this.lastYield = now;
      return;
    }
    const elapsed = now - this.started;
    if (this.limits.timeoutMs > 0 && elapsed > this.limits.timeoutMs) throw jerr('D1012', { value: this.limits.timeoutMs });
    if (this.sliced && elapsed >= SYNC_SLICE_MS) throw new SliceUsed();
    if (now - this.lastYield >= YIELD_EVERY_MS) this.due = true;
  }

  /** Let the event loop run other work (a macrotask turn), then go on; for asynchronous evaluation only. */
  pause(): Promise<void> {
    this.due = false;
    return new Promise((resolve) => {
      setImmediate(() => {
        this.lastYield = Date.now();
        resolve();
      });
    });
  }

  /** Fail with D1014 when a string of `length` characters would exceed the limit (before it is built). */
  checkString(length: number): void {
    if (length > this.maxString) throw jerr('D1014', { value: this.limits.maxStringLength });
  }

  enter(): void {
    this.depth++;
    if (this.limits.maxDepth > 0 && this.depth > this.limits.maxDepth) throw jerr('D1011', { value: this.limits.maxDepth });
    this.tick(1);
  }

  leave(): void {
    this.depth--;
  }
}

/** Guards of evaluations running on the jsonata interpreter, by the evaluation's root frame (`environment.base`). */
const interpreterGuards = new WeakMap<object, Guard>();

export function bindInterpreterGuard(base: object, g: Guard): void {
  interpreterGuards.set(base, g);
}

export function interpreterGuard(base: object): Guard | undefined {
  return interpreterGuards.get(base);
}

/**
 * The guard of the evaluation a built-in was called from, read off its `this`: the compiled code's focus carries
 * it; on the interpreter it is found by the evaluation's root frame. A call from anywhere else gets a fresh one.
 */
export function guardOf(self: unknown): Guard {
  const focus = self as { guard?: Guard; environment?: { base?: object } } | undefined;
  if (focus?.guard !== undefined) return focus.guard;
  const base = focus?.environment?.base;
  return (base !== undefined && interpreterGuards.get(base)) || new Guard(DEFAULT_LIMITS);
}
