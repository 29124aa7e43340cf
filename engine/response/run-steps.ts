import type { CompiledStep } from '../compile/compiled';
import type { RemoteRequest } from '../transport/transport';
import type { DecodedResponse } from '../transport/send';

/** What a step sees and adds to: `$steps.<name>` = { status, headers, body } of each step that ran. */
export interface StepScope {
  input: unknown;
  bindings: Record<string, unknown> & { steps: Record<string, DecodedResponse> };
}

export type StepRequestBuilder = (step: CompiledStep, query: Record<string, unknown> | undefined, body: unknown) => Promise<RemoteRequest>;
export type StepSender = (step: CompiledStep, request: RemoteRequest) => Promise<DecodedResponse>;

/** Is the step to run? A step without run_if always runs. */
export async function shouldRun(step: CompiledStep, scope: StepScope): Promise<boolean> {
  return !step.runIf || (await step.runIf.evaluate(scope.input, scope.bindings)) === true;
}

/** Build a step's request from its own query and body mappings. */
export async function buildStep(step: CompiledStep, scope: StepScope, build: StepRequestBuilder): Promise<RemoteRequest> {
  const query = step.query ? ((await step.query.evaluate(scope.input, scope.bindings)) as Record<string, unknown> | undefined) : undefined;
  const body = step.body ? await step.body.evaluate(scope.input, scope.bindings) : undefined;
  return build(step, query, body);
}

/** Run steps in order; each later step (and every later mapping) sees the earlier ones in $steps. */
export async function runSteps(steps: readonly CompiledStep[], scope: StepScope, build: StepRequestBuilder, send: StepSender): Promise<void> {
  for (const step of steps) {
    if (!(await shouldRun(step, scope))) continue;
    scope.bindings.steps[step.name] = await send(step, await buildStep(step, scope, build));
  }
}
