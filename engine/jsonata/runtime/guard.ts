import { jerr } from './errors';

/** Limits of one evaluation: wall-clock time (D1012) and call depth (D1011), as jsonata's own guardrails name them. */
export interface Limits {
  /** Milliseconds one evaluation may run; 0 disables. */
  timeoutMs: number;
  /** Nested lambda calls one evaluation may make; 0 disables. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: Limits = { timeoutMs: 10_000, maxDepth: 1_000 };

export class Guard {
  /**
   * Clock reading at the first check, after the first few thousand units of work: evaluations too small to reach
   * one never read the clock (a runaway one reaches it within microseconds).
   */
  private started = 0;
  private work = 0;
  depth = 0;

  constructor(readonly limits: Limits) {}

  /** Count work; every few thousand units, check the clock. */
  tick(units: number): void {
    this.work += units + 1;
    if (this.work > 4096) {
      this.work = 0;
      this.checkTime();
    }
  }

  checkTime(): void {
    if (this.limits.timeoutMs <= 0) return;
    const now = Date.now();
    if (this.started === 0) this.started = now;
    else if (now - this.started > this.limits.timeoutMs) throw jerr('D1012', { value: this.limits.timeoutMs });
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
