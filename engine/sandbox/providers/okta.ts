import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/** Okta's Users API as documented in its management OpenAPI spec: SSWS tokens, Link pagination, E0000xxx errors. */
type OktaUser = Record<string, unknown> & { id: string; status: string; profile: Record<string, unknown> };

const oktaError = (code: string, summary: string, causes: string[] = []) => ({
  errorCode: code,
  errorSummary: summary,
  errorLink: code,
  errorId: `oae${Math.random().toString(36).slice(2, 14)}`,
  errorCauses: causes.map((errorSummary) => ({ errorSummary })),
});

const notFound = (id: string) => oktaError('E0000007', `Not found: Resource not found: ${id} (User)`);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, '.000Z');

export const oktaSimulator: ProviderSimulator = {
  name: 'okta',
  authenticate(request, credentials) {
    if (request.headers.authorization === `SSWS ${credentials['api_token']}`) return null;
    return { status: 401, body: oktaError('E0000011', 'Invalid token provided') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const find = (id: string) => sim.store.get(id) as OktaUser | undefined;

    app.get('/api/v1/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const limit = Math.min(Number(query['limit'] ?? 200), 200);
      let users = sim.store.all() as OktaUser[];
      const filter = query['search'] ?? query['filter'];
      const matches = filter ? parseSearch(filter) : undefined;
      if (filter && !matches) return reply.code(400).send(oktaError('E0000031', 'Invalid search criteria.'));
      if (matches) users = users.filter(matches);
      else users = users.filter((u) => u.status !== 'DEPROVISIONED');
      const start = query['after'] ? users.findIndex((u) => u.id === query['after']) + 1 : 0;
      const page = users.slice(start, start + limit);
      const self = `${sim.origin()}/api/v1/users?limit=${limit}`;
      const links = [`<${self}>; rel="self"`];
      if (start + limit < users.length && page.length > 0) {
        const extra = filter ? `&search=${encodeURIComponent(filter)}` : '';
        links.push(`<${sim.origin()}/api/v1/users?after=${page[page.length - 1]!.id}&limit=${limit}${extra}>; rel="next"`);
      }
      return reply.header('link', links).send(page);
    });

    app.post('/api/v1/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const body = (request.body ?? {}) as { profile?: Record<string, unknown>; credentials?: { password?: { value?: string } } };
      const profile = body.profile ?? {};
      const blank = ['login', 'email', 'firstName', 'lastName'].filter((f) => profile[f] === undefined || profile[f] === null || profile[f] === '');
      if (blank.length > 0) {
        return reply.code(400).send(oktaError('E0000001', `Api validation failed: ${blank[0]}`, blank.map((f) => `${f}: The field cannot be left blank`)));
      }
      if (sim.store.find((u) => (u as OktaUser).profile['login'] === profile['login'])) {
        return reply.code(400).send(oktaError('E0000001', 'Api validation failed: login', ['login: An object with this field already exists in the current organization']));
      }
      const id = String(sim.store.nextId('00u'));
      const activate = query['activate'] !== 'false';
      const status = !activate ? 'STAGED' : body.credentials?.password?.value ? 'ACTIVE' : 'PROVISIONED';
      const at = now();
      const user: OktaUser = {
        id,
        status,
        created: at,
        activated: activate ? at : null,
        statusChanged: activate ? at : null,
        lastLogin: null,
        lastUpdated: at,
        passwordChanged: body.credentials?.password?.value ? at : null,
        type: { id: 'oty1162QAr8hJjTaq0g4' },
        profile: { mobilePhone: null, secondEmail: null, ...profile },
        credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
        _links: { self: { href: `${sim.origin()}/api/v1/users/${id}` } },
      };
      return reply.send(sim.store.insert(id, user));
    });

    app.get('/api/v1/users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id) ?? (sim.store.all() as OktaUser[]).find((u) => u.profile['login'] === id);
      return user ? reply.send(user) : reply.code(404).send(notFound(id));
    });

    app.post('/api/v1/users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound(id));
      const body = (request.body ?? {}) as { profile?: Record<string, unknown>; credentials?: { password?: { value?: string } } };
      const login = body.profile?.['login'];
      if (login !== undefined && sim.store.find((u) => u !== user && (u as OktaUser).profile['login'] === login)) {
        return reply.code(400).send(oktaError('E0000001', 'Api validation failed: login', ['login: An object with this field already exists in the current organization']));
      }
      user.profile = { ...user.profile, ...body.profile };
      user['lastUpdated'] = now();
      if (body.credentials?.password?.value) user['passwordChanged'] = user['lastUpdated']; // an administrator's set password
      return reply.send(user);
    });

    // Lifecycle operations: [operation, statuses it accepts, resulting status] as Okta documents them.
    const lifecycle: [string, string[], string][] = [
      ['deactivate', ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'SUSPENDED'], 'DEPROVISIONED'],
      ['suspend', ['ACTIVE'], 'SUSPENDED'],
      ['unsuspend', ['SUSPENDED'], 'ACTIVE'],
      ['activate', ['STAGED', 'DEPROVISIONED'], 'PROVISIONED'],
      ['reactivate', ['PROVISIONED'], 'PROVISIONED'],
    ];
    for (const [operation, from, to] of lifecycle) {
      app.post(`/api/v1/users/:id/lifecycle/${operation}`, async (request, reply) => {
        const { id } = request.params as { id: string };
        const user = find(id);
        if (!user) return reply.code(404).send(notFound(id));
        if (!from.includes(user.status)) {
          return reply.code(400).send(oktaError('E0000001', `Api validation failed: ${operation}`, [`The user is ${user.status}; ${operation} needs ${from.join(' or ')}`]));
        }
        user.status = to;
        user['statusChanged'] = now();
        return reply.send({});
      });
    }

    app.delete('/api/v1/users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound(id));
      if (user.status !== 'DEPROVISIONED') user.status = 'DEPROVISIONED';
      else sim.store.delete(id);
      return reply.code(204).send();
    });
  },
};

/**
 * The search forms the mapping sends: `attribute eq|gt "string"` clauses (JSON string literals, so `\"` is a quote
 * inside the value) joined by `and`. Anything else is not understood here: undefined, answered as Okta's 400.
 */
function parseSearch(search: string): ((user: OktaUser) => boolean) | undefined {
  const clauses: ((user: OktaUser) => boolean)[] = [];
  let rest = search.trim();
  for (;;) {
    const m = /^(\S+)\s+(eq|gt)\s+("(?:[^"\\]|\\.)*")\s*/i.exec(rest);
    if (!m) return undefined;
    const [whole, field, op, literal] = m as unknown as [string, string, string, string];
    let value: string;
    try {
      value = JSON.parse(literal) as string;
    } catch {
      return undefined;
    }
    clauses.push((user) => {
      const actual = field.startsWith('profile.') ? user.profile[field.slice(8)] : user[field];
      return op.toLowerCase() === 'eq' ? actual === value : String(actual) > value;
    });
    rest = rest.slice(whole.length);
    if (rest === '') return (user) => clauses.every((clause) => clause(user));
    const and = /^and\s+/i.exec(rest);
    if (!and) return undefined;
    rest = rest.slice(and[0].length);
  }
}
