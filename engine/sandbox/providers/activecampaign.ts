import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * ActiveCampaign's API v3 users as its reference documents them: the Api-Token header, { user } envelopes,
 * string ids, limit/offset pages (default 20, at most 100) with meta.total, 422 { errors: [...] } for invalid
 * input, { message } for 403 and 404.
 */
type AcUser = Record<string, unknown> & { id: string; username: string; email: string };

const BASE = '/api/3';

const fieldError = (title: string, code: string, field: string) => ({ title, detail: '', code, source: { pointer: `/data/attributes/${field}` } });
const notFound = (id: string) => ({ message: `No Result found for User with id ${id}` });
/** ActiveCampaign dates carry the account's offset, e.g. 2022-02-02T16:01:44-06:00. */
const now = () => new Date(Date.now() - 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '-06:00');

/** The fields ActiveCampaign answers with; the password is never returned. */
function present(user: AcUser, origin: string): Record<string, unknown> {
  const { password: _password, group: _group, ...visible } = user;
  const links = Object.fromEntries(['lists', 'userGroup', 'dealGroupTotals', 'dealGroupUsers', 'configs'].map((rel) => [rel, `${origin}${BASE}/users/${user.id}/${rel}`]));
  return { ...visible, links, id: user.id };
}

export const activecampaignSimulator: ProviderSimulator = {
  name: 'activecampaign',
  authenticate(request, credentials) {
    if (request.headers['api-token'] === credentials['api_token']) return null;
    return { status: 403, body: { message: 'You are not authorized to access this resource' } };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const find = (id: string) => sim.store.get(id) as AcUser | undefined;
    const users = () => sim.store.all() as AcUser[];

    app.get(`${BASE}/users`, async (request, reply) => {
      const query = request.query as Record<string, string>;
      const limit = Math.min(Math.max(Number(query['limit'] ?? 20) || 20, 1), 100);
      const offset = Math.max(Number(query['offset'] ?? 0) || 0, 0);
      const all = users();
      const page = all.slice(offset, offset + limit).map((u) => present(u, sim.origin()));
      return reply.send({ users: page, meta: { total: String(all.length) } });
    });

    app.get(`${BASE}/users/:id`, async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      return user ? reply.send({ user: present(user, sim.origin()) }) : reply.code(404).send(notFound(id));
    });

    app.post(`${BASE}/users`, async (request, reply) => {
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      const blank = (v: unknown) => v === undefined || v === null || v === '';
      const errors = ['username', 'email', 'firstName', 'lastName', 'password']
        .filter((field) => blank(input[field]))
        .map((field) => fieldError(`The user ${field} was not provided.`, 'field_missing', field));
      if (errors.length > 0) return reply.code(422).send({ errors });
      if (users().some((u) => u.username === input['username'])) {
        return reply.code(422).send({ errors: [fieldError('The username is already in use.', 'duplicate', 'username')] });
      }
      if (users().some((u) => u.email === input['email'])) {
        return reply.code(422).send({ errors: [fieldError('The email address is already in use.', 'duplicate', 'email')] });
      }
      const id = String(sim.store.nextId('', true));
      const at = now();
      const user: AcUser = {
        username: String(input['username']),
        email: String(input['email']),
        firstName: input['firstName'],
        lastName: input['lastName'],
        phone: '',
        signature: null,
        lang: 'english',
        localZoneid: 'America/New_York',
        mfaEnabled: '0',
        cdate: at,
        udate: at,
        id,
        password: input['password'],
        group: input['group'] ?? null,
      };
      sim.store.insert(id, user);
      return reply.code(201).send({ user: present(user, sim.origin()) });
    });

    app.put(`${BASE}/users/:id`, async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound(id));
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      if (input['email'] !== undefined && users().some((u) => u !== user && u.email === input['email'])) {
        return reply.code(422).send({ errors: [fieldError('The email address is already in use.', 'duplicate', 'email')] });
      }
      // The username cannot be changed; ActiveCampaign ignores it on update.
      for (const field of ['email', 'firstName', 'lastName', 'password', 'group']) if (input[field] !== undefined) user[field] = input[field];
      user['udate'] = now();
      const group = String(user['group'] ?? '');
      const userGroups = group ? [{ userid: id, groupid: group, links: {}, id: group, group, user: id }] : [];
      return reply.send({ userGroups, user: { ...present(user, sim.origin()), ...(group ? { userGroup: group } : {}) } });
    });

    app.delete(`${BASE}/users/:id`, async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!find(id)) return reply.code(404).send(notFound(id));
      sim.store.delete(id);
      return reply.send({});
    });
  },
};
