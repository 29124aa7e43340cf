import Ajv2020 from 'ajv/dist/2020';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { load as loadYaml } from 'js-yaml';
import { readFileSync } from 'node:fs';
import simulatorSchema from '../../schemas/simulator.schema.json';
import { scimError, scimSimulator, type ScimSimulatorOptions } from '../../engine/sandbox/scim';
import type { ProviderSimulator, SimulatorCredentials, SimulatorState } from '../../engine/sandbox/simulator';

/**
 * A provider simulator built from a description (schemas/simulator.schema.json) instead of code: the routes of each
 * operation, where records sit in bodies, the record's id, required fields and timestamps, the auth rule, page
 * parameters and the provider's error bodies. `unimap new` writes one beside the fixtures it scaffolds.
 */
export interface SimulatorDescription {
  unimap: 1;
  resource: string;
  auth: { type: 'header' | 'basic' | 'query' | 'none'; header?: string; param?: string; value?: string; username?: string; password?: string };
  /** A SCIM 2.0 provider: the generic SCIM simulator (engine/sandbox/scim.ts) with this provider's quirks, instead of routes and record. */
  scim?: ScimDescription;
  routes: Partial<Record<Operation, { method: string; path: string; status?: number }>>;
  envelope?: { list?: string; record?: string; request?: string };
  record: {
    id?: { field?: string; type?: 'string' | 'integer'; prefix?: string };
    required?: string[];
    writable?: string[];
    defaults?: Record<string, unknown>;
    timestamps?: { created?: string; updated?: string };
    example: Record<string, unknown>;
  };
  pagination?: { type: 'none' | 'page' | 'offset'; page_param?: string; offset_param?: string; limit_param?: string; start?: number; default_limit?: number; max_limit?: number };
  errors: Record<'unauthorized' | 'not_found' | 'invalid', { status: number; body: unknown }>;
}

type Operation = 'list' | 'get' | 'create' | 'update' | 'delete';

/** The `scim` block of a description: ScimSimulatorOptions in the description's snake_case. */
export interface ScimDescription {
  base_path?: string;
  attributes?: string[];
  required?: string[];
  unique?: string[];
  filterable?: string[];
  filter_aliases?: Record<string, string>;
  paging?: { default_count?: number; max_count?: number };
  operations?: NonNullable<ScimSimulatorOptions['operations']>[number][];
  delete_mode?: 'remove' | 'deactivate';
  single_email?: boolean;
  ids?: { style: 'uuid' } | { style: 'counter'; prefix?: string };
  rate_limit?: { requests: number; window_seconds: number };
  meta?: boolean;
}

/** A SCIM provider's simulator from its description: the generic one, the description's auth rule, its quirks. */
function scimFromDescription(name: string, description: SimulatorDescription & { scim: ScimDescription }): ProviderSimulator {
  const s = description.scim;
  const simulator = scimSimulator({
    name,
    ...(s.base_path !== undefined ? { basePath: s.base_path } : {}),
    ...(s.attributes ? { attributes: s.attributes } : {}),
    ...(s.required ? { required: s.required } : {}),
    ...(s.unique ? { unique: s.unique } : {}),
    ...(s.filterable ? { filterable: s.filterable } : {}),
    ...(s.filter_aliases ? { filterAliases: s.filter_aliases } : {}),
    ...(s.paging ? { paging: { ...(s.paging.default_count !== undefined ? { defaultCount: s.paging.default_count } : {}), ...(s.paging.max_count !== undefined ? { maxCount: s.paging.max_count } : {}) } } : {}),
    ...(s.operations ? { operations: s.operations } : {}),
    ...(s.delete_mode ? { deleteMode: s.delete_mode } : {}),
    ...(s.single_email !== undefined ? { singleEmail: s.single_email } : {}),
    ...(s.ids ? { ids: s.ids } : {}),
    ...(s.rate_limit ? { rateLimit: { requests: s.rate_limit.requests, windowSeconds: s.rate_limit.window_seconds } } : {}),
    ...(s.meta !== undefined ? { meta: s.meta } : {}),
    auth: { value: '' },
  });
  const unauthorized = description.errors?.unauthorized ?? { status: 401, body: scimError(401, 'Authorization failure. The authorization header is invalid or missing.') };
  return {
    ...simulator,
    authenticate(request, credentials) {
      // the budget (429) is counted before credentials are checked, as the providers' gateways do
      const limited = simulator.authenticate(request, credentials);
      if (limited && limited.status === 429) return limited;
      if (matchesAuth(description.auth, request, credentials)) return null;
      return { status: unauthorized.status, body: unauthorized.body };
    },
  };
}
type Row = Record<string, unknown>;

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(simulatorSchema);

/** Read and check a description file; a problem is thrown with the JSON pointer at fault. */
export function readSimulatorDescription(file: string): SimulatorDescription {
  const value = loadYaml(readFileSync(file, 'utf8'));
  if (!validate(value)) {
    const first = validate.errors![0]!;
    throw new TypeError(`${file}: ${first.instancePath || '/'} ${first.message ?? 'is invalid'}`);
  }
  return value as unknown as SimulatorDescription;
}

export function simulatorFromDescription(name: string, description: SimulatorDescription): ProviderSimulator {
  if (description.scim) return scimFromDescription(name, description as SimulatorDescription & { scim: ScimDescription });
  const { record, envelope = {}, errors } = description;
  const idField = record.id?.field ?? 'id';
  const stamps = [record.timestamps?.created, record.timestamps?.updated].filter((f): f is string => f !== undefined);
  const writable = record.writable ?? Object.keys(record.example).filter((f) => f !== idField && !stamps.includes(f));
  const fill = (text: unknown, values: Record<string, string>): unknown => fillPlaceholders(text, values);
  const wrap = (key: string | undefined, value: unknown) => (key ? { [key]: value } : value);
  const fieldsOf = (body: unknown): Row => {
    const inner = envelope.request && isRow(body) ? body[envelope.request] : body;
    return isRow(inner) ? Object.fromEntries(Object.entries(inner).filter(([k]) => writable.includes(k))) : {};
  };
  return {
    name,
    authenticate(request, credentials) {
      if (matchesAuth(description.auth, request, credentials)) return null;
      return { status: errors.unauthorized.status, body: errors.unauthorized.body };
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      const route = (operation: Operation, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => {
        const def = description.routes[operation];
        if (def) app.route({ method: def.method as 'GET', url: def.path, handler: async (request, reply) => handler(request, reply) });
      };
      const notFound = (reply: FastifyReply, id: string) => reply.code(errors.not_found.status).send(fill(errors.not_found.body, { id }));
      const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
      const now = () => new Date().toISOString();

      route('list', (request, reply) => {
        const page = pageOf(description.pagination, request.query as Record<string, string>, sim.store.all());
        return reply.code(description.routes.list!.status ?? 200).send(wrap(envelope.list, page));
      });
      route('get', (request, reply) => {
        const found = sim.store.get(idOf(request));
        return found ? reply.code(description.routes.get!.status ?? 200).send(wrap(envelope.record, found)) : notFound(reply, idOf(request));
      });
      route('create', (request, reply) => {
        const fields = fieldsOf(request.body);
        const missing = (record.required ?? []).find((f) => fields[f] === undefined || fields[f] === null || fields[f] === '');
        if (missing) return reply.code(errors.invalid.status).send(fill(errors.invalid.body, { field: missing }));
        const id = record.id?.type === 'integer' ? sim.store.nextId('', true) : String(sim.store.nextId(record.id?.prefix ?? ''));
        const at = now();
        const created: Row = { [idField]: id, ...record.defaults, ...fields, ...Object.fromEntries(stamps.map((f) => [f, at])) };
        sim.store.insert(id, created);
        return reply.code(description.routes.create!.status ?? 201).send(wrap(envelope.record, created));
      });
      route('update', (request, reply) => {
        const found = sim.store.get(idOf(request));
        if (!found) return notFound(reply, idOf(request));
        Object.assign(found, fieldsOf(request.body), record.timestamps?.updated ? { [record.timestamps.updated]: now() } : {});
        return reply.code(description.routes.update!.status ?? 200).send(wrap(envelope.record, found));
      });
      route('delete', (request, reply) => {
        if (!sim.store.delete(idOf(request))) return notFound(reply, idOf(request));
        return reply.code(description.routes.delete!.status ?? 204).send();
      });
    },
  };
}

function matchesAuth(auth: SimulatorDescription['auth'], request: FastifyRequest, credentials: SimulatorCredentials): boolean {
  const expected = (text: string | undefined) => String(fillPlaceholders(text ?? '', credentials));
  switch (auth.type) {
    case 'none':
      return true;
    case 'header':
      return request.headers[(auth.header ?? 'authorization').toLowerCase()] === expected(auth.value);
    case 'query':
      return (request.query as Record<string, string>)[auth.param ?? ''] === expected(auth.value);
    case 'basic':
      return request.headers.authorization === `Basic ${Buffer.from(`${expected(auth.username)}:${expected(auth.password)}`).toString('base64')}`;
  }
}

function pageOf(pagination: SimulatorDescription['pagination'], query: Record<string, string>, rows: Row[]): Row[] {
  if (!pagination || pagination.type === 'none') return rows;
  const asked = Number(query[pagination.limit_param ?? '']) || pagination.default_limit || 50;
  const limit = Math.min(asked, pagination.max_limit ?? asked);
  if (pagination.type === 'offset') {
    const start = pagination.start ?? 0;
    const offset = Math.max(0, (Number(query[pagination.offset_param ?? '']) || start) - start);
    return rows.slice(offset, offset + limit);
  }
  const start = pagination.start ?? 1;
  const page = Math.max(start, Number(query[pagination.page_param ?? '']) || start);
  return rows.slice((page - start) * limit, (page - start + 1) * limit);
}

/** `{name}` in strings (at any depth) replaced by the value of that name. */
function fillPlaceholders(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, values));
  if (isRow(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  return value;
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
