/**
 * The JSONata variables of one call, owned in one place. Every expression a call runs — templates, steps, side
 * loads, error and rate-limit hooks, pagination, records, the response mapping, overrides — reads its variables
 * from one of the three views below, so a hook never misses a documented variable.
 *
 * | view      | hooks                                                                  | adds                |
 * | request   | base_url, path, query and header templates; query and body mappings;   |                     |
 * |           | before/after steps (run_if, query, body); the main request's run_if    |                     |
 * | answer    | error, error_when, rate_limit.when; pagination; records, record,       | $status, $headers   |
 * |           | partial                                                                |                     |
 * | record    | response mapping, account response overrides, side-load steps          | $record, $side      |
 * Every view has $context (the account context without secrets), $params, $query, $body and $steps.
 */

/** One remote answer as expressions see it: `$steps.<name>`, and `$status`/`$headers` of the answer at hand. */
export interface StepResult {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
}

/** The variables an expression is evaluated with (the keys are the JSONata names without `$`). */
export interface ScopeVariables extends Record<string, unknown> {
  context: Record<string, unknown>;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  steps: Record<string, StepResult>;
  status?: number;
  headers?: Record<string, string>;
  record?: unknown;
  side?: Record<string, unknown>;
}

/** The answer view for hooks that read a remote answer; what transport/ needs of the scope. */
export interface AnswerScope {
  answer(response: { status: number; headers: Record<string, string> }): ScopeVariables;
}

export class CallScope implements AnswerScope {
  /** Results of the steps that ran, by name; the main request is `main` once it answered. */
  readonly steps: Record<string, StepResult> = {};
  private readonly requestView: ScopeVariables;

  constructor(
    readonly context: Record<string, unknown>,
    readonly params: Record<string, string>,
    readonly query: Record<string, unknown>,
    readonly body: unknown,
  ) {
    this.requestView = { context, params, query, body, steps: this.steps };
  }

  request(): ScopeVariables {
    return this.requestView;
  }

  // Written out rather than `{ ...this.requestView, status, … }`: V8 (Node 20) takes a slow path for keys added after
  // a spread, microseconds per object, and a list builds a record view per record.
  answer(response: { status: number; headers: Record<string, string> }): ScopeVariables {
    const { context, params, query, body, steps } = this.requestView;
    return { context, params, query, body, steps, status: response.status, headers: response.headers };
  }

  record(response: { status: number; headers: Record<string, string> }, record: unknown, side: Record<string, unknown> = {}): ScopeVariables {
    const { context, params, query, body, steps } = this.requestView;
    return { context, params, query, body, steps, status: response.status, headers: response.headers, record, side };
  }
}
