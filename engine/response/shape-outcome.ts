/**
 * From the remote answers of a call to what the caller gets: the records of a page (and the next cursor), or the
 * record of a single-record method, each mapped (side loads, the response mapping, the account's override) and
 * formatted. A live call and `mapResponse` (recorded answers, no network) both go through here.
 */
import type { ScopeVariables, StepResult } from '../call-scope';
import type { CallState } from '../call-state';
import type { CompiledStep } from '../compile/compiled';
import { UnimapError } from '../errors';
import { shouldRun } from '../request/call-requests';
import { isPlainObject } from '../own-keys';
import { nextCursor } from '../transport/pagination';
import type { CallOutcome, UnifiedRecord } from '../types';
import { formatRecord, type MappedRecord } from '../format/apply-format';
import { mapRecord, mapRecordNow, normalizeUnified, selectRecord, selectRecords } from './map-records';

/** How a side-load step gets its answer: sent during a live call, read from given bodies when mapping a recording. */
export type SideLoader = (step: CompiledStep, record: unknown, variables: ScopeVariables) => Promise<unknown>;

export interface ShapeInputs {
  /** The main answer; undefined when the main request's run_if skipped it. */
  main: StepResult | undefined;
  /** Where the main request went: a provider's next link may not leave this origin. Undefined: no next cursor. */
  origin: string | undefined;
  loadSide: SideLoader;
}

export async function shapeOutcome(state: CallState, inputs: ShapeInputs): Promise<CallOutcome> {
  const { method, resource, integration } = state.target;
  const { warnings } = state;
  const answered = answerToMap(state, inputs.main);
  const variables = state.scope.answer(answered);
  const answer = { label: integration.label, status: answered.status };
  if (state.plan) {
    const records = await selectRecords(method, answered.body, variables, answer);
    const next_cursor = inputs.origin === undefined ? null : await nextCursor(method.pagination, state.plan, {
      body: answered.body, headers: answered.headers, recordCount: records.length, origin: inputs.origin, credentialParams: Object.keys(integration.auth.query), variables,
    });
    if (state.options.format === 'raw') return { kind: 'raw', result: { status: answered.status, headers: answered.headers, body: answered.body, next_cursor }, warnings };
    const result: UnifiedRecord[] = [];
    for (const record of records) {
      const mapped = mapOne(state, answered, record, inputs.loadSide);
      result.push(formatRecord(mapped instanceof Promise ? await mapped : mapped, state.options, resource.unified));
    }
    const partial = method.partial ? (await method.partial.evaluate(answered.body, variables)) === true : false;
    return { kind: 'list', result: { result, next_cursor, result_count: result.length, ...(partial ? { is_partial_response: true } : {}) }, warnings };
  }
  if (state.options.format === 'raw') return { kind: 'raw', result: { status: answered.status, headers: answered.headers, body: answered.body }, warnings };
  if (method.name === 'delete' && !method.response) return { kind: 'record', result: { id: state.scope.params['id']! }, warnings };
  const record = await selectRecord(method, answered.body, variables, answer);
  return { kind: 'record', result: formatRecord(await mapOne(state, answered, record, inputs.loadSide), state.options, resource.unified), warnings };
}

/** response_from names a step whose answer is mapped; when that step did not run, the main answer is. */
function answerToMap(state: CallState, main: StepResult | undefined): StepResult {
  const { method, integration } = state.target;
  const from = method.responseFrom ? state.scope.steps[method.responseFrom] : undefined;
  const answered = from ?? main;
  if (answered) return answered;
  if (method.name === 'delete') return { status: 204, headers: {}, body: undefined };
  throw new UnimapError('UNIMAP_E_DEF_REFERENCE', `${integration.name} ${state.target.resource.key} ${method.name}: the main request's run_if was false and the response_from step "${method.responseFrom ?? ''}" did not run, so nothing answered`, {
    position: method.position,
  });
}

/**
 * Side loads, the definition's response mapping, then the account's response override merged over it. Without side
 * loads and overrides, no Promise is made when the mapping completes synchronously: a page maps hundreds of records.
 */
function mapOne(state: CallState, answered: StepResult, record: unknown, loadSide: SideLoader): MappedRecord | Promise<MappedRecord> {
  if (state.target.method.sideLoad.length > 0 || state.override.response) return mapOneWithExtras(state, answered, record, loadSide);
  return mapRecordNow(state.target.method, record, state.scope.record(answered, record, {}));
}

async function mapOneWithExtras(state: CallState, answered: StepResult, record: unknown, loadSide: SideLoader): Promise<MappedRecord> {
  const side = await sideLoad(state, answered, record, loadSide);
  const variables = state.scope.record(answered, record, side);
  const mapped = await mapRecord(state.target.method, record, variables);
  if (!state.override.response) return mapped;
  const extra = await state.override.response.evaluate(record, variables);
  // An override's keys are normalised like the base mapping's (ids as strings, plain JSON values).
  return isPlainObject(extra) ? { ...mapped, unified: { ...mapped.unified, ...normalizeUnified(extra) } } : mapped;
}

/**
 * side_load: calls made per remote record (a user's groups, say); their bodies are bound as $side.<name> for that
 * record's response mapping. Step expressions see the record as input and as $record, and earlier side loads as $side.
 */
async function sideLoad(state: CallState, answered: StepResult, record: unknown, loadSide: SideLoader): Promise<Record<string, unknown>> {
  const side: Record<string, unknown> = {};
  for (const step of state.target.method.sideLoad) {
    const variables = state.scope.record(answered, record, side);
    if (!(await shouldRun(step, record, variables))) continue;
    side[step.name] = await loadSide(step, record, variables);
  }
  return side;
}

export function staticOutcome(state: CallState): CallOutcome {
  const value = state.target.method.static;
  const { unified } = state.target.resource;
  const { warnings } = state;
  if (Array.isArray(value)) {
    const result = value.map((record) => formatRecord({ unified: record as Record<string, unknown>, remote: record }, state.options, unified));
    return { kind: 'list', result: { result, next_cursor: null, result_count: result.length }, warnings };
  }
  return { kind: 'record', result: formatRecord({ unified: value as Record<string, unknown>, remote: value }, state.options, unified), warnings };
}
