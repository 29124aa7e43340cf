import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';
import { matchesAuth } from './auth';
import { pageOf } from './pagination';
import { fillPlaceholders, isRow, readPath, writePath, type Row } from './paths';
import { createRateLimit } from './rate-limit';
import { recordShape, wrapAt, type RecordShape, type RequestedFields } from './records';
import type { AnswerKind, ErrorAnswer, ExtraRouteDescription, Operation, RouteDescription, SimulatorDescription } from './types';

const DEFAULT_STATUS: Record<Operation, number> = { list: 200, get: 200, create: 201, update: 200, delete: 204 };

/** A described REST provider: the routes of the description over the simulator's record store. */
export function restFromDescription(name: string, description: SimulatorDescription): ProviderSimulator {
  const { errors } = description;
  const shape = recordShape(description);
  const budget = description.rate_limit ? createRateLimit(description.rate_limit) : undefined;
  return {
    name,
    authenticate(request, credentials) {
      // the budget is counted before credentials are checked, as the providers' gateways do
      const limited = budget?.take();
      if (limited) return limited;
      if (matchesAuth(description.auth, request, credentials)) return null;
      return { status: errors.unauthorized.status, body: errors.unauthorized.body };
    },
    contentParsers(app: FastifyInstance) {
      // JSON:API clients send application/vnd.api+json (Outreach asks for it), which is JSON
      app.addContentTypeParser('application/vnd.api+json', { parseAs: 'string' }, (_request, text, done) => {
        try {
          done(null, text === '' ? undefined : JSON.parse(String(text)));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      // JSON:API's own media type for a client that asks for it (Outreach); Datadog's clients ask for JSON
      if (shape.jsonapiType !== undefined) app.addHook('onSend', async (request, reply, payload) => {
        const asked = String(request.headers.accept ?? '').includes('application/vnd.api+json');
        if (asked && String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.type('application/vnd.api+json');
        return payload;
      });
      new DescribedRoutes(description, shape, sim).register(app);
    },
  };
}

class DescribedRoutes {
  constructor(
    private readonly description: SimulatorDescription,
    private readonly shape: RecordShape,
    private readonly sim: SimulatorState,
  ) {}

  register(app: FastifyInstance): void {
    const { routes } = this.description;
    const add = (route: { method: string; path: string } | undefined, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => {
      if (route) app.route({ method: route.method as 'GET', url: route.path, handler: async (request, reply) => handler(request, reply) });
    };
    add(routes.list, (q, r) => this.list(q, r, routes.list!));
    add(routes.get, (q, r) => this.get(q, r, routes.get!));
    add(routes.create, (q, r) => this.create(q, r, routes.create!));
    // Trello adds and changes a membership with the same PUT: the create route then updates a record it finds
    if (!sameRoute(routes.update, routes.create)) add(routes.update, (q, r) => this.update(q, r, routes.update!));
    add(routes.delete, (q, r) => this.remove(q, r, routes.delete!));
    for (const extra of this.description.extra_routes ?? []) add(extra, (request, reply) => this.change(request, reply, extra));
  }

  private list(request: FastifyRequest, reply: FastifyReply, route: RouteDescription) {
    const query = request.query as Record<string, string>;
    const filters = Object.entries(this.description.filters ?? {}).filter(([param]) => query[param] !== undefined && query[param] !== '');
    const rows = this.sim.store.all().filter((row) => filters.every(([param, field]) => String(readPath(row, field) ?? '').toLowerCase() === query[param]!.toLowerCase()));
    const page = pageOf(this.description.pagination, query, request.url, this.sim.origin(), rows);
    const body = this.listBody(page.rows, route);
    if (isRow(body)) page.annotate(body);
    return reply.code(route.status ?? DEFAULT_STATUS.list).headers(page.headers).send(body);
  }

  private get(request: FastifyRequest, reply: FastifyReply, route: RouteDescription) {
    const id = this.pathId(request) ?? '';
    const row = this.sim.store.get(id);
    return row ? this.answer(reply, route, 'get', row) : this.fail(reply, this.description.errors.not_found, { id });
  }

  private create(request: FastifyRequest, reply: FastifyReply, route: RouteDescription) {
    const { errors, record } = this.description;
    const requested = this.shape.requested(request.body);
    const problem = this.typeProblem(requested) ?? (record.required ?? []).find((f) => isBlank(requested.fields[f]));
    if (problem) return this.fail(reply, errors.invalid, { field: problem });
    const given = this.pathId(request) ?? (record.id?.from ? requested.fields[record.id.from] : undefined);
    if (record.id?.from && isBlank(given)) return this.fail(reply, errors.invalid, { field: record.id.from });
    const id = (given as string | number | undefined) ?? this.shape.newId(this.sim.store);
    const existing = this.sim.store.get(id);
    if (existing && errors.conflict) return this.fail(reply, errors.conflict, { id: String(id) });
    if (existing) {
      this.shape.change(existing, requested);
      return this.answer(reply, route, 'create', existing);
    }
    return this.answer(reply, route, 'create', this.sim.store.insert(id, this.shape.build(id, requested)));
  }

  private update(request: FastifyRequest, reply: FastifyReply, route: RouteDescription) {
    const requested = this.shape.requested(request.body);
    const problem = this.typeProblem(requested);
    if (problem) return this.fail(reply, this.description.errors.invalid, { field: problem });
    // Power BI names the user in the body of PUT /groups/{groupId}/users, not in the path
    const from = this.description.record.id?.from;
    const named = this.pathId(request) ?? (from ? requested.fields[from] : undefined);
    const id = named === undefined || named === null ? '' : String(named);
    const row = this.sim.store.get(id);
    if (!row) return this.fail(reply, this.description.errors.not_found, { id });
    this.shape.change(row, requested);
    return this.answer(reply, route, 'update', row);
  }

  private remove(request: FastifyRequest, reply: FastifyReply, route: RouteDescription) {
    const id = this.pathId(request) ?? '';
    const row = this.sim.store.get(id);
    if (!row) return this.fail(reply, this.description.errors.not_found, { id });
    if (route.deactivates) Object.assign(row, route.deactivates);
    else this.sim.store.delete(id);
    return this.answer(reply, route, 'delete', row);
  }

  /** An extra route: the request's writable fields merged into the record named by :id. */
  private change(request: FastifyRequest, reply: FastifyReply, route: ExtraRouteDescription) {
    const id = this.pathId(request) ?? '';
    const row = this.sim.store.get(id);
    if (!row) return this.fail(reply, this.description.errors.not_found, { id });
    const fields = isRow(request.body) ? Object.fromEntries(Object.entries(request.body).filter(([k]) => route.writable.includes(k))) : {};
    Object.assign(row, fields);
    const answer = route.answer ?? 'record';
    reply.code(route.status ?? 200);
    if (answer === 'empty') return reply.send();
    return reply.send(answer === 'fields' ? fields : wrapAt(this.shape.recordPath, this.shape.present(row)));
  }

  /** The answer of a route that acted on one record, as the route describes it. */
  private answer(reply: FastifyReply, route: RouteDescription, operation: Operation, row: Row) {
    const kind: AnswerKind = route.answer ?? (operation === 'delete' ? 'empty' : 'record');
    const id = this.shape.idOf(row);
    reply.code(route.status ?? DEFAULT_STATUS[operation]);
    if (kind === 'empty' && !route.answer_fields) return reply.send();
    let body: unknown;
    switch (kind) {
      case 'record':
        body = wrapAt(route.envelope ?? this.shape.recordPath, this.shape.present(row));
        break;
      case 'id':
        body = { id };
        break;
      case 'list':
        body = this.listBody(this.sim.store.all(), route);
        break;
      default:
        body = {};
    }
    if (isRow(body)) writeFields(body, route.answer_fields, String(id));
    return reply.send(body);
  }

  private listBody(rows: Row[], route: RouteDescription): unknown {
    const body = wrapAt(route.envelope ?? this.shape.listPath, rows.map((row) => this.shape.present(row)));
    if (isRow(body)) writeFields(body, route.answer_fields, '');
    return body;
  }

  /** A JSON:API request whose resource type is not the described one (JSON:API answers it as a conflict; described as invalid). */
  private typeProblem(requested: RequestedFields): string | undefined {
    return this.shape.jsonapiType !== undefined && requested.type !== this.shape.jsonapiType ? 'type' : undefined;
  }

  private pathId(request: FastifyRequest): string | undefined {
    return (request.params as { id?: string }).id;
  }

  private fail(reply: FastifyReply, error: ErrorAnswer, values: Record<string, string>) {
    return reply.code(error.status).send(fillPlaceholders(error.body, values));
  }
}

function writeFields(body: Row, fields: Row | undefined, id: string): void {
  for (const [path, value] of Object.entries(fields ?? {})) writePath(body, path, fillPlaceholders(value, { id }));
}

function sameRoute(a: { method: string; path: string } | undefined, b: { method: string; path: string } | undefined): boolean {
  return a !== undefined && b !== undefined && a.method === b.method && a.path === b.path;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
