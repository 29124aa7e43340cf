/** The parts of the OpenAPI document every resource shares: query options, headers, errors, accounts, security. */
type Schema = Record<string, unknown>;

export const ref = (kind: 'schemas' | 'parameters' | 'responses' | 'headers', name: string) => ({ $ref: `#/components/${kind}/${name}` });

const queryParam = (name: string, description: string, schema: Schema, extra: Schema = {}) => ({ name, in: 'query', description, schema, ...extra });

export const PARAMETERS: Record<string, Schema> = {
  integrated_account_id: queryParam('integrated_account_id', 'The integrated account (integration, credentials and instance context) to call.', { type: 'string' }, { required: true }),
  truto_response_format: queryParam('truto_response_format', '`unified` (mapped records with remote_data), `normalized` (conformed to the unified response schema), `raw` (the remote body untouched), `stream` (the remote body piped through with its content type).', { type: 'string', enum: ['unified', 'normalized', 'raw', 'stream'], default: 'unified' }),
  truto_ignore_remote_data: queryParam('truto_ignore_remote_data', 'Leave remote_data out of each record.', { type: 'boolean' }),
  truto_exclude_fields: queryParam('truto_exclude_fields', 'Fields to drop from each record (dotted paths reach into objects and arrays). Sent as `truto_exclude_fields[]=a`, `truto_exclude_fields[0]=a` or a comma list.', { type: 'array', items: { type: 'string' } }, { style: 'form', explode: true }),
  truto_strict_fields: queryParam('truto_strict_fields', 'Refuse body fields the integration cannot write (UNIMAP_E_REQ_UNSUPPORTED_FIELDS) instead of dropping them with a warning.', { type: 'boolean' }),
  remote_query: queryParam('remote_query', 'Query parameters passed to the remote API untouched: `remote_query[foo]=bar`.', { type: 'object', additionalProperties: true }, { style: 'deepObject', explode: true }),
  limit: queryParam('limit', 'Page size asked of the provider.', { type: 'integer', minimum: 1 }),
  next_cursor: queryParam('next_cursor', 'The cursor a previous page returned; empty or absent for the first page.', { type: 'string' }),
  truto_key_by: queryParam('truto_key_by', 'Answer `result` as an object keyed by this field of each record.', { type: 'string' }),
  truto_ignore_limit: queryParam('truto_ignore_limit', 'Do not pass `limit` on; the provider\'s own page size applies.', { type: 'boolean' }),
  idempotency_key: { name: 'Idempotency-Key', in: 'header', description: 'The same key with the same request within 24 hours answers the stored answer; with another request, 400.', schema: { type: 'string', maxLength: 255 } },
};

export const READ_OPTIONS = ['integrated_account_id', 'truto_response_format', 'truto_ignore_remote_data', 'truto_exclude_fields', 'remote_query'];
export const WRITE_OPTIONS = [...READ_OPTIONS, 'truto_strict_fields', 'idempotency_key'];
export const LIST_OPTIONS = [...READ_OPTIONS, 'limit', 'next_cursor', 'truto_key_by', 'truto_ignore_limit'];

export const HEADERS: Record<string, Schema> = {
  warnings: { description: 'The write contract\'s warnings: a JSON array of `{ code, field, integration }`, one per body field left out.', schema: { type: 'string' } },
  retry_after: { description: 'Whole seconds to wait before retrying (at least 1).', schema: { type: 'integer', minimum: 1 } },
};

const errorBody: Schema = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string', description: 'The status\'s reason phrase.' },
    code: { type: 'string', description: 'A stable UNIMAP_E_* code (docs/errors.md).' },
    message: { type: 'string' },
    details: { description: 'Per code: the fields, filters or parameters at fault.' },
    remote: { type: 'object', properties: { status: { type: 'integer' }, body: {} } },
    insight: { type: 'string', description: 'What to do next.' },
    retriable: { type: 'boolean' },
    retry_after_seconds: { type: 'integer' },
  },
};

const account: Schema = {
  type: 'object',
  required: ['id', 'tenant_id', 'integration', 'context', 'status', 'created_at', 'updated_at'],
  properties: {
    id: { type: 'string' },
    tenant_id: { type: 'string' },
    integration: { type: 'string' },
    context: { type: 'object', description: 'Context values the integration does not mark secret; secrets are never returned.', additionalProperties: true },
    base_url: { type: 'string' },
    overrides: { type: 'object', additionalProperties: true },
    status: { type: 'string', enum: ['active', 'needs_reauth'] },
    last_error: { type: ['object', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

export const SCHEMAS: Record<string, Schema> = {
  Error: errorBody,
  IntegratedAccount: account,
  IntegratedAccountInput: {
    type: 'object',
    required: ['integration'],
    additionalProperties: false,
    properties: {
      integration: { type: 'string' },
      context: { type: 'object', additionalProperties: true, description: 'As the integration declares it (required, secret, pattern, default).' },
      base_url: { type: 'string', description: 'Accepted only for the server\'s sandbox simulators: an operator setting otherwise.' },
      overrides: { type: 'object', additionalProperties: true },
    },
  },
  IntegratedAccountPatch: {
    type: 'object',
    additionalProperties: false,
    properties: {
      context: { type: 'object', additionalProperties: true, description: 'Merged shallowly over the stored context; a key set to null is removed.' },
      base_url: { type: ['string', 'null'] },
      overrides: { type: ['object', 'null'], additionalProperties: true },
      status: { type: 'string', enum: ['active', 'needs_reauth'] },
    },
  },
  OAuthAuthorizeInput: {
    type: 'object',
    required: ['integration'],
    additionalProperties: false,
    properties: {
      integration: { type: 'string', description: 'An integration with the authorization code grant.' },
      integrated_account_id: { type: 'string', description: 'The account to reconnect (e.g. one marked needs_reauth); absent: a new account.' },
      context: { type: 'object', description: 'Settings the account holds before it has tokens (a login host, a tenant).' },
      return_url: { type: 'string', description: 'Where the callback sends the person afterwards; must be under a URL the server allows.' },
    },
  },
  OAuthAuthorization: { type: 'object', required: ['authorize_url', 'expires_at'], properties: { authorize_url: { type: 'string' }, expires_at: { type: 'string', format: 'date-time' } } },
  IntegratedAccountList: { type: 'object', required: ['result', 'next_cursor', 'result_count'], properties: { result: { type: 'array', items: ref('schemas', 'IntegratedAccount') }, next_cursor: { type: ['string', 'null'] }, result_count: { type: 'integer' } } },
  Deleted: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
  Meta: { type: 'object', description: 'The accepted body schema, required and supported fields, response fields, query parameters and filters.', additionalProperties: true },
};

export const RESPONSES: Record<string, Schema> = {
  Error: {
    description: 'Any failure: a stable code, the status, what is at fault and what to do next.',
    headers: { 'Retry-After': ref('headers', 'retry_after') },
    content: { 'application/json': { schema: ref('schemas', 'Error') } },
  },
};
