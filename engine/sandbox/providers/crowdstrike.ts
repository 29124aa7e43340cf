import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Fault, ProviderSimulator, SimulatorState } from '../simulator';

/**
 * CrowdStrike Falcon's User Management API (v1): ids first (queries/users/v1 with offset, limit and an FQL uid
 * filter), then users by id (entities/users/GET/v1, ids in the body), create, PATCH of the names and DELETE by
 * user_uuid, role grants; every body is { meta, resources, errors }. A description cannot say the two-step list.
 */
type Row = Record<string, unknown>;
const CID = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d';
const meta = (extra: Row = {}) => ({ query_time: 0.01, powered_by: 'csam', trace_id: randomUUID(), ...extra });
const answer = (resources: unknown[] | null, errors: { code: number; message: string }[] = []) => ({ meta: meta(), resources, errors });

/**
 * Falcon's answer past the API gateway's limit: 429 with X-RateLimit-Limit, X-RateLimit-Remaining 0 and
 * X-RateLimit-RetryAfter, the epoch second from which to retry (as falconpy, gofalcon and PSFalcon read it), and
 * the usual { meta, resources, errors } body. `retryAt` is that epoch second.
 */
export function falconRateLimited(retryAt: number): Fault {
  return {
    status: 429,
    headers: { 'X-RateLimit-Limit': '6000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-RetryAfter': String(retryAt) },
    body: { meta: meta({ powered_by: 'crowdstrike-api-gateway' }), errors: [{ code: 429, message: 'API rate limit exceeded.' }] },
  };
}

export const crowdstrikeSimulator: ProviderSimulator = {
  name: 'crowdstrike',
  authenticate(request, credentials) {
    if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
    return { status: 401, body: { meta: meta({ powered_by: 'crowdstrike-api-gateway' }), errors: [{ code: 401, message: 'access denied, invalid bearer token' }] } };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const notFound = (id: string) => answer([], [{ code: 404, message: `User with uuid ${id} not found` }]);
    app.get('/user-management/queries/users/v1', async (request) => {
      const query = request.query as Record<string, string>;
      const offset = Number(query['offset'] ?? 0);
      const limit = Math.min(Number(query['limit'] ?? 100), 500);
      const uid = /^uid:'((?:[^'\\]|\\.)*)'$/.exec(query['filter'] ?? '')?.[1]?.replace(/\\(.)/g, '$1');
      const ids = sim.store.all().filter((u) => uid === undefined || u['uid'] === uid).map((u) => u['uuid'] as string);
      return { meta: meta({ pagination: { offset, limit, total: ids.length } }), resources: ids.slice(offset, offset + limit), errors: [] };
    });
    app.post('/user-management/entities/users/GET/v1', async (request, reply) => {
      const ids = ((request.body as { ids?: string[] } | undefined)?.ids ?? []);
      const found = ids.map((id) => sim.store.get(id)).filter((u): u is Row => u !== undefined);
      return found.length === ids.length ? answer(found) : reply.code(404).send(notFound(ids.find((id) => !sim.store.get(id))!));
    });
    app.post('/user-management/entities/users/v1', async (request, reply) => {
      const body = (request.body ?? {}) as Row;
      if (typeof body['uid'] !== 'string' || !body['uid']) return reply.code(400).send(answer([], [{ code: 400, message: 'uid is required' }]));
      if (sim.store.find((u) => u['uid'] === body['uid'])) return reply.code(400).send(answer([], [{ code: 400, message: `User with uid ${String(body['uid'])} already exists` }]));
      const at = new Date().toISOString();
      const user = { uuid: randomUUID(), cid: CID, uid: body['uid'], first_name: body['first_name'], last_name: body['last_name'], status: 'active', created_at: at, updated_at: at, roles: [] as string[] };
      sim.store.insert(user.uuid, user);
      return reply.code(201).send(answer([user]));
    });
    app.patch('/user-management/entities/users/v1', async (request, reply) => {
      const id = (request.query as Record<string, string>)['user_uuid'] ?? '';
      const user = sim.store.get(id);
      if (!user) return reply.code(404).send(notFound(id));
      const body = (request.body ?? {}) as Row;
      for (const key of ['first_name', 'last_name']) if (typeof body[key] === 'string') user[key] = body[key];
      user['updated_at'] = new Date().toISOString();
      return answer([user]);
    });
    app.delete('/user-management/entities/users/v1', async (request, reply) => {
      const id = (request.query as Record<string, string>)['user_uuid'] ?? '';
      return sim.store.delete(id) ? answer(null) : reply.code(404).send(notFound(id));
    });
    app.post('/user-management/entities/user-role-actions/v1', async (request, reply) => {
      const body = (request.body ?? {}) as { action?: string; uuid?: string; role_ids?: string[] };
      const user = sim.store.get(body.uuid ?? '');
      if (!user) return reply.code(404).send(notFound(body.uuid ?? ''));
      if (body.action === 'grant') user['roles'] = [...new Set([...(user['roles'] as string[]), ...(body.role_ids ?? [])])];
      return answer(null);
    });
  },
};
