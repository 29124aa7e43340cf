import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * ServiceNow's Table API on sys_user: Basic auth or an OAuth bearer token, { result } envelopes, every value a string
 * ("true"/"false", "2026-07-14 00:25:28" in UTC), sysparm_limit/sysparm_offset paging with Link and X-Total-Count
 * headers, encoded queries in sysparm_query, and { error: { message, detail }, status: "failure" } error bodies.
 *
 * The simulated instance has a data policy that makes User ID (user_name) mandatory, as many instances do, and
 * sys_user's unique index on user_name; both answer 403 "Operation Failed" like a real instance.
 */
type SnUser = Record<string, unknown> & { sys_id: string; user_name: string };

const snError = (message: string, detail: string) => ({ error: { message, detail }, status: 'failure' });
const NOT_FOUND = snError('No Record found', "Record doesn't exist or ACL restricts the record retrieval");
const stamp = () => new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');

/** Fields a caller may write (others are ignored, as ServiceNow ignores unknown fields). */
const WRITABLE = ['user_name', 'first_name', 'last_name', 'middle_name', 'email', 'active', 'title', 'phone', 'mobile_phone', 'preferred_language', 'time_zone', 'locked_out'];

export const servicenowSimulator: ProviderSimulator = {
  name: 'servicenow',
  authenticate(request, credentials) {
    const header = request.headers.authorization ?? '';
    const basic = `Basic ${Buffer.from(`${credentials['username']}:${credentials['password']}`).toString('base64')}`;
    if (header === basic || (credentials['access_token'] && header === `Bearer ${credentials['access_token']}`)) return null;
    return { status: 401, body: snError('User Not Authenticated', 'Required to provide Auth information') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as SnUser[];
    const find = (id: string) => sim.store.get(id) as SnUser | undefined;
    const origin = (request: FastifyRequest) => `${sim.origin()}${request.url.split('?')[0]}`;

    app.get('/api/now/table/sys_user', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const limit = Number(query['sysparm_limit'] ?? 10000);
      const offset = Number(query['sysparm_offset'] ?? 0);
      const list = applyEncodedQuery(users(), query['sysparm_query'] ?? '');
      const page = list.slice(offset, offset + limit);
      const link = (at: number, rel: string) => {
        const params = new URLSearchParams({ ...query, sysparm_limit: String(limit), sysparm_offset: String(at) });
        return `<${origin(request)}?${params.toString()}>;rel="${rel}"`;
      };
      const links = [link(0, 'first')];
      if (offset > 0) links.push(link(Math.max(0, offset - limit), 'prev'));
      if (offset + limit < list.length) links.push(link(offset + limit, 'next'));
      links.push(link(Math.max(0, Math.floor((list.length - 1) / limit) * limit), 'last'));
      return reply.header('Link', links.join(',')).header('X-Total-Count', String(list.length)).send({ result: page });
    });

    app.post('/api/now/table/sys_user', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const fields = writable(body);
      if (!fields['user_name']) {
        return reply.code(403).send(snError('Operation Failed', 'Data Policy Exception: \n\tThe following fields are mandatory: User ID\n'));
      }
      if (users().some((u) => u.user_name === fields['user_name'])) {
        return reply.code(403).send(snError('Operation Failed', `Error during insert of sys_user (${String(fields['user_name'])})`));
      }
      const sysId = randomBytes(16).toString('hex');
      const at = stamp();
      const user: SnUser = {
        sys_id: sysId,
        user_name: '',
        first_name: '',
        middle_name: '',
        last_name: '',
        email: '',
        active: 'true',
        locked_out: 'false',
        title: '',
        phone: '',
        mobile_phone: '',
        photo: '',
        avatar: '',
        preferred_language: '',
        time_zone: '',
        roles: '',
        sys_class_name: 'sys_user',
        sys_domain: { link: `${sim.origin()}/api/now/table/sys_user_group/global`, value: 'global' },
        sys_domain_path: '/',
        sys_created_by: 'admin',
        sys_created_on: at,
        sys_updated_by: 'admin',
        sys_updated_on: at,
        sys_mod_count: '0',
        sys_tags: '',
        ...fields,
      };
      user['name'] = fullName(user);
      sim.store.insert(sysId, user);
      return reply.code(201).header('Location', `${sim.origin()}/api/now/table/sys_user/${sysId}`).send({ result: user });
    });

    app.get('/api/now/table/sys_user/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      return user ? reply.send({ result: user }) : reply.code(404).send(NOT_FOUND);
    });

    app.patch('/api/now/table/sys_user/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      if (!user) return reply.code(404).send(NOT_FOUND);
      const fields = writable((request.body ?? {}) as Record<string, unknown>);
      if (fields['user_name'] !== undefined && users().some((u) => u !== user && u.user_name === fields['user_name'])) {
        return reply.code(403).send(snError('Operation Failed', `Error during update of sys_user (${user.user_name})`));
      }
      Object.assign(user, fields);
      user['name'] = fullName(user);
      user['sys_mod_count'] = String(Number(user['sys_mod_count']) + 1);
      user['sys_updated_on'] = stamp();
      return reply.send({ result: user });
    });

    app.delete('/api/now/table/sys_user/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!find(id)) return reply.code(404).send(NOT_FOUND);
      sim.store.delete(id);
      return reply.code(204).send();
    });
  },
};

/** Writable fields, every value stored as ServiceNow stores it: a string (true → "true"). */
function writable(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of WRITABLE) if (body[key] !== undefined && body[key] !== null) out[key] = String(body[key]);
  return out;
}

/** sys_user.name is calculated: first, middle and last name joined. */
function fullName(user: Record<string, unknown>): string {
  return [user['first_name'], user['middle_name'], user['last_name']].filter((v) => typeof v === 'string' && v !== '').join(' ');
}

/** The encoded-query subset the mapping sends: field=value clauses joined by ^ ('^^' is a literal caret), ORDERBY. */
function applyEncodedQuery(list: SnUser[], encoded: string): SnUser[] {
  const clauses = encoded.replace(/\^\^/g, '\u0000').split('^').map((c) => c.replace(/\u0000/g, '^')).filter(Boolean);
  let out = [...list];
  for (const clause of clauses) {
    const order = /^ORDERBY(DESC)?(\w+)$/.exec(clause);
    if (order) {
      const [, desc, field] = order as unknown as [string, string | undefined, string];
      out.sort((a, b) => String(a[field] ?? '').localeCompare(String(b[field] ?? '')) * (desc ? -1 : 1));
      continue;
    }
    const eq = /^(\w+)=(.*)$/.exec(clause);
    if (eq) out = out.filter((u) => String(u[eq[1]!] ?? '') === eq[2]);
  }
  return out;
}
