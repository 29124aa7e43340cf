/**
 * One unified call, as a straight list of stages. Read this file first.
 * resolve account → find the mapping → check the input → before steps → map query and body →
 * merge remote_data → build the request → send → after steps → map records → apply the response format.
 * Every expression of the call reads its variables from the call's scope (call-scope.ts).
 */
import type { AccountOverrides } from './accounts/account-overrides';
import type { StepResult } from './call-scope';
import { prepareCall, send, sendOptions, type CallState, type Runtime } from './call-state';
import type { CompiledIntegration, CompiledStep } from './compile/compiled';
import { UnimapError, isUnimapError } from './errors';
import { buildMainRequest, buildStepRequest, shouldRun } from './request/call-requests';
import { isRenewable } from './oauth/grant-request';
import { decodeBody } from './transport/body-codec';
import { shapeOutcome, staticOutcome, type SideLoader } from './response/shape-outcome';
import { runSteps } from './response/run-steps';
import { redact } from './secrets/redact';
import { rethrowRedacted } from './secrets/redact-error';
import { withinDeadline } from './transport/deadline';
import { sendStreamed } from './transport/send';
import type { RemoteRequest } from './transport/transport';
import type { CallOutcome, PlannedRequest, UnifiedCall } from './types';

export type { Runtime } from './call-state';

export async function runCall(runtime: Runtime, call: UnifiedCall): Promise<CallOutcome> {
  const state = await prepareCall(runtime, call);
  // Safety net: whatever fails past this point is scrubbed of the account's secrets (and what was derived from them).
  try {
    return await runPrepared(runtime, state);
  } catch (error) {
    const rejected = rejectedAccessToken(state, error);
    if (rejected === undefined) return rethrowRedacted(state.context.secrets)(error);
    // The provider refused an OAuth token it should have taken (revoked early, or renewed elsewhere): renew it once
    // and run the call again. A 401 means nothing was applied, so a create is safe to resend.
    const renewed = await prepareCall(runtime, call, 'call', rejected);
    return runPrepared(runtime, renewed).catch(rethrowRedacted(renewed.context.secrets));
  }
}

/** The access token a 401 refused, when the account's token is an OAuth one the engine can renew. */
function rejectedAccessToken(state: CallState, error: unknown): string | undefined {
  const { integration, account } = state.target;
  if (!integration.oauth2 || !isUnimapError(error) || error.remote?.status !== 401) return undefined;
  if (!isRenewable(account, integration.oauth2)) return undefined;
  const token = state.context.all['access_token'];
  return typeof token === 'string' ? token : undefined;
}

async function runPrepared(runtime: Runtime, state: CallState): Promise<CallOutcome> {
  const { method } = state.target;
  if (method.static !== undefined) return staticOutcome(state);
  const sendStep = (step: CompiledStep, request: RemoteRequest) => send(runtime, state, request, step);
  await runSteps(method.before, state, sendStep);
  let main: StepResult | undefined;
  let origin: string | undefined;
  if (!method.runIf || (await method.runIf.evaluate(state.input, state.scope.request())) === true) {
    const request = await buildMainRequest(state);
    if (state.options.format === 'stream') {
      const streamed = await sendStreamed(withinDeadline(request, state.deadline), sendOptions(runtime, state));
      return { kind: 'stream', result: { ...streamed, contentType: streamed.headers['content-type'] }, warnings: state.warnings };
    }
    main = await send(runtime, state, request);
    origin = new URL(request.url).origin;
    state.scope.steps['main'] = main;
  }
  await runSteps(method.after, state, sendStep);
  const loadSide: SideLoader = async (step, record, variables) => (await send(runtime, state, await buildStepRequest(state, step, record, variables), step)).body;
  return shapeOutcome(state, { main, origin, loadSide });
}

/** The first remote request a call would send (a before step's, or the main one), secrets redacted. Sends nothing. */
export async function planRequest(runtime: Runtime, call: UnifiedCall): Promise<PlannedRequest> {
  const state = await prepareCall(runtime, call);
  const request = await planPrepared(state).catch(rethrowRedacted(state.context.secrets));
  return { ...request, warnings: state.warnings };
}

async function planPrepared(state: CallState): Promise<RemoteRequest> {
  const variables = state.scope.request();
  let request: RemoteRequest | undefined;
  for (const step of state.target.method.before) {
    if (await shouldRun(step, state.input, variables)) {
      request = await buildStepRequest(state, step, state.input, variables);
      break;
    }
  }
  request ??= await buildMainRequest(state);
  return redact(request, state.context.secrets);
}

/** A recorded remote answer to map: the main body, and the answers of steps and side loads by name. */
export interface MapResponseInput {
  resource: string;
  method: string;
  /** The remote body as the provider returns it (a page for list); text is decoded per the method's body_format. */
  body: unknown;
  status?: number;
  headers?: Record<string, string>;
  /** Bodies of before/after steps by name (`$steps.<name>.body`; a response_from step's body is what is mapped). */
  steps?: Record<string, unknown>;
  /** Bodies of side-load steps by name (`$side.<name>`); side loads not given are skipped, nothing is sent. */
  side?: Record<string, unknown>;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** The account's overrides, as an account would carry them. */
  overrides?: AccountOverrides;
}

/**
 * Map a recorded answer exactly as a live call would (records, response_from, side loads, overrides, formats),
 * with no account store and no network: what `unimap map response` prints.
 */
export async function mapResponse(runtime: Runtime, integration: CompiledIntegration, input: MapResponseInput): Promise<CallOutcome> {
  const [category = '', resource = ''] = input.resource.split('/');
  const account = { id: 'map-response', integration: integration.name, context: input.context ?? {}, ...(input.overrides ? { overrides: input.overrides } : {}) };
  const call: UnifiedCall = { category, resource, method: input.method, account, ...(input.params?.['id'] === undefined ? {} : { id: input.params['id'] }), ...(input.query ? { query: input.query } : {}) };
  const state = await prepareCall(runtime, call, 'map');
  const status = input.status ?? 200;
  const headers = lowerCaseKeys(input.headers ?? {});
  for (const [name, body] of Object.entries(input.steps ?? {})) state.scope.steps[name] = { status: 200, headers: {}, body };
  const main = { status, headers, body: decodeGiven(input.body, state) };
  state.scope.steps['main'] = main;
  const loadSide: SideLoader = async (step) => input.side?.[step.name];
  return shapeOutcome(state, { main, origin: undefined, loadSide }).catch(rethrowRedacted(state.context.secrets));
}

/** Given text is read as the provider's answer would be (JSON, or the method's XML/form body_format). */
function decodeGiven(body: unknown, state: CallState): unknown {
  if (typeof body !== 'string') return body;
  const decoded = decodeBody(body, undefined, state.target.method.bodyFormat);
  if (!decoded.ok) throw new UnimapError('UNIMAP_E_REMOTE_INVALID_BODY', `the remote body given is not ${state.target.method.bodyFormat}`);
  return decoded.value;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
