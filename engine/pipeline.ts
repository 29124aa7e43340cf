/**
 * One unified call, as a straight list of stages. Read this file first.
 * resolve account → find the mapping → check the input → before steps → map query and body →
 * merge remote_data → build the request → send → after steps → map records → apply the response format.
 */
import type { AccountStore } from './accounts/account-store';
import { accountOverride, type CompiledOverride } from './accounts/account-overrides';
import { resolveContext, type ResolvedContext } from './accounts/resolve-context';
import type { CompiledRequest, CompiledStep, Registry } from './compile/compiled';
import type { BodyFormat } from './definition';
import { formatRecord } from './format/apply-format';
import { buildRemoteRequest } from './request/build-request';
import { isPlainObject, mergeRemoteData } from './request/merge-remote-data';
import { parseQueryOptions, type QueryOptions } from './request/query-options';
import { resolveTarget, type Target } from './request/resolve-target';
import { validateInput } from './request/validate-input';
import { mapRecord, selectRecord, selectRecords, type MappedRecord } from './response/map-records';
import { buildStep, runSteps, shouldRun, type StepScope } from './response/run-steps';
import { redact } from './secrets/redact';
import { rethrowRedacted } from './secrets/redact-error';
import { startDeadline, withinDeadline, type CallDeadline } from './transport/deadline';
import { nextCursor, planPage, type PagePlan } from './transport/pagination';
import { sendChecked, sendStreamed, type DecodedResponse, type SendOptions } from './transport/send';
import type { RemoteRequest, Transport } from './transport/transport';
import type { CallOutcome, UnifiedCall, UnifiedRecord } from './types';

export interface Runtime {
  registry: Registry;
  accounts: AccountStore;
  transport: Transport;
  maxRetryWaitMs: number;
  /** Deadline of one unified call across its steps and retries (EngineOptions.callDeadlineMs). */
  callDeadlineMs: number;
  /** Signs next_cursor (see transport/cursor-codec.ts). */
  cursorKey: Buffer;
}

interface CallState extends StepScope {
  target: Target;
  options: QueryOptions;
  context: ResolvedContext;
  plan: PagePlan | undefined;
  params: Record<string, string>;
  override: CompiledOverride;
  deadline: CallDeadline;
}

export async function runCall(runtime: Runtime, call: UnifiedCall): Promise<CallOutcome> {
  const state = await prepareCall(runtime, call);
  // Safety net: whatever fails past this point is scrubbed of the account's secrets (and what was derived from them).
  return runPrepared(runtime, state).catch(rethrowRedacted(state.context.secrets));
}

async function runPrepared(runtime: Runtime, state: CallState): Promise<CallOutcome> {
  const { method } = state.target;
  if (method.static !== undefined) return staticOutcome(state);
  const build = (step: CompiledStep, query: Record<string, unknown> | undefined, body: unknown) => buildStepRequest(state, step, query, body);
  const sendStep = (step: CompiledStep, request: RemoteRequest) => send(runtime, state, request, step);
  await runSteps(method.before, state, build, sendStep);
  const request = await buildMainRequest(state);
  if (state.options.format === 'stream') {
    const streamed = await sendStreamed(withinDeadline(request, state.deadline), sendOptions(runtime, state));
    return { kind: 'stream', result: { ...streamed, contentType: streamed.headers['content-type'] } };
  }
  const response = await send(runtime, state, request);
  state.bindings.steps['main'] = response;
  await runSteps(method.after, state, build, sendStep);
  return shapeOutcome(runtime, state, response, new URL(request.url).origin);
}

/** The first remote request a call would send (a before step's, or the main one), secrets redacted. Sends nothing. */
export async function planRequest(runtime: Runtime, call: UnifiedCall): Promise<RemoteRequest> {
  const state = await prepareCall(runtime, call);
  return planPrepared(state).catch(rethrowRedacted(state.context.secrets));
}

async function planPrepared(state: CallState): Promise<RemoteRequest> {
  let request: RemoteRequest | undefined;
  for (const step of state.target.method.before) {
    if (await shouldRun(step, state)) {
      request = await buildStep(step, state, (s, query, body) => buildStepRequest(state, s, query, body));
      break;
    }
  }
  request ??= await buildMainRequest(state);
  return redact(request, state.context.secrets);
}

async function prepareCall(runtime: Runtime, call: UnifiedCall): Promise<CallState> {
  const options = parseQueryOptions(call.query);
  const target = await resolveTarget(runtime.registry, runtime.accounts, call);
  const context = resolveContext(target.integration, target.account);
  validateInput(target.integration, target.resource, target.method, call.body, options.unified);
  const params: Record<string, string> = call.id === undefined ? {} : { id: call.id };
  // list, and any custom method that selects records, is paged behind next_cursor.
  const plan = call.method === 'list' || target.method.records
    ? planPage(target.method.pagination, options.nextCursor, options.limit, {
      key: runtime.cursorKey, account: target.account.id, integration: target.integration.name, resource: target.resource.key, method: target.method.name,
    })
    : undefined;
  return {
    target,
    options,
    context,
    plan,
    params,
    override: accountOverride(target.account, target.resource.key, target.method.name),
    input: call.body ?? {},
    bindings: { context: context.visible, params, query: options.unified, body: call.body ?? {}, steps: {} },
    deadline: startDeadline(runtime.callDeadlineMs),
  };
}

async function buildMainRequest(state: CallState): Promise<RemoteRequest> {
  const { method } = state.target;
  // A provider-given next-page URL already carries the query; adding the mapped query again breaks some (Salesforce).
  const nextUrl = state.plan?.url;
  const { override } = state;
  let mappedQuery = method.query && !nextUrl ? ((await method.query.evaluate(state.options.unified, state.bindings)) as Record<string, unknown> | undefined) : undefined;
  if (override.query && !nextUrl) mappedQuery = mergeRemoteData(mappedQuery, await override.query.evaluate(state.options.unified, state.bindings)) as typeof mappedQuery;
  let mappedBody = method.body ? await method.body.evaluate(state.input, state.bindings) : undefined;
  if (override.body) mappedBody = mergeRemoteData(mappedBody, await override.body.evaluate(state.input, state.bindings));
  const body = mergeRemoteData(mappedBody, (state.input as { remote_data?: unknown }).remote_data);
  return buildFrom(state, method.request!, { ...mappedQuery, ...state.plan?.query }, body, method.bodyFormat, nextUrl);
}

function buildStepRequest(state: CallState, step: CompiledStep, query: Record<string, unknown> | undefined, body: unknown): Promise<RemoteRequest> {
  return buildFrom(state, step.request, query ?? {}, body, step.bodyFormat, undefined);
}

function buildFrom(
  state: CallState,
  template: CompiledRequest,
  query: Record<string, unknown>,
  body: unknown,
  bodyFormat: BodyFormat,
  url: string | undefined,
  bindings: Record<string, unknown> = state.bindings,
): Promise<RemoteRequest> {
  return buildRemoteRequest({
    integration: state.target.integration,
    account: state.target.account,
    context: state.context,
    template,
    bindings,
    query,
    remoteQuery: state.options.remoteQuery,
    body,
    bodyFormat,
    ...(url === undefined ? {} : { url }),
  });
}

function send(runtime: Runtime, state: CallState, request: RemoteRequest, step?: CompiledStep): Promise<DecodedResponse> {
  return sendChecked(request, sendOptions(runtime, state, step));
}

function sendOptions(runtime: Runtime, state: CallState, step?: CompiledStep): SendOptions {
  const { integration, method } = state.target;
  return {
    transport: runtime.transport,
    integration,
    error: method.error,
    errorWhen: method.errorWhen,
    bodyFormat: step?.bodyFormat ?? method.bodyFormat,
    idempotent: step ? step.request.method === 'GET' : method.idempotent,
    maxRetryWaitMs: runtime.maxRetryWaitMs,
    secrets: state.context.secrets,
    deadline: state.deadline,
    ...(step ? { ignoreStatus: step.ignoreStatus } : {}),
  };
}

async function shapeOutcome(runtime: Runtime, state: CallState, response: DecodedResponse, origin: string): Promise<CallOutcome> {
  const { method, resource, integration } = state.target;
  const bindings = { ...state.bindings, headers: response.headers, status: response.status };
  if (state.plan) {
    const answer = { label: integration.label, status: response.status };
    const records = await selectRecords(method, response.body, bindings, answer);
    const next_cursor = await nextCursor(method.pagination, state.plan, { body: response.body, headers: response.headers, recordCount: records.length, origin, credentialParams: Object.keys(integration.auth.query) });
    if (state.options.format === 'raw') return { kind: 'raw', result: { status: response.status, headers: response.headers, body: response.body, next_cursor } };
    const result: UnifiedRecord[] = [];
    for (const record of records) result.push(formatRecord(await mapWithOverride(runtime, state, record, bindings), state.options, resource.unified));
    const partial = method.partial ? (await method.partial.evaluate(response.body, bindings)) === true : false;
    return { kind: 'list', result: { result, next_cursor, result_count: result.length, ...(partial ? { is_partial_response: true } : {}) } };
  }
  if (state.options.format === 'raw') return { kind: 'raw', result: { status: response.status, headers: response.headers, body: response.body } };
  if (method.name === 'delete' && !method.response) return { kind: 'record', result: { id: state.params['id']! } };
  // response_from names an after step; when its run_if skipped it, the main response is the record.
  const from = method.responseFrom ? state.bindings.steps[method.responseFrom] : undefined;
  const answered = from ?? response;
  const record = await selectRecord(method, answered.body, bindings, { label: integration.label, status: answered.status });
  return { kind: 'record', result: formatRecord(await mapWithOverride(runtime, state, record, bindings), state.options, resource.unified) };
}

/** The definition's response mapping, then the account's own response override merged over it. */
async function mapWithOverride(runtime: Runtime, state: CallState, record: unknown, bindings: Record<string, unknown>): Promise<MappedRecord> {
  const recordBindings = await sideLoad(runtime, state, record, bindings);
  const mapped = await mapRecord(state.target.method, record, recordBindings);
  if (!state.override.response) return mapped;
  const extra = await state.override.response.evaluate(record, recordBindings);
  return isPlainObject(extra) ? { ...mapped, unified: { ...mapped.unified, ...JSON.parse(JSON.stringify(extra)) } } : mapped;
}

/**
 * side_load: calls made per remote record (a user's groups, say); their bodies are bound as $side.<name> for
 * that record's response mapping. Step expressions see the record as input and as $record.
 */
async function sideLoad(runtime: Runtime, state: CallState, record: unknown, bindings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { sideLoad: steps } = state.target.method;
  if (steps.length === 0) return bindings;
  const scope: StepScope = { input: record, bindings: { ...bindings, record, steps: { ...state.bindings.steps } } };
  const side: Record<string, unknown> = {};
  for (const step of steps) {
    if (!(await shouldRun(step, scope))) continue;
    const request = await buildStep(step, scope, (s, query, body) => buildFrom(state, s.request, query ?? {}, body, s.bodyFormat, undefined, scope.bindings));
    side[step.name] = (await send(runtime, state, request, step)).body;
  }
  return { ...bindings, side };
}

function staticOutcome(state: CallState): CallOutcome {
  const value = state.target.method.static;
  const { unified } = state.target.resource;
  if (Array.isArray(value)) {
    const result = value.map((record) => formatRecord({ unified: record as Record<string, unknown>, remote: record }, state.options, unified));
    return { kind: 'list', result: { result, next_cursor: null, result_count: result.length } };
  }
  return { kind: 'record', result: formatRecord({ unified: value as Record<string, unknown>, remote: value }, state.options, unified) };
}
