import type { Registry } from '../../compile/compiled';
import type { UnifiedSchema } from '../../compile/unified-schemas';
import { requestDef, responseSchema } from '../meta/describe-method';
import { HEADERS, LIST_OPTIONS, PARAMETERS, READ_OPTIONS, RESPONSES, SCHEMAS, WRITE_OPTIONS, ref } from './components';

type Doc = Record<string, unknown>;
type Operation = Record<string, unknown>;

/**
 * The server's OpenAPI 3.1 document, generated from the unified schemas (schemas/unified/) and the loaded
 * definitions: one set of paths per unified resource with its request, response and filter schemas; the
 * meta, proxy, account and health routes. Regenerated after every reload, so it always says what is served.
 */
export function buildOpenApi(registry: Registry, version: string): Doc {
  const schemas: Record<string, unknown> = { ...SCHEMAS };
  const paths: Record<string, Doc> = {};
  const integrations = [...registry.integrations.keys()].sort();
  for (const [key, unified] of [...registry.unifiedSchemas].sort(([a], [b]) => a.localeCompare(b))) {
    const name = key.replace('/', '.');
    schemas[`${name}.create_request`] = requestDef(unified, 'create');
    schemas[`${name}.update_request`] = requestDef(unified, 'update');
    schemas[`${name}.response`] = responseSchema(unified, undefined);
    schemas[`${name}.list`] = {
      type: 'object',
      required: ['result', 'next_cursor', 'result_count'],
      properties: {
        result: { description: 'The page; an object keyed by truto_key_by when given.', oneOf: [{ type: 'array', items: ref('schemas', `${name}.response`) }, { type: 'object', additionalProperties: ref('schemas', `${name}.response`) }] },
        next_cursor: { type: ['string', 'null'] },
        result_count: { type: 'integer' },
        is_partial_response: { type: 'boolean' },
      },
    };
    Object.assign(paths, resourcePaths(key, name, unified, integrations));
  }
  Object.assign(paths, proxyPaths(), accountPaths(), publicPaths());
  return {
    openapi: '3.1.0',
    info: { title: 'unimap unified API', version, description: 'One model for many SaaS tools: the unified API of the unimap engine, wire-compatible with the reference product\'s SDK.' },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key from `unimap keys create`.' } },
      schemas,
      parameters: PARAMETERS,
      headers: HEADERS,
      responses: RESPONSES,
    },
  };
}

function resourcePaths(key: string, name: string, unified: UnifiedSchema, integrations: string[]): Record<string, Doc> {
  const base = `/unified/${key}`;
  const filters = Object.entries(unified.document.$defs['list_query']?.properties ?? {}).map(([filter, { description, ...schema }]) => ({
    name: filter, in: 'query', description: description ?? 'A unified filter.', schema,
  }));
  const record = (status: string, description: string, extra: Operation = {}) => ({ [status]: { description, content: { 'application/json': { schema: ref('schemas', `${name}.response`) } }, ...extra } });
  const warned = { headers: { 'X-Unimap-Warnings': ref('headers', 'warnings') } };
  const idParam = { name: 'id', in: 'path', required: true, description: 'The id of the record.', schema: { type: 'string' } };
  const methodParam = { name: 'method', in: 'path', required: true, schema: { type: 'string', enum: ['list', 'get', 'create', 'update', 'delete'] } };
  return {
    [base]: {
      get: op(`List ${key}`, `${name}.list`, [...LIST_OPTIONS.map(param), ...filters], { 200: { description: 'A page of records.', content: { 'application/json': { schema: ref('schemas', `${name}.list`) } } } }),
      post: op(`Create ${key}`, `${name}.create`, WRITE_OPTIONS.map(param), record('201', 'The created record.', warned), { requestBody: body(`${name}.create_request`) }),
    },
    [`${base}/{id}`]: {
      parameters: [idParam],
      get: op(`Get one of ${key}`, `${name}.get`, READ_OPTIONS.map(param), record('200', 'The record.')),
      patch: op(`Update one of ${key}`, `${name}.update`, WRITE_OPTIONS.map(param), record('200', 'The updated record.', warned), { requestBody: body(`${name}.update_request`) }),
      delete: op(`Delete one of ${key}`, `${name}.delete`, READ_OPTIONS.map(param), { 200: { description: 'The id of the deleted record.', content: { 'application/json': { schema: ref('schemas', 'Deleted') } } } }),
      post: op(`Call a custom method of ${key}`, `${name}.custom`, [{ ...idParam, description: 'For POST: the name of a custom method an integration defines.' }, ...WRITE_OPTIONS.map(param)], {
        200: { description: 'What the custom method answers.', content: { 'application/json': { schema: {} } } },
      }, { requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } }),
    },
    [`${base}/meta/{method}`]: {
      get: op(`What a method of ${key} accepts and answers, for the account's integration (or across integrations without one)`, `${name}.meta`, [{ ...PARAMETERS['integrated_account_id'], required: false }, methodParam], metaAnswer()),
    },
    [`${base}/{integration}/meta/{method}`]: {
      get: op(`What a method of ${key} accepts and answers for one integration`, `${name}.integration_meta`, [{ name: 'integration', in: 'path', required: true, schema: { type: 'string', enum: integrations } }, methodParam], metaAnswer()),
    },
  };
}

function proxyPaths(): Record<string, Doc> {
  const passthrough = (what: string) => Object.fromEntries(['get', 'post', 'put', 'patch', 'delete'].map((verb) => [verb, op(`${verb.toUpperCase()} ${what} at the provider with the account's auth`, `proxy.${what === 'a path' ? 'path' : 'record'}.${verb}`, [param('integrated_account_id')], {
    default: { description: 'The provider\'s answer, untouched (status, body, content type).', content: { '*/*': { schema: {} } } },
  })]));
  const segment = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
  return {
    '/proxy/{resource}': { parameters: [segment('resource', 'A path under the account\'s base URL (it may span several segments).')], ...passthrough('a path') },
    '/proxy/{resource}/{id}': { parameters: [segment('resource', 'A path under the account\'s base URL.'), segment('id', 'The last segment, URL-encoded.')], ...passthrough('a record') },
  };
}

function accountPaths(): Record<string, Doc> {
  const account = { content: { 'application/json': { schema: ref('schemas', 'IntegratedAccount') } } };
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const paths: Record<string, Doc> = {};
  for (const [base, tag] of [['/integrated-accounts', 'accounts'], ['/integrated-account', 'account']] as const) {
    const alias = tag === 'account' ? ' (the reference SDK\'s path)' : '';
    paths[base] = {
      get: op(`List the tenant's integrated accounts${alias}`, `${tag}.list`, [param('limit'), param('next_cursor'), { name: 'integration', in: 'query', schema: { type: 'string' } }], { 200: { description: 'A page of accounts.', content: { 'application/json': { schema: ref('schemas', 'IntegratedAccountList') } } } }),
      post: op(`Create an integrated account${alias}`, `${tag}.create`, [param('idempotency_key')], { 201: { description: 'The account, secrets left out.', ...account } }, { requestBody: body('IntegratedAccountInput') }),
    };
    paths[`${base}/{id}`] = {
      parameters: [idParam],
      get: op(`Get an integrated account${alias}`, `${tag}.get`, [], { 200: { description: 'The account, secrets left out.', ...account } }),
      patch: op(`Change an integrated account${alias}`, `${tag}.update`, [param('idempotency_key')], { 200: { description: 'The account, secrets left out.', ...account } }, { requestBody: body('IntegratedAccountPatch') }),
      delete: op(`Delete an integrated account${alias}`, `${tag}.delete`, [], { 200: { description: 'The id of the deleted account.', content: { 'application/json': { schema: ref('schemas', 'Deleted') } } } }),
    };
  }
  paths['/oauth/authorize'] = {
    post: op('Start connecting an account through OAuth (authorization code)', 'oauth.authorize', [], {
      201: { description: 'The provider\'s consent URL (a single-use state, 10 minutes) to send the person to.', content: { 'application/json': { schema: ref('schemas', 'OAuthAuthorization') } } },
    }, { requestBody: body('OAuthAuthorizeInput') }),
  };
  return paths;
}

function publicPaths(): Record<string, Doc> {
  const open = (summary: string, operationId: string, description: string) => ({ get: { ...op(summary, operationId, [], { 200: { description, content: { 'application/json': { schema: { type: 'object' } } } } }), security: [] } });
  return {
    '/openapi.json': open('This document', 'openapi', 'The OpenAPI 3.1 document of the definitions being served.'),
    '/health': open('Liveness', 'health', 'The process answers.'),
    '/ready': open('Readiness', 'ready', 'Definitions loaded and the store answers (503 while closing).'),
    '/oauth/callback': {
      get: {
        ...op('Where the provider sends the person back: the code is exchanged and the account stored', 'oauth.callback', ['code', 'state', 'error', 'error_description'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), {
          200: { description: 'The reconnected account (no return_url was given).', content: { 'application/json': { schema: ref('schemas', 'IntegratedAccount') } } },
          201: { description: 'The new account (no return_url was given).', content: { 'application/json': { schema: ref('schemas', 'IntegratedAccount') } } },
          302: { description: 'Back to the return_url, with integrated_account_id, or error and error_description.' },
        }),
        security: [],
      },
    },
  };
}

function op(summary: string, operationId: string, parameters: unknown[], responses: Record<string, unknown>, extra: Operation = {}): Operation {
  return { summary, operationId, parameters, ...extra, responses: { ...responses, default: ref('responses', 'Error') } };
}

function param(name: string): unknown {
  return ref('parameters', name);
}

function body(schema: string): Operation {
  return { required: true, content: { 'application/json': { schema: ref('schemas', schema) } } };
}

function metaAnswer(): Record<string, unknown> {
  return { 200: { description: 'The method\'s description.', content: { 'application/json': { schema: ref('schemas', 'Meta') } } } };
}
