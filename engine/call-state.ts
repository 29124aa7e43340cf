/**
 * What one call knows once its input is checked: the target, the account context, the page plan, the account's
 * overrides, the deadline and the scope every expression reads its variables from.
 */
import type { AccountStore } from './accounts/account-store';
import { accountOverride, type CompiledOverride } from './compile/account-overrides';
import { resolveContext, type ResolvedContext } from './accounts/resolve-context';
import { CallScope } from './call-scope';
import type { CompiledStep, Registry } from './compile/compiled';
import { parseQueryOptions, type QueryOptions } from './request/query-options';
import { resolveTarget, type Target } from './request/resolve-target';
import { validateInput, type UnsupportedFields } from './request/validate-input';
import type { TokenKeeper } from './oauth/token-keeper';
import { startDeadline, type CallDeadline } from './transport/deadline';
import { planPage, type PagePlan } from './transport/pagination';
import type { OutboundLimits } from './transport/rate-limit/outbound-limits';
import { sendChecked, type DecodedResponse, type SendOptions } from './transport/send';
import type { RemoteRequest, Transport } from './transport/transport';
import type { UnifiedCall, UnifiedWarning } from './types';

export interface Runtime {
  registry: Registry;
  accounts: AccountStore;
  transport: Transport;
  maxRetryWaitMs: number;
  /** Deadline of one unified call across its steps and retries (EngineOptions.callDeadlineMs). */
  callDeadlineMs: number;
  /** Signs next_cursor (see transport/cursor-codec.ts). */
  cursorKey: Buffer;
  /** Body fields the integration cannot write: dropped with a warning, or refused (EngineOptions.unsupportedFields). */
  unsupportedFields: UnsupportedFields;
  /** Outbound budgets every request draws on (EngineOptions.rateLimits); absent, nothing is limited here. */
  rateLimits?: OutboundLimits;
  /** Renews OAuth accounts' access tokens before a call needs them. */
  tokens: TokenKeeper;
}

export interface CallState {
  target: Target;
  options: QueryOptions;
  context: ResolvedContext;
  plan: PagePlan | undefined;
  override: CompiledOverride;
  deadline: CallDeadline;
  scope: CallScope;
  /** The unified body the mappings see: fields the integration cannot write are left out (and warned about). */
  input: Record<string, unknown>;
  warnings: UnifiedWarning[];
  /** Side-load answers given instead of sent, by step name (mapping a recorded response: no network). */
  givenSide?: Record<string, unknown>;
}

/**
 * Resolve and check a call. `purpose: 'map'` prepares the mapping of a recorded answer: nothing will be sent, so
 * the account's credentials and the unified input are not required.
 */
export async function prepareCall(runtime: Runtime, call: UnifiedCall, purpose: 'call' | 'map' = 'call', rejectedToken?: string): Promise<CallState> {
  const options = parseQueryOptions(call.query);
  const sending = purpose === 'call';
  const found = await resolveTarget(runtime.registry, runtime.accounts, call, sending);
  const target = sending && found.integration.oauth2
    ? { ...found, account: await runtime.tokens.fresh(found.account, found.integration, { inline: call.account !== undefined, ...(rejectedToken !== undefined ? { rejected: rejectedToken } : {}) }) }
    : found;
  const context = resolveContext(target.integration, target.account, sending);
  const strict = options.strictFields ?? runtime.unsupportedFields === 'reject';
  const checked = sending
    ? validateInput(target.integration, target.resource, target.method, call.body, options.unified, strict ? 'reject' : 'warn')
    : { body: {}, warnings: [] };
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
    override: accountOverride(target.account, target.resource.key, target.method.name),
    deadline: startDeadline(runtime.callDeadlineMs),
    scope: new CallScope(context.visible, params, options.unified, checked.body),
    input: checked.body,
    warnings: checked.warnings,
  };
}

/** Send one request of the call: retries, deadline, error hooks (which see the call's scope), typed failures. */
export function send(runtime: Runtime, state: CallState, request: RemoteRequest, step?: CompiledStep): Promise<DecodedResponse> {
  return sendChecked(request, sendOptions(runtime, state, step));
}

export function sendOptions(runtime: Runtime, state: CallState, step?: CompiledStep): SendOptions {
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
    scope: state.scope,
    ...(step ? { ignoreStatus: step.ignoreStatus } : {}),
    ...(runtime.rateLimits ? { admit: admitFor(runtime.rateLimits, state) } : {}),
  };
}

function admitFor(limits: OutboundLimits, state: CallState): () => Promise<void> {
  return () => limits.admit(state.target.integration, state.target.account, state.deadline);
}
