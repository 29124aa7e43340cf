/** Types of definition files as written in YAML (validated against schemas/*.schema.json before use). */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type BodyFormat = 'json' | 'form' | 'xml';
export const UNIFIED_METHODS = ['list', 'get', 'create', 'update', 'delete'] as const;
export type UnifiedMethod = (typeof UNIFIED_METHODS)[number];

export interface ContextFieldDef {
  required?: boolean;
  secret?: boolean;
  pattern?: string;
  description?: string;
  default?: unknown;
}

export type AuthDef =
  | { type: 'header'; headers: Record<string, string> }
  | { type: 'query'; query: Record<string, string> }
  | { type: 'basic'; username: string; password: string }
  | { type: 'body'; body: Record<string, string> }
  | { type: 'none' };

export interface StopDef {
  empty_page?: boolean;
  short_page?: boolean;
  has_more?: string;
}

interface PaginationCommon {
  limit_param?: string;
  default_limit?: number;
  max_limit?: number;
  max_pages?: number;
  stop?: StopDef;
}

export type PaginationDef =
  | { type: 'none' }
  | (PaginationCommon & { type: 'link_header'; rel?: string })
  | (PaginationCommon & { type: 'next_url'; next_url: string })
  | (PaginationCommon & { type: 'cursor'; cursor: string; cursor_param: string })
  | (PaginationCommon & { type: 'offset'; offset_param: string; limit_param: string; start?: number })
  | (PaginationCommon & { type: 'page'; page_param: string; start?: number });

export interface RateLimitDef {
  retry_after_header?: string;
  reset_header?: string;
  max_retries?: number;
  when?: string;
  /** Outbound budgets kept before sending (engine/transport/rate-limit/); at most one per `per`. */
  limits?: OutboundLimitDef[];
}

/** integration.yaml `rate_limit.limits[]`: at most `requests` requests every `interval_seconds`, per account or for the whole integration. */
export interface OutboundLimitDef {
  per: 'account' | 'integration';
  requests: number;
  interval_seconds: number;
  description?: string;
}

/** integration.yaml `oauth2`: how an account's access token is obtained and kept fresh (schemas/integration.schema.json). */
export interface OAuth2Def {
  token_url: string;
  refresh_url?: string;
  client_auth?: 'body' | 'header';
  body_format?: 'form' | 'json';
  scopes?: string[];
  scope_separator?: string;
  token_params?: Record<string, string>;
  refresh_params?: Record<string, string>;
  default_expires_in?: number;
  refresh_margin_seconds?: number;
  token_error?: string;
  context_from_token?: Record<string, string>;
  authorization_code?: { authorize_url: string; pkce?: boolean; authorize_params?: Record<string, string>; token_params?: Record<string, string> };
  client_credentials?: { token_params?: Record<string, string>; client_auth?: 'body' | 'header' };
  jwt_bearer?: { issuer: string; subject?: string; audience?: string; private_key: string; key_id?: string; lifetime_seconds?: number; token_params?: Record<string, string> };
}

export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'jwt_bearer';

export interface IntegrationDef {
  unimap: 1;
  name: string;
  label: string;
  description?: string;
  docs_url?: string;
  /** The provider's API description (OpenAPI 3 or Swagger 2), relative to the integration folder; checked by `unimap validate`. */
  spec?: string;
  base_url: string;
  context?: Record<string, ContextFieldDef>;
  auth?: AuthDef;
  oauth2?: OAuth2Def;
  headers?: Record<string, string>;
  pagination?: PaginationDef;
  rate_limit?: RateLimitDef;
  timeout_ms?: number;
  max_response_bytes?: number;
  body_format?: BodyFormat;
  error?: string;
  error_when?: string;
}

export interface RequestDef {
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface StepDef {
  name: string;
  run_if?: string;
  request: RequestDef;
  query?: string;
  body?: string;
  body_format?: BodyFormat;
  ignore_status?: number[];
  /** Merge the caller's remote_data over this step's body, as the main request's body gets it. */
  remote_data?: boolean;
}

export interface QueryParamDef {
  type?: 'string' | 'integer' | 'number' | 'boolean';
  required?: boolean;
  description?: string;
  enum?: unknown[];
  collection_type?: string;
}

export interface MethodDef {
  unsupported?: string;
  description?: string;
  request?: RequestDef;
  query?: string;
  query_params?: Record<string, QueryParamDef>;
  filters?: string[];
  body?: string;
  body_format?: BodyFormat;
  records?: string;
  record?: string;
  response?: string;
  response_from?: string;
  /** The main request runs only when this is true (JSONata); a step named by response_from then answers. */
  run_if?: string;
  required?: string[];
  supported?: string[];
  response_supported?: string[];
  error?: string;
  error_when?: string;
  before?: StepDef[];
  after?: StepDef[];
  side_load?: StepDef[];
  static?: unknown;
  partial?: string;
  idempotent?: boolean;
  pagination?: PaginationDef;
}

export type ResourceDef = { unimap: 1; description?: string; custom?: Record<string, MethodDef> } & {
  [M in UnifiedMethod]?: MethodDef;
};
