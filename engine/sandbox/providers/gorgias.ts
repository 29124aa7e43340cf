import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Gorgias's Users API: HTTP Basic auth (account email + REST API key), users ordered by name:asc by default,
 * cursor pagination ({ data, meta: { prev_cursor, next_cursor }, object: "list", uri }), naive UTC datetimes with
 * microseconds, one role per user, and { error: { msg, data: { field: [problems] } } } error bodies.
 */
type GorgiasUser = Record<string, unknown> & { id: number; email: string; name: string; role: { name: string } };

const ROLES = ['admin', 'agent', 'basic-agent', 'lite-agent', 'observer-agent'];
const gorgiasError = (msg: string, data?: Record<string, unknown>) => ({ error: { msg, ...(data ? { data } : {}) } });
const NOT_FOUND = gorgiasError('Resource not found.');
const MISSING = ['Missing data for required field.'];
/** "2019-04-13T03:27:56.973873": what Gorgias shows on users. */
const stamp = () => new Date().toISOString().replace('Z', '000');

export const gorgiasSimulator: ProviderSimulator = {
  name: 'gorgias',
  authenticate(request, credentials) {
    const expected = `Basic ${Buffer.from(`${credentials['email']}:${credentials['api_key']}`).toString('base64')}`;
    if (request.headers.authorization === expected) return null;
    return { status: 401, body: gorgiasError('Unauthorized') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as GorgiasUser[];
    const find = (id: string) => sim.store.get(id) as GorgiasUser | undefined;

    app.get('/api/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const limit = query['limit'] === undefined ? 30 : Number(query['limit']);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
        return reply.code(400).send(gorgiasError('Invalid query parameters.', { limit: ['Must be greater than or equal to 1 and less than or equal to 100.'] }));
      }
      let list = [...users()].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
      if (query['email']) list = list.filter((u) => u.email.toLowerCase() === query['email']!.toLowerCase());
      let start = 0;
      if (query['cursor']) {
        const match = /^next__(\d+)$/.exec(Buffer.from(query['cursor'], 'base64').toString('utf8'));
        if (!match) return reply.code(400).send(gorgiasError('Invalid query parameters.', { cursor: ['Invalid cursor.'] }));
        start = list.findIndex((u) => u.id === Number(match[1])) + 1;
      }
      const page = list.slice(start, start + limit);
      const last = page[page.length - 1];
      const more = start + limit < list.length && last !== undefined;
      return reply.send({
        data: page,
        meta: {
          prev_cursor: start > 0 && page[0] ? Buffer.from(`prev__${page[0].id}`).toString('base64') : null,
          next_cursor: more ? Buffer.from(`next__${last.id}`).toString('base64') : null,
        },
        object: 'list',
        uri: request.url,
      });
    });

    app.post('/api/users', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const role = body['role'] as { name?: unknown } | undefined;
      const problems: Record<string, unknown> = {};
      for (const field of ['email', 'name', 'role']) if (body[field] === undefined || body[field] === null || body[field] === '') problems[field] = MISSING;
      if (role && !ROLES.includes(String(role.name))) problems['role'] = { name: [`Must be one of: ${ROLES.join(', ')}.`] };
      if (Object.keys(problems).length > 0) return reply.code(400).send(gorgiasError('Failed to create user', problems));
      if (users().some((u) => u.email.toLowerCase() === String(body['email']).toLowerCase())) {
        return reply.code(409).send(gorgiasError('Failed to create user', { email: ['A user with this email address already exists.'] }));
      }
      const id = sim.store.nextId('', true) as number;
      const at = stamp();
      const name = String(body['name']);
      const user: GorgiasUser = {
        id,
        active: true,
        bio: (body['bio'] as string | undefined) ?? null,
        country: (body['country'] as string | undefined) ?? null,
        created_datetime: at,
        deactivated_datetime: null,
        email: String(body['email']),
        external_id: (body['external_id'] as string | undefined) ?? null,
        ...names(name),
        language: (body['language'] as string | undefined) ?? null,
        meta: (body['meta'] as Record<string, unknown> | undefined) ?? {},
        name,
        role: { name: String(role!.name) },
        timezone: (body['timezone'] as string | undefined) ?? 'UTC',
        updated_datetime: at,
      };
      return reply.code(201).send(sim.store.insert(id, user));
    });

    app.get('/api/users/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      return user ? reply.send(user) : reply.code(404).send(NOT_FOUND);
    });

    app.put('/api/users/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      if (!user) return reply.code(404).send(NOT_FOUND);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (body['email'] !== undefined && body['email'] !== user.email && !body['password_confirmation']) {
        return reply.code(400).send(gorgiasError('Failed to update user', { password_confirmation: MISSING }));
      }
      const role = body['role'] as { name?: unknown } | undefined;
      if (role && !ROLES.includes(String(role.name))) {
        return reply.code(400).send(gorgiasError('Failed to update user', { role: { name: [`Must be one of: ${ROLES.join(', ')}.`] } }));
      }
      for (const field of ['bio', 'country', 'external_id', 'language', 'meta', 'timezone']) if (field in body) user[field] = body[field];
      if (typeof body['name'] === 'string') Object.assign(user, { name: body['name'] }, names(body['name']));
      if (role) user.role = { name: String(role.name) };
      user['updated_datetime'] = stamp();
      return reply.code(202).send(user);
    });

    app.delete('/api/users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!find(id)) return reply.code(404).send(NOT_FOUND);
      sim.store.delete(id);
      return reply.code(204).send();
    });
  },
};

/** Gorgias derives firstname and lastname from the full name. */
function names(name: string): { firstname: string; lastname: string } {
  const [first = '', ...rest] = name.trim().split(/\s+/);
  return { firstname: first, lastname: rest.join(' ') };
}
