import { MemoryAccountStore, type AccountStore, type IntegratedAccount } from './accounts/account-store';
import { loadCheckedRegistry, type LoadRegistryOptions } from './compile/load-registry';
import type { Registry } from './compile/compiled';
import { UnimapError, toUnimapError } from './errors';
import { defaultMappingsDir, defaultSchemasDir } from './package-paths';
import { mapResponse, planRequest, runCall, type MapResponseInput, type Runtime } from './pipeline';
import type { OAuthApps } from './oauth/grant-request';
import { createOAuthConnector, type OAuthConnector } from './oauth/connect';
import { TokenKeeper } from './oauth/token-keeper';
import { proxyRequest, type ProxyCall } from './request/proxy-request';
import { walkPages } from './response/list-all';
import type { UnsupportedFields } from './request/validate-input';
import { resolveCursorKey } from './transport/cursor-codec';
import { createOutboundLimits, isOutboundLimits, type OutboundLimits, type RateLimitOptions } from './transport/rate-limit/outbound-limits';
import { createAxiosTransport } from './transport/default-transport';
import type { Transport } from './transport/transport';
import type { CallOptions, CallOutcome, CallQuery, ListResult, PlannedRequest, RawResult, StreamResult, UnifiedCall, UnifiedRecord } from './types';

export interface EngineOptions {
  /** Folder of integration definitions (default: the mappings shipped with unimap), or a registry loaded before. */
  mappings?: string | Registry;
  /** Folder holding unified/<category>/<resource>.schema.json (default: the shipped schemas). */
  schemas?: string;
  /** Where integrated accounts come from: a store, or a list kept in memory. */
  accounts?: AccountStore | IntegratedAccount[];
  /** How requests leave the engine (default: axios). */
  transport?: Transport;
  /** Longest wait honoured from Retry-After before giving up with UNIMAP_E_REMOTE_RATE_LIMITED (default 30 s). */
  maxRetryWaitMs?: number;
  /**
   * Deadline of one unified call, across its before/after steps, side loads and retries (default 60 s). Each remote
   * request gets at most what is left (and at most its integration's timeout_ms); a retry whose wait the deadline
   * cannot cover is not started and the last answer is reported.
   */
  callDeadlineMs?: number;
  /**
   * Hosts (`host` or `host:port`) that a URL formed from account context may reach although they are loopback,
   * private, link-local or metadata addresses (default none). Applies to the default axios transport; an account's
   * own base_url is an operator setting and never checked.
   */
  allowedHosts?: string[];
  /**
   * Body fields an integration cannot write: `warn` (default) maps what it supports, leaves the rest out and reports
   * each in the outcome's warnings; `reject` refuses the call (UNIMAP_E_REQ_UNSUPPORTED_FIELDS). A call's
   * `truto_strict_fields` query option overrides this.
   */
  unsupportedFields?: UnsupportedFields;
  /**
   * Signs next_cursor (HMAC-SHA256), at least 32 bytes. Default: env UNIMAP_CURSOR_KEY, else random per engine, so
   * cursors then do not survive a restart and are refused by other instances. Give all instances the same key.
   */
  cursorKey?: string | Buffer;
  /**
   * The deployment's registered OAuth apps by integration ({ client_id, client_secret }): the client that
   * authorization-code accounts renew their tokens as. Accounts holding their own client_id (client credentials,
   * JWT) use that instead.
   */
  oauthApps?: OAuthApps;
  /**
   * Outbound rate limits (the integrations' rate_limit.limits): `redis` (a URL or an ioredis client) shares the
   * budgets across processes, absent each process keeps its own; `keyPrefix` (default `unimap:rl`); `maxWaitMs`,
   * the longest a request waits for room (default: what the call's deadline allows). Budgets made by
   * createOutboundLimits may be passed instead, to share them between engines (they stay the caller's to close).
   * `false`: no outbound budgets (replays, local simulators, benchmarks); provider 429s are still honoured.
   */
  rateLimits?: RateLimitOptions | OutboundLimits | false;
}

/** What a single-record call returns for the truto_response_format it asked for. */
export type RecordResultFor<Q> = Q extends { truto_response_format: 'raw' } ? RawResult : Q extends { truto_response_format: 'stream' } ? StreamResult : UnifiedRecord;
/** What list returns for the truto_response_format it asked for. */
export type ListResultFor<Q> = Q extends { truto_response_format: 'raw' } ? RawResult : Q extends { truto_response_format: 'stream' } ? StreamResult : ListResult;

type Options<Q extends CallQuery> = CallOptions & { query?: Q };

export interface Engine {
  readonly registry: Registry;
  create<Q extends CallQuery = CallQuery>(category: string, resource: string, body: unknown, options: Options<Q>): Promise<RecordResultFor<Q>>;
  update<Q extends CallQuery = CallQuery>(category: string, resource: string, id: string, body: unknown, options: Options<Q>): Promise<RecordResultFor<Q>>;
  get<Q extends CallQuery = CallQuery>(category: string, resource: string, id: string, options: Options<Q>): Promise<RecordResultFor<Q>>;
  list<Q extends CallQuery = CallQuery>(category: string, resource: string, options: Options<Q>): Promise<ListResultFor<Q>>;
  delete<Q extends CallQuery = CallQuery>(category: string, resource: string, id: string, options: Options<Q>): Promise<RecordResultFor<Q>>;
  /** Every record of a list, page after page (bounded by the integration's max_pages). */
  listAll(category: string, resource: string, options: CallOptions): AsyncGenerator<UnifiedRecord>;
  /** Any method with the full outcome (raw and stream formats, custom methods). */
  call(call: UnifiedCall): Promise<CallOutcome>;
  /** The first remote request a call would send, secrets redacted; nothing is sent. */
  planRequest(call: UnifiedCall): Promise<PlannedRequest>;
  /** Map a recorded remote answer as a live call would (records, response_from, side loads, overrides); no account, no network. */
  mapResponse(integration: string, input: MapResponseInput): Promise<UnifiedRecord | UnifiedRecord[]>;
  /** A passthrough request under the account's base URL with the account's auth; the answer streamed back untouched. */
  proxy(call: ProxyCall): Promise<StreamResult>;
  /** The OAuth authorization code grant (connect flow): a consent URL, then the code exchanged for an account's tokens. */
  readonly oauth: OAuthConnector;
  /** Release what the engine opened: the Redis connection it made from rateLimits.redis (calls after it count in this process only). */
  close(): Promise<void>;
}

/**
 * Load, validate and compile the definitions, then serve calls. Throws one error listing every definition problem.
 * Integrations an earlier load checked without errors, unchanged since, are compiled when first used (see loadRegistry).
 */
export function createEngine(options: EngineOptions = {}): Engine {
  const registry = typeof options.mappings === 'object' ? options.mappings : loadRegistry(options.mappings ?? defaultMappingsDir(), options.schemas ?? defaultSchemasDir());
  const accounts = Array.isArray(options.accounts) ? new MemoryAccountStore(options.accounts) : options.accounts ?? new MemoryAccountStore();
  const transport = options.transport ?? createAxiosTransport(undefined, { allowedHosts: options.allowedHosts ?? [] });
  const tokens = new TokenKeeper(accounts, { transport, ...(options.oauthApps ? { apps: options.oauthApps } : {}) });
  const oauth = createOAuthConnector(registry, tokens, { transport, apps: options.oauthApps, now: Date.now });
  const runtime: Runtime = { registry, accounts, transport, maxRetryWaitMs: options.maxRetryWaitMs ?? 30_000, callDeadlineMs: options.callDeadlineMs ?? 60_000, cursorKey: resolveCursorKey(options.cursorKey), unsupportedFields: options.unsupportedFields ?? 'warn', tokens };
  // Budgets passed in are shared with other engines and stay the caller's to close; those made here are this engine's.
  const given = options.rateLimits;
  const ownLimits = !isOutboundLimits(given);
  if (given !== false) runtime.rateLimits = isOutboundLimits(given) ? given : createOutboundLimits(given);

  // The outcome's kind follows truto_response_format, which the method signatures carry into their result types.
  // Every failure a caller sees is typed, whatever went wrong underneath.
  const typed = <T>(promise: Promise<T>): Promise<T> => promise.catch((error: unknown) => Promise.reject(toUnimapError(error)));
  const single = async <R>(call: UnifiedCall, onWarnings: CallOptions['onWarnings']): Promise<R> => {
    const outcome = await typed(runCall(runtime, call));
    if (onWarnings && outcome.warnings.length > 0) onWarnings(outcome.warnings);
    return outcome.result as R;
  };
  const base = (category: string, resource: string, method: string, options: CallOptions) => ({
    category, resource, method, integratedAccountId: options.integratedAccountId, ...(options.query ? { query: options.query } : {}),
  });
  const engine: Engine = {
    registry,
    oauth,
    create: (category, resource, body, o) => single({ ...base(category, resource, 'create', o), body }, o.onWarnings),
    update: (category, resource, id, body, o) => single({ ...base(category, resource, 'update', o), id, body }, o.onWarnings),
    get: (category, resource, id, o) => single({ ...base(category, resource, 'get', o), id }, o.onWarnings),
    delete: (category, resource, id, o) => single({ ...base(category, resource, 'delete', o), id }, o.onWarnings),
    list: (category, resource, o) => single(base(category, resource, 'list', o), o.onWarnings),
    listAll: (category, resource, o) => walkPages(async (cursor) => {
      const query = { ...o.query, truto_response_format: 'unified' as const, ...(cursor ? { next_cursor: cursor } : {}) };
      return (await typed(runCall(runtime, base(category, resource, 'list', { ...o, query })))).result as ListResult;
    }),
    call: (call) => typed(runCall(runtime, call)),
    planRequest: (call) => typed(planRequest(runtime, call)),
    proxy: (call) => typed(proxyRequest(runtime, call)),
    close: async () => {
      if (ownLimits) await runtime.rateLimits?.close();
    },
    mapResponse: async (name, input) => {
      const integration = registry.integrations.get(name);
      if (!integration) throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${name}"; loaded: ${[...registry.integrations.keys()].join(', ')}`);
      const outcome = await typed(mapResponse(runtime, integration, input));
      return outcome.kind === 'list' ? outcome.result.result : outcome.result as UnifiedRecord;
    },
  };
  return engine;
}

/**
 * Load a mappings folder; throws UnimapError listing every problem with file:line:column. Integrations a previous
 * load checked without errors, whose files are unchanged, are compiled on first use (`strict` checks all now).
 */
export function loadRegistry(mappingsDir: string = defaultMappingsDir(), schemasDir: string = defaultSchemasDir(), options: LoadRegistryOptions = {}): Registry {
  return loadCheckedRegistry(mappingsDir, schemasDir, options);
}
