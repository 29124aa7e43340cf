import { stringify } from 'yaml';
import { EXAMPLE_ID, type ScaffoldModel } from './scaffold-model';

const errorBody = (message: string, code: string) => ({ error: { message, code } });

/** The made-up provider's error answers: the same in the simulator description and in the fixtures. */
function errors(model: ScaffoldModel) {
  const noun = model.resource.replace(/s$/, '');
  return {
    unauthorized: { status: 401, body: errorBody('Invalid API token', 'unauthorized') },
    not_found: { status: 404, body: errorBody(`No ${noun} with id {id}`, 'not_found') },
    invalid: { status: 422, body: errorBody('{field} is required', 'invalid') },
  };
}

/**
 * The simulator description (schemas/simulator.schema.json): the provider as data, for a local simulator that
 * engine/sandbox/describe.ts builds. It describes the same provider as the definition and fixtures.
 */
export function renderSimulatorDescription(model: ScaffoldModel): string {
  const description = {
    unimap: 1,
    resource: `${model.category}/${model.resource}`,
    auth: { type: 'header', header: 'Authorization', value: 'Bearer {api_token}' },
    routes: {
      list: { method: 'GET', path: model.path },
      get: { method: 'GET', path: `${model.path}/:id` },
      create: { method: 'POST', path: model.path, status: 201 },
      update: { method: 'PATCH', path: `${model.path}/:id` },
      delete: { method: 'DELETE', path: `${model.path}/:id`, status: 204 },
    },
    envelope: { list: 'data' },
    record: {
      id: { field: 'id', type: 'integer' },
      required: model.required,
      ...('status' in model.example ? { defaults: { status: model.example['status'] } } : {}),
      ...('createdAt' in model.example ? { timestamps: { created: 'createdAt', updated: 'updatedAt' } } : {}),
      example: model.example,
    },
    pagination: { type: 'page', page_param: 'page', limit_param: 'per_page', start: 1, default_limit: 50, max_limit: 100 },
    errors: errors(model),
  };
  return [
    '# yaml-language-server: $schema=../../../schemas/simulator.schema.json',
    `# ${model.label} as a local simulator sees it (engine/sandbox/describe.ts): routes, record shape, auth, pages,`,
    '# error bodies. TODO make it say what the provider really does; the fixtures beside it answer with record.example.',
    stringify(description, { lineWidth: 0, aliasDuplicateObjects: false }),
  ].join('\n');
}

/**
 * Conformance cases: one success and one error per method, answered as the simulator description says. The
 * expected results are filled in by running the stub mapping (`unimap test --update` does the same later).
 */
export function renderFixtureFile(model: ScaffoldModel, existing?: { context: Record<string, unknown> }): string {
  const { path, example } = model;
  const item = `${path}/${EXAMPLE_ID}`;
  const failures = errors(model);
  const error = (status: number, body: unknown) => ({ status, body: fill(body, { id: EXAMPLE_ID, field: model.required[0] ?? 'name' }) });
  const expectError = (status: number) => ({ error: 'UNIMAP_E_REMOTE_HTTP', message: `${model.label} answered ${status}` });
  // for an integration that exists, its own fixture context; its auth is whatever it is, so no header is pinned
  const context = existing?.context ?? { api_token: 'fixture-token-0123456789' };
  const headers = existing ? {} : { headers: { Authorization: 'Bearer fixture-token-0123456789' } };
  const cases = [
    { name: 'list maps a page of records', method: 'list', exchanges: [{ request: { method: 'GET', path, ...headers }, response: { status: 200, body: { data: [example] } } }], expect: { result: null } },
    { name: 'list with a bad token is the provider\'s 401', method: 'list', exchanges: [{ request: { method: 'GET', path }, response: error(401, failures.unauthorized.body) }], expect: expectError(401) },
    { name: 'get maps one record', method: 'get', id: EXAMPLE_ID, exchanges: [{ request: { method: 'GET', path: item }, response: { status: 200, body: example } }], expect: { result: null } },
    { name: 'get of an unknown id is the provider\'s 404', method: 'get', id: EXAMPLE_ID, exchanges: [{ request: { method: 'GET', path: item }, response: error(404, failures.not_found.body) }], expect: expectError(404) },
    { name: 'create sends the mapped body and maps the created record', method: 'create', body: {}, exchanges: [{ request: { method: 'POST', path }, response: { status: 201, body: example } }], expect: { result: null } },
    { name: 'create the provider refuses is its 422', method: 'create', body: {}, exchanges: [{ request: { method: 'POST', path }, response: error(422, failures.invalid.body) }], expect: expectError(422) },
    { name: 'update sends the changed fields and maps the answer', method: 'update', id: EXAMPLE_ID, body: {}, exchanges: [{ request: { method: 'PATCH', path: item }, response: { status: 200, body: example } }], expect: { result: null } },
    { name: 'update of an unknown id is the provider\'s 404', method: 'update', id: EXAMPLE_ID, body: {}, exchanges: [{ request: { method: 'PATCH', path: item }, response: error(404, failures.not_found.body) }], expect: expectError(404) },
    { name: 'delete answers the id', method: 'delete', id: EXAMPLE_ID, exchanges: [{ request: { method: 'DELETE', path: item }, response: { status: 204 } }], expect: { result: null } },
    { name: 'delete of an unknown id is the provider\'s 404', method: 'delete', id: EXAMPLE_ID, exchanges: [{ request: { method: 'DELETE', path: item }, response: error(404, failures.not_found.body) }], expect: expectError(404) },
  ];
  return [
    '# yaml-language-server: $schema=../../../schemas/fixture.schema.json',
    `# ${model.label} conformance cases: the unified call, the remote exchanges in order, the expected result or error.`,
    '# TODO when a mapping is filled in: give create and update a real unified body, and pin the remote body it must',
    '# become in their request (`body:`, or `body_partial: true` for a subset); then',
    `# \`npx unimap test --integration ${model.name} --update\` rewrites the expected results (read the diff).`,
    stringify({ unimap: 1, resource: `${model.category}/${model.resource}`, context, cases }, { lineWidth: 0, aliasDuplicateObjects: false }),
  ].join('\n');
}

function fill(value: unknown, values: Record<string, string>): unknown {
  return JSON.parse(JSON.stringify(value).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole));
}
