/**
 * The one catalogue of unimap errors. Every code is defined here once with its HTTP status,
 * whether a retry may succeed, and what to do about it (rendered into docs/errors.md by a test).
 * Codes read as UNIMAP_E_<STAGE>_<WHAT>; a retired code is never reused.
 */
export const ERROR_CATALOGUE = {
  UNIMAP_E_LOAD_FILE: { status: 500, retriable: false, stage: 'load', meaning: 'A definition file or folder, or the accounts file, could not be read.', fix: 'Check the path and file permissions.' },
  UNIMAP_E_LOAD_YAML: { status: 500, retriable: false, stage: 'load', meaning: 'A definition file is not valid YAML.', fix: 'Fix the YAML syntax at the reported line and column.' },
  UNIMAP_E_LOAD_ACCOUNTS: { status: 500, retriable: false, stage: 'load', meaning: 'An accounts file is not a valid list of integrated accounts (bad YAML or JSON, a non-object entry, an entry without id or integration, too many aliases).', fix: 'Fix the accounts file at the reported file:line; values are never quoted in the message.' },
  UNIMAP_E_LOAD_OPTIONS: { status: 500, retriable: false, stage: 'load', meaning: 'An engine option is unusable (e.g. cursorKey or UNIMAP_CURSOR_KEY shorter than 32 bytes).', fix: 'Correct the named option; secret values are never quoted in the message.' },
  UNIMAP_E_DEF_SCHEMA: { status: 500, retriable: false, stage: 'definition', meaning: 'A definition does not match the definition format (schemas/*.schema.json).', fix: 'Change the value at the reported position to the expected shape shown in the message.' },
  UNIMAP_E_DEF_JSONATA: { status: 500, retriable: false, stage: 'definition', meaning: 'A JSONata expression or {{ }} template in a definition does not parse.', fix: 'Fix the expression at the reported line and column.' },
  UNIMAP_E_DEF_REFERENCE: { status: 500, retriable: false, stage: 'definition', meaning: 'A definition refers to something that does not exist (an unknown unified field, schema, step or integration) or contradicts itself.', fix: 'Use a name that exists, or add what is missing.' },
  UNIMAP_E_DEF_DECLARED: { status: 500, retriable: false, stage: 'definition', meaning: 'What a definition declares (required, supported, response_supported) differs from what its mappings and fixtures show, or a method lacks a success or an error fixture.', fix: 'Make the lists say what the JSONata does, or add the missing fixture case.' },
  UNIMAP_E_REQ_ACCOUNT_NOT_FOUND: { status: 404, retriable: false, stage: 'request', meaning: 'No integrated account has the given id.', fix: 'Pass the id of an account held by the account store.' },
  UNIMAP_E_REQ_INTEGRATION_NOT_FOUND: { status: 404, retriable: false, stage: 'request', meaning: 'No definition exists for the integration named by the account or the caller.', fix: 'Add mappings/<integration>/integration.yaml or correct the name.' },
  UNIMAP_E_REQ_RESOURCE_NOT_FOUND: { status: 404, retriable: false, stage: 'request', meaning: 'The integration has no mapping for this unified category/resource.', fix: 'Call a resource the integration maps (see the README integration table).' },
  UNIMAP_E_REQ_METHOD_NOT_SUPPORTED: { status: 501, retriable: false, stage: 'request', meaning: 'The integration cannot perform this method on this resource.', fix: 'Use another method; the message gives the provider\'s reason.' },
  UNIMAP_E_REQ_INVALID_JSON: { status: 400, retriable: false, stage: 'request', meaning: 'A request body or input file is not valid JSON.', fix: 'Send well-formed JSON.' },
  UNIMAP_E_REQ_INVALID_BODY: { status: 400, retriable: false, stage: 'request', meaning: 'The unified body does not match the unified schema (wrong type, unknown field, bad enum value).', fix: 'Correct each field listed in details.' },
  UNIMAP_E_REQ_MISSING_FIELDS: { status: 400, retriable: false, stage: 'request', meaning: 'The integration requires unified body fields that are missing.', fix: 'Add every field listed; details name the integration that requires each.' },
  UNIMAP_E_REQ_UNSUPPORTED_FIELDS: { status: 400, retriable: false, stage: 'request', meaning: 'The body has unified fields this integration cannot write, so they would be lost.', fix: 'Remove them, or pass provider-specific data in remote_data.' },
  UNIMAP_E_REQ_MISSING_QUERY_PARAMS: { status: 400, retriable: false, stage: 'request', meaning: 'The integration requires query parameters that are missing (e.g. a project collection).', fix: 'Add every parameter listed.' },
  UNIMAP_E_REQ_INVALID_QUERY: { status: 400, retriable: false, stage: 'request', meaning: 'A truto_* query option or a query parameter has an invalid value.', fix: 'Use one of the values listed in the message.' },
  UNIMAP_E_REQ_REJECTED: { status: 400, retriable: false, stage: 'request', meaning: 'The integration\'s mapping refused a value the provider cannot take (e.g. a status it cannot set), with $reject.', fix: 'Send one of the values the message names, or leave the field out.' },
  UNIMAP_E_REQ_UNSUPPORTED_FILTER: { status: 400, retriable: false, stage: 'request', meaning: 'A unified list filter the integration cannot apply was given; answering unfiltered results would be wrong.', fix: 'Leave the filter out, or use one the message lists.' },
  UNIMAP_E_REQ_MISSING_ID: { status: 400, retriable: false, stage: 'request', meaning: 'get, update and delete need the id of the record.', fix: 'Pass a non-empty id.' },
  UNIMAP_E_REQ_INVALID_CURSOR: { status: 400, retriable: false, stage: 'request', meaning: 'next_cursor was not produced by this engine for this integration, or was altered.', fix: 'Pass next_cursor exactly as a previous list call returned it.' },
  UNIMAP_E_REQ_INVALID_PATH_VALUE: { status: 400, retriable: false, stage: 'request', meaning: 'A value placed into a URL path (an id, a filter, a query parameter) is empty, a dot segment (`.`, `..`, also percent-encoded) or not valid text, so it could retarget the request.', fix: 'Pass the real id or value; dot segments and empty values are never sent.' },
  UNIMAP_E_REQ_INVALID_FILTER: { status: 400, retriable: false, stage: 'request', meaning: 'A list filter is unknown to the unified model or its value does not match the unified list_query schema (type, format).', fix: 'Use a filter name and value shape from the unified list_query schema; details name each filter at fault.' },
  UNIMAP_E_REQ_HOST_NOT_ALLOWED: { status: 400, retriable: false, stage: 'request', meaning: 'An account context value would send the request to a loopback, private, link-local or metadata address (checked after DNS resolution too).', fix: 'Use the provider\'s public host, or have the operator allow the host explicitly (allowedHosts).' },
  UNIMAP_E_AUTH_MISSING_CONTEXT: { status: 400, retriable: false, stage: 'auth', meaning: 'The integrated account lacks a credential or setting the integration requires.', fix: 'Add the named context key to the account.' },
  UNIMAP_E_AUTH_INVALID_CONTEXT: { status: 400, retriable: false, stage: 'auth', meaning: 'An account context value does not match the pattern the integration declares (this keeps values from moving the request to another host).', fix: 'Correct the named context value.' },
  UNIMAP_E_AUTH_NEEDS_REAUTH: { status: 401, retriable: false, stage: 'auth', meaning: 'The account\'s OAuth grant is no longer valid (the token endpoint answered invalid_grant, e.g. a revoked or expired refresh token); the account is marked needs_reauth and calls fail fast until it is reconnected.', fix: 'Reconnect the account (the connect flow, or new credentials); details.last_error holds what the token endpoint said.' },
  UNIMAP_E_AUTH_TOKEN_REQUEST: { status: 502, retriable: true, stage: 'auth', meaning: 'Getting or refreshing an OAuth access token failed for a reason other than a revoked grant: the token endpoint was unreachable, timed out, answered 5xx, or refused the client (invalid_client).', fix: 'Retry later; for invalid_client check the OAuth app\'s client id and secret. details.oauth_error holds the endpoint\'s error code.' },
  UNIMAP_E_AUTH_OAUTH_STATE: { status: 400, retriable: false, stage: 'auth', meaning: 'An OAuth callback carries a state that is unknown, expired or already used, or the provider answered the authorization with an error.', fix: 'Start the connect flow again; a state is single-use and expires after 10 minutes.' },
  UNIMAP_E_REMOTE_OUTBOUND_LIMIT: { status: 429, retriable: true, stage: 'remote', meaning: 'The outbound rate limit the integration declares (per account or per provider, shared across instances through Redis) has no room before the call\'s deadline; nothing was sent.', fix: 'Retry after retry_after_seconds, or spread calls over time.' },
  UNIMAP_E_MAP_EVALUATION: { status: 500, retriable: false, stage: 'mapping', meaning: 'A JSONata mapping failed while running.', fix: 'Fix the expression at the reported file:line:column; the JSONata code tells what failed.' },
  UNIMAP_E_MAP_TEMPLATE: { status: 500, retriable: false, stage: 'mapping', meaning: 'A URL, path, header or query template produced an unusable value.', fix: 'Make the template produce a string; check the account context and parameters it reads.' },
  UNIMAP_E_MAP_BODY_FORMAT: { status: 500, retriable: false, stage: 'mapping', meaning: 'A body could not be converted to or from the declared body_format (json, form, xml).', fix: 'Make the body mapping produce a value the format can hold.' },
  UNIMAP_E_REMOTE_HTTP: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote API answered a status outside 2xx (redirects are never followed, so a 3xx is a failure too), or a 2xx the definition\'s error_when says is an error (its error mapping may say which status it means). 4xx statuses are passed through; 3xx and 5xx become 502. A create answered 5xx may have been applied: details.outcome is "unknown".', fix: 'Read remote.status and remote.body; the message holds the provider\'s own error text.' },
  UNIMAP_E_REMOTE_RATE_LIMITED: { status: 429, retriable: true, stage: 'remote', meaning: 'The remote API rate-limited the call and retries were exhausted.', fix: 'Retry after retry_after_seconds.' },
  UNIMAP_E_REMOTE_TIMEOUT: { status: 504, retriable: true, stage: 'remote', meaning: 'The remote API did not answer in time: one request past the integration\'s timeout_ms (the whole exchange, body included), or the whole call past callDeadlineMs. A create that timed out after it was sent is not retriable: details.outcome is "unknown".', fix: 'Retry later (for a create, check first whether it was applied), or raise timeout_ms / callDeadlineMs.' },
  UNIMAP_E_REMOTE_NETWORK: { status: 502, retriable: true, stage: 'remote', meaning: 'The remote API could not be reached (DNS, refused or reset connection). details.outcome says whether a create may have been applied ("unknown", not retriable) or not ("not_applied").', fix: 'Check the base URL and network.' },
  UNIMAP_E_REMOTE_INVALID_BODY: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote API answered a body that is not the declared format (e.g. HTML instead of JSON).', fix: 'Check the base URL and credentials; remote.body holds the start of what came back.' },
  UNIMAP_E_REMOTE_BODY_TOO_LARGE: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote answer (after decompression) is larger than the integration\'s max_response_bytes; it was cut off and never retried.', fix: 'Ask for smaller pages (limit), or raise max_response_bytes for the integration.' },
  UNIMAP_E_REMOTE_BODY_UNDECODABLE: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote answer could not be decoded: its content-encoding (gzip, deflate, br) is corrupt, or the HTTP response itself is malformed (e.g. oversized headers).', fix: 'Report the provider\'s answer; retrying the same call rarely helps.' },
  UNIMAP_E_REMOTE_PAGINATION: { status: 502, retriable: false, stage: 'remote', meaning: 'Pagination stopped: the page limit (max_pages) was reached, the remote API returned the same cursor again, or its next-page link points to another host.', fix: 'Raise pagination.max_pages, or report the looping API.' },
  UNIMAP_E_SERVER_UNAUTHORIZED: { status: 401, retriable: false, stage: 'server', meaning: 'The HTTP request has no `Authorization: Bearer <api key>` header, or the key is unknown or revoked.', fix: 'Send a key made by `unimap keys create`; keys are shown once, only their hash is stored.' },
  UNIMAP_E_SERVER_NOT_FOUND: { status: 404, retriable: false, stage: 'server', meaning: 'No route answers this method and path, or the integrated account does not exist for this tenant (another tenant\'s account is not found either).', fix: 'Check the path against GET /openapi.json, and the account id against GET /integrated-accounts.' },
  UNIMAP_E_SERVER_BODY_TOO_LARGE: { status: 413, retriable: false, stage: 'server', meaning: 'The HTTP request body is larger than the server accepts.', fix: 'Send a smaller body, or raise the server\'s body limit (bodyLimitBytes).' },
  UNIMAP_E_SERVER_UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, stage: 'server', meaning: 'The HTTP request body has a content type the route does not read (unified and account routes read JSON).', fix: 'Send `Content-Type: application/json`.' },
  UNIMAP_E_SERVER_INVALID_REQUEST: { status: 400, retriable: false, stage: 'server', meaning: 'A server-level request value is unusable: an Idempotency-Key that is empty or too long, a malformed list cursor of the accounts API, an unknown body field.', fix: 'Correct the value the message names.' },
  UNIMAP_E_SERVER_ACCOUNT_INVALID: { status: 400, retriable: false, stage: 'server', meaning: 'An integrated account does not match its integration\'s declared context (a required key missing, a pattern not matched, an undeclared key) or names an unknown integration.', fix: 'Correct every field listed in details; secret values are never quoted.' },
  UNIMAP_E_SERVER_IDEMPOTENCY_MISMATCH: { status: 400, retriable: false, stage: 'server', meaning: 'An Idempotency-Key was used before (within 24 h, by this tenant) with another method, path, query or body.', fix: 'Use a new key for a new request; resend the same request to get the stored answer.' },
  UNIMAP_E_SERVER_IDEMPOTENCY_IN_PROGRESS: { status: 429, retriable: true, stage: 'server', meaning: 'A request with the same Idempotency-Key is still running; its answer is not stored yet.', fix: 'Retry after Retry-After seconds with the same key and body: the stored answer comes back.' },
  UNIMAP_E_SERVER_STORE: { status: 500, retriable: false, stage: 'server', meaning: 'The server\'s database (accounts, keys, idempotency records) could not be opened, migrated or queried, e.g. the data directory is used by another process.', fix: 'Check the data directory (--data) and that only one server uses it; the message names the failing step.' },
  UNIMAP_E_SERVER_SECRET_KEY: { status: 500, retriable: false, stage: 'server', meaning: 'The key that encrypts account secrets at rest is unusable (not 32 bytes) or is not the key the stored secrets were encrypted with.', fix: 'Set UNIMAP_SECRET_KEY (base64 of 32 bytes) or restore the data directory\'s secret.key that encrypted them.' },
  UNIMAP_E_SERVER_UNAVAILABLE: { status: 503, retriable: true, stage: 'server', meaning: 'The server is shutting down or not ready yet.', fix: 'Retry after Retry-After seconds, against another instance if there is one.' },
  UNIMAP_E_ENGINE_INTERNAL: { status: 500, retriable: false, stage: 'engine', meaning: 'An unexpected failure inside the engine; nothing about the call is known to have been sent unless remote says so.', fix: 'Report it with the message; it is a bug in unimap.' },
} as const;

export type UnimapErrorCode = keyof typeof ERROR_CATALOGUE;

/** Where in a definition file something is: file:line:column plus the JSON pointer inside the file. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
  pointer?: string;
}

export interface RemoteFailure {
  status: number;
  body: unknown;
}

/** Whether a failed non-idempotent request may have been applied (transport/outcome.ts). */
export type CallOutcomeDetail = 'unknown' | 'not_applied';

/**
 * What `details` holds, per code, so `switch (error.code)` narrows it (codes not listed carry no details or
 * free-form data). A problem list is what loading reports: one entry per problem with its position.
 */
export interface ErrorDetailsByCode {
  UNIMAP_E_LOAD_ACCOUNTS: { file: string; line: number; column: number };
  UNIMAP_E_DEF_SCHEMA: DefinitionProblemDetail[];
  UNIMAP_E_DEF_JSONATA: DefinitionProblemDetail[];
  UNIMAP_E_DEF_REFERENCE: DefinitionProblemDetail[];
  UNIMAP_E_DEF_DECLARED: DefinitionProblemDetail[];
  UNIMAP_E_REQ_INVALID_BODY: Array<{ field: string; message: string }>;
  UNIMAP_E_REQ_MISSING_FIELDS: Array<{ field: string; required_by: string }>;
  UNIMAP_E_REQ_UNSUPPORTED_FIELDS: Array<{ field: string; integration: string }>;
  UNIMAP_E_REQ_MISSING_QUERY_PARAMS: Array<{ parameter: string; required_by: string }>;
  UNIMAP_E_REQ_INVALID_QUERY: { field: string };
  UNIMAP_E_REQ_UNSUPPORTED_FILTER: Array<{ filter: string; integration: string }>;
  UNIMAP_E_REQ_INVALID_FILTER: Array<{ filter: string; message: string; integration: string }>;
  UNIMAP_E_REQ_INVALID_PATH_VALUE: { template: string };
  UNIMAP_E_REQ_HOST_NOT_ALLOWED: { host: string; outcome?: CallOutcomeDetail };
  UNIMAP_E_AUTH_MISSING_CONTEXT: { integration: string; missing: string[] };
  UNIMAP_E_AUTH_INVALID_CONTEXT: { integration: string; key: string };
  UNIMAP_E_AUTH_NEEDS_REAUTH: { integration: string; last_error?: { code: string; message: string; at: string } };
  UNIMAP_E_AUTH_TOKEN_REQUEST: { integration: string; oauth_error?: string; remote_status?: number };
  UNIMAP_E_REMOTE_OUTBOUND_LIMIT: { integration: string; scope: 'account' | 'integration' };
  UNIMAP_E_MAP_EVALUATION: { jsonata_code: string };
  UNIMAP_E_MAP_TEMPLATE: { header: string };
  UNIMAP_E_REMOTE_HTTP: { remote_code?: unknown; outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_RATE_LIMITED: { remote_code?: unknown; outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_TIMEOUT: { outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_NETWORK: { outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_BODY_TOO_LARGE: { max_response_bytes?: number; outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_BODY_UNDECODABLE: { outcome?: CallOutcomeDetail };
  UNIMAP_E_REMOTE_INVALID_BODY: { outcome?: CallOutcomeDetail };
  UNIMAP_E_SERVER_ACCOUNT_INVALID: Array<{ field: string; message: string }>;
}

export interface DefinitionProblemDetail {
  code: string;
  message: string;
  file: string;
  line: number;
  column: number;
  pointer?: string;
}

export type ErrorDetails<C extends UnimapErrorCode> = C extends keyof ErrorDetailsByCode ? ErrorDetailsByCode[C] : unknown;

export interface UnimapErrorOptions<C extends UnimapErrorCode = UnimapErrorCode> {
  details?: ErrorDetails<C> | undefined;
  remote?: RemoteFailure;
  position?: SourcePosition;
  status?: number;
  retriable?: boolean;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A typed error with a stable code. Guards should use isUnimapError, which also works across module copies. */
export class UnimapError<C extends UnimapErrorCode = UnimapErrorCode> extends Error {
  override readonly name = 'UnimapError';
  readonly code: C;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: ErrorDetails<C> | undefined;
  readonly remote: RemoteFailure | undefined;
  readonly position: SourcePosition | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: C, message: string, options: UnimapErrorOptions<C> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CATALOGUE[code];
    this.code = code;
    this.status = options.status ?? entry.status;
    this.retriable = options.retriable ?? entry.retriable;
    this.details = options.details;
    this.remote = options.remote;
    this.position = options.position;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The JSON error body the HTTP surface and the CLI print. */
  toJSON(): Record<string, unknown> {
    return {
      statusCode: this.status,
      error: this.code,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      ...(this.details === undefined ? {} : { details: this.details }),
      ...(this.remote === undefined ? {} : { remote: this.remote }),
      ...(this.retryAfterSeconds === undefined ? {} : { retry_after_seconds: this.retryAfterSeconds }),
    };
  }
}

/** A UnimapError whose `code` discriminates: `switch (error.code)` narrows `details` to that code's shape. */
export type AnyUnimapError = { [C in UnimapErrorCode]: UnimapError<C> }[UnimapErrorCode];

export function isUnimapError(value: unknown): value is AnyUnimapError {
  return (
    typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'UnimapError' &&
    typeof (value as { code?: unknown }).code === 'string' && (value as { code: string }).code in ERROR_CATALOGUE
  );
}

/** Whatever was thrown, as a UnimapError: a failure the engine did not foresee becomes UNIMAP_E_ENGINE_INTERNAL. */
export function toUnimapError(error: unknown): UnimapError {
  if (isUnimapError(error)) return error;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  return new UnimapError('UNIMAP_E_ENGINE_INTERNAL', `unexpected failure inside the engine (${what})`, { cause: error });
}

/** Prefix a message with file:line:column when a position is known. */
export function formatPosition(position: SourcePosition | undefined): string {
  return position ? `${position.file}:${position.line}:${position.column}` : '';
}
