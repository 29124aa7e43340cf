/**
 * The one catalogue of unimap errors. Every code is defined here once with its HTTP status,
 * whether a retry may succeed, and what to do about it (rendered into docs/errors.md by a test).
 * Codes read as UNIMAP_E_<STAGE>_<WHAT>; a retired code is never reused.
 */
export const ERROR_CATALOGUE = {
  UNIMAP_E_LOAD_FILE: { status: 500, retriable: false, stage: 'load', meaning: 'A definition file or folder could not be read.', fix: 'Check the path and file permissions.' },
  UNIMAP_E_LOAD_YAML: { status: 500, retriable: false, stage: 'load', meaning: 'A definition file is not valid YAML.', fix: 'Fix the YAML syntax at the reported line and column.' },
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
  UNIMAP_E_AUTH_MISSING_CONTEXT: { status: 400, retriable: false, stage: 'auth', meaning: 'The integrated account lacks a credential or setting the integration requires.', fix: 'Add the named context key to the account.' },
  UNIMAP_E_AUTH_INVALID_CONTEXT: { status: 400, retriable: false, stage: 'auth', meaning: 'An account context value does not match the pattern the integration declares (this keeps values from moving the request to another host).', fix: 'Correct the named context value.' },
  UNIMAP_E_MAP_EVALUATION: { status: 500, retriable: false, stage: 'mapping', meaning: 'A JSONata mapping failed while running.', fix: 'Fix the expression at the reported file:line:column; the JSONata code tells what failed.' },
  UNIMAP_E_MAP_TEMPLATE: { status: 500, retriable: false, stage: 'mapping', meaning: 'A URL, path, header or query template produced an unusable value.', fix: 'Make the template produce a string; check the account context and parameters it reads.' },
  UNIMAP_E_MAP_BODY_FORMAT: { status: 500, retriable: false, stage: 'mapping', meaning: 'A body could not be converted to or from the declared body_format (json, form, xml).', fix: 'Make the body mapping produce a value the format can hold.' },
  UNIMAP_E_REMOTE_HTTP: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote API answered with an error status. 4xx statuses are passed through; 5xx become 502.', fix: 'Read remote.status and remote.body; the message holds the provider\'s own error text.' },
  UNIMAP_E_REMOTE_RATE_LIMITED: { status: 429, retriable: true, stage: 'remote', meaning: 'The remote API rate-limited the call and retries were exhausted.', fix: 'Retry after retry_after_seconds.' },
  UNIMAP_E_REMOTE_TIMEOUT: { status: 504, retriable: true, stage: 'remote', meaning: 'The remote API did not answer in time.', fix: 'Retry later, or raise the integration timeout_ms.' },
  UNIMAP_E_REMOTE_NETWORK: { status: 502, retriable: true, stage: 'remote', meaning: 'The remote API could not be reached (DNS, refused or reset connection).', fix: 'Check the base URL and network.' },
  UNIMAP_E_REMOTE_INVALID_BODY: { status: 502, retriable: false, stage: 'remote', meaning: 'The remote API answered a body that is not the declared format (e.g. HTML instead of JSON).', fix: 'Check the base URL and credentials; remote.body holds the start of what came back.' },
  UNIMAP_E_REMOTE_PAGINATION: { status: 502, retriable: false, stage: 'remote', meaning: 'Pagination stopped: the page limit (max_pages) was reached or the remote API returned the same cursor again.', fix: 'Raise pagination.max_pages, or report the looping API.' },
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

export interface UnimapErrorOptions {
  details?: unknown;
  remote?: RemoteFailure;
  position?: SourcePosition;
  status?: number;
  retriable?: boolean;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A typed error with a stable code. Guards should use isUnimapError, which also works across module copies. */
export class UnimapError extends Error {
  override readonly name = 'UnimapError';
  readonly code: UnimapErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: unknown;
  readonly remote: RemoteFailure | undefined;
  readonly position: SourcePosition | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: UnimapErrorCode, message: string, options: UnimapErrorOptions = {}) {
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

export function isUnimapError(value: unknown): value is UnimapError {
  return (
    typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'UnimapError' &&
    typeof (value as { code?: unknown }).code === 'string' && (value as { code: string }).code in ERROR_CATALOGUE
  );
}

/** Prefix a message with file:line:column when a position is known. */
export function formatPosition(position: SourcePosition | undefined): string {
  return position ? `${position.file}:${position.line}:${position.column}` : '';
}
