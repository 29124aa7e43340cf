import type { CallState } from '../call-state';
import type { StepResult } from '../call-scope';
import type { CompiledStep } from '../compile/compiled';
import { buildStepRequest, shouldRun } from '../request/call-requests';
import type { RemoteRequest } from '../transport/transport';

export type StepSender = (step: CompiledStep, request: RemoteRequest) => Promise<StepResult>;

/** Run steps in order; each later step (and every later mapping) sees the earlier ones as `$steps.<name>`. */
export async function runSteps(steps: readonly CompiledStep[], state: CallState, send: StepSender): Promise<void> {
  for (const step of steps) {
    const variables = state.scope.request();
    if (!(await shouldRun(step, state.input, variables))) continue;
    state.scope.steps[step.name] = await send(step, await buildStepRequest(state, step, state.input, variables));
  }
}
