import type { SourcePosition } from '../errors';
import type { AuthDef, BodyFormat, ContextFieldDef, HttpMethod, IntegrationDef, PaginationDef, QueryParamDef, RateLimitDef } from '../definition';
import type { YamlSource } from '../load/yaml-source';
import type { Evaluator } from './expression';
import type { Template } from './template';
import type { UnifiedSchema } from './unified-schemas';
import type { CompiledOAuth2 } from './compile-oauth';

/** The frozen result of loading: what a call reads. Nothing here is parsed or compiled per call. */
export interface Registry {
  readonly integrations: ReadonlyMap<string, CompiledIntegration>;
  readonly unifiedSchemas: ReadonlyMap<string, UnifiedSchema>;
}

export interface CompiledRequest {
  method: HttpMethod;
  path: Template;
  query: Record<string, Template>;
  headers: Record<string, Template>;
}

export interface CompiledStep {
  name: string;
  runIf: Evaluator | undefined;
  request: CompiledRequest;
  query: Evaluator | undefined;
  body: Evaluator | undefined;
  bodyFormat: BodyFormat;
  ignoreStatus: number[];
  /** remote_data: true — the caller's remote_data is merged over this step's body. */
  takesRemoteData: boolean;
}

export interface CompiledPagination {
  def: PaginationDef;
  nextUrl: Evaluator | undefined;
  cursor: Evaluator | undefined;
  hasMore: Evaluator | undefined;
  maxPages: number;
}

export interface CompiledMethod {
  name: string;
  position: SourcePosition;
  unsupported: string | undefined;
  request: CompiledRequest | undefined;
  query: Evaluator | undefined;
  queryParams: Record<string, QueryParamDef>;
  /** Unified list filters applied; undefined when the definition does not say (then nothing is checked). */
  filters: string[] | undefined;
  body: Evaluator | undefined;
  bodyFormat: BodyFormat;
  records: Evaluator | undefined;
  record: Evaluator | undefined;
  response: Evaluator | undefined;
  responseFrom: string | undefined;
  /** run_if of the main request: when false, the step named by responseFrom answers instead. */
  runIf: Evaluator | undefined;
  required: string[];
  supported: string[];
  responseSupported: string[];
  error: Evaluator | undefined;
  errorWhen: Evaluator | undefined;
  before: CompiledStep[];
  after: CompiledStep[];
  sideLoad: CompiledStep[];
  static: unknown;
  partial: Evaluator | undefined;
  idempotent: boolean;
  pagination: CompiledPagination;
}

export interface CompiledResource {
  key: string;
  category: string;
  resource: string;
  source: YamlSource;
  unified: UnifiedSchema;
  methods: ReadonlyMap<string, CompiledMethod>;
}

export interface CompiledAuth {
  type: AuthDef['type'];
  headers: Record<string, Template>;
  query: Record<string, Template>;
  username: Template | undefined;
  password: Template | undefined;
  /** type body: top-level fields merged into every JSON request body (APIs that take credentials there). */
  body: Record<string, Template>;
}

export interface CompiledIntegration {
  name: string;
  label: string;
  def: IntegrationDef;
  source: YamlSource;
  baseUrl: Template;
  context: Record<string, ContextFieldDef & { regex?: RegExp }>;
  auth: CompiledAuth;
  /** integration.yaml oauth2: how the account's access token is obtained and refreshed. */
  oauth2: CompiledOAuth2 | undefined;
  headers: Record<string, Template>;
  rateLimit: RateLimitDef;
  /** rate_limit.when: a non-429 answer that is really a rate limit. */
  rateLimitWhen: Evaluator | undefined;
  /** timeout_ms: total deadline of one remote request. */
  timeoutMs: number;
  /** max_response_bytes: largest answer accepted after decompression. */
  maxResponseBytes: number;
  error: Evaluator | undefined;
  errorWhen: Evaluator | undefined;
  resources: ReadonlyMap<string, CompiledResource>;
}
