/**
 * The remote requests of one call: the main request (query and body mappings, account overrides, remote_data,
 * the page plan) and each step's (its own query and body mappings, remote_data when the step takes it).
 */
import type { CallState } from '../call-state';
import type { ScopeVariables } from '../call-scope';
import type { CompiledRequest, CompiledStep } from '../compile/compiled';
import type { BodyFormat } from '../definition';
import type { RemoteRequest } from '../transport/transport';
import { buildRemoteRequest } from './build-request';
import { mergeRemoteData } from './merge-remote-data';

export async function buildMainRequest(state: CallState): Promise<RemoteRequest> {
  const { method } = state.target;
  const variables = state.scope.request();
  // A provider-given next-page URL already carries the query; adding the mapped query again breaks some (Salesforce).
  const nextUrl = state.plan?.url;
  const { override } = state;
  let mappedQuery = method.query && !nextUrl ? ((await method.query.evaluate(state.options.unified, variables)) as Record<string, unknown> | undefined) : undefined;
  if (override.query && !nextUrl) mappedQuery = mergeRemoteData(mappedQuery, await override.query.evaluate(state.options.unified, variables)) as typeof mappedQuery;
  let mappedBody = method.body ? await method.body.evaluate(state.input, variables) : undefined;
  if (override.body) mappedBody = mergeRemoteData(mappedBody, await override.body.evaluate(state.input, variables));
  const body = mergeRemoteData(mappedBody, state.input['remote_data']);
  return buildFrom(state, method.request!, variables, { ...mappedQuery, ...state.plan?.query }, body, method.bodyFormat, nextUrl);
}

/** Whether a step runs: no run_if, or run_if is true. `input` is the unified body (or the record, for side loads). */
export async function shouldRun(step: CompiledStep, input: unknown, variables: ScopeVariables): Promise<boolean> {
  return !step.runIf || (await step.runIf.evaluate(input, variables)) === true;
}

/** A step's request from its own query and body mappings; a step declaring remote_data gets the caller's merged over its body. */
export async function buildStepRequest(state: CallState, step: CompiledStep, input: unknown, variables: ScopeVariables): Promise<RemoteRequest> {
  const query = step.query ? ((await step.query.evaluate(input, variables)) as Record<string, unknown> | undefined) : undefined;
  let body = step.body ? await step.body.evaluate(input, variables) : undefined;
  if (step.takesRemoteData) body = mergeRemoteData(body, state.input['remote_data']);
  return buildFrom(state, step.request, variables, query ?? {}, body, step.bodyFormat, undefined);
}

function buildFrom(
  state: CallState,
  template: CompiledRequest,
  variables: ScopeVariables,
  query: Record<string, unknown>,
  body: unknown,
  bodyFormat: BodyFormat,
  url: string | undefined,
): Promise<RemoteRequest> {
  return buildRemoteRequest({
    integration: state.target.integration,
    account: state.target.account,
    context: state.context,
    template,
    bindings: variables,
    query,
    remoteQuery: state.options.remoteQuery,
    body,
    bodyFormat,
    ...(url === undefined ? {} : { url }),
  });
}
