import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Zendesk Support's Users API as its OpenAPI spec and reference describe it: Basic auth with "{email}/token:{token}",
 * { user } / { users } envelopes, cursor pagination (page[size], page[after], meta, links) beside offset pagination,
 * soft deletes, group memberships, and Zendesk's error bodies.
 */
type ZendeskUser = Record<string, unknown> & { id: number; name: string; email: string | null; active: boolean };

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const notFound = { error: 'RecordNotFound', description: 'Not found' };
const invalid = (details: Record<string, { description: string; error?: string }[]>) => ({
  error: 'RecordInvalid',
  description: 'Record validation errors',
  details,
});

/** Role ids Zendesk reports in role_type: 0 custom agent, 1 light agent, 4 admin; null for end users and plain agents. */
const ROLE_TYPES: Record<string, number | null> = { 'end-user': null, agent: null, admin: 4 };
const LIGHT_AGENT_ROLE_ID = 360000000001;

export const zendeskSimulator: ProviderSimulator = {
  name: 'zendesk',
  authenticate(request, credentials) {
    const expected = `Basic ${Buffer.from(`${credentials['email']}/token:${credentials['api_token']}`).toString('base64')}`;
    if (request.headers.authorization === expected) return null;
    return { status: 401, body: { error: "Couldn't authenticate you" } };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const memberships = new Map<number, { id: number; group_id: number; default: boolean; created_at: string; updated_at: string }[]>();
    let membershipCounter = 5000;
    const find = (id: string) => sim.store.get(id) as ZendeskUser | undefined;
    const url = (id: number) => `${sim.origin()}/api/v2/users/${id}.json`;
    const emailTaken = (email: unknown, except?: ZendeskUser) =>
      typeof email === 'string' && (sim.store.all() as ZendeskUser[]).some((u) => u !== except && u.active && String(u.email).toLowerCase() === email.toLowerCase());
    const duplicate = (email: string) => invalid({ email: [{ description: `Email: ${email} is already being used by another user`, error: 'DuplicateValue' }] });

    app.get('/api/v2/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const users = (sim.store.all() as ZendeskUser[]).filter((u) => u.active);
      const base = `${sim.origin()}/api/v2/users.json`;
      if (query['page[size]'] !== undefined) {
        // Cursor pagination: opaque cursors (base64 of the last id), meta.has_more, links.next.
        const size = Number(query['page[size]']);
        if (!Number.isInteger(size) || size < 1 || size > 100) {
          return reply.code(400).send({ error: 'InvalidPaginationParameter', description: 'page[size] must be between 1 and 100' });
        }
        const after = query['page[after]'] ? Number(Buffer.from(query['page[after]'], 'base64url').toString()) : undefined;
        const start = after === undefined ? 0 : users.findIndex((u) => u.id === after) + 1;
        const page = users.slice(start, start + size);
        const hasMore = start + size < users.length;
        const cursor = (u: ZendeskUser | undefined) => (u ? Buffer.from(String(u.id)).toString('base64url') : null);
        const afterCursor = cursor(page[page.length - 1]);
        const beforeCursor = cursor(page[0]);
        return reply.send({
          users: page,
          meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
          links: {
            next: hasMore ? `${base}?page%5Bafter%5D=${afterCursor}&page%5Bsize%5D=${size}` : null,
            prev: beforeCursor ? `${base}?page%5Bbefore%5D=${beforeCursor}&page%5Bsize%5D=${size}` : null,
          },
        });
      }
      // Offset pagination (no page[size]): page / per_page, next_page as a full URL, count.
      const perPage = Math.min(Number(query['per_page'] ?? 100), 100);
      const pageNumber = Number(query['page'] ?? 1);
      const page = users.slice((pageNumber - 1) * perPage, pageNumber * perPage);
      const more = pageNumber * perPage < users.length;
      return reply.send({
        users: page,
        next_page: more ? `${base}?page=${pageNumber + 1}&per_page=${perPage}` : null,
        previous_page: pageNumber > 1 ? `${base}?page=${pageNumber - 1}&per_page=${perPage}` : null,
        count: users.length,
      });
    });

    app.post('/api/v2/users', async (request, reply) => {
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      if (typeof input['name'] !== 'string' || input['name'].trim() === '') {
        return reply.code(422).send(invalid({ name: [{ description: 'Name:  is too short (minimum is 1 character)' }] }));
      }
      if (emailTaken(input['email'])) return reply.code(422).send(duplicate(String(input['email'])));
      const id = Number(sim.store.nextId('', true)) * 1000 + 7;
      const at = now();
      const role = typeof input['role'] === 'string' ? input['role'] : 'end-user';
      const customRoleId = typeof input['custom_role_id'] === 'number' ? input['custom_role_id'] : null;
      const user: ZendeskUser = {
        id,
        url: url(id),
        name: input['name'],
        email: typeof input['email'] === 'string' ? input['email'] : null,
        created_at: at,
        updated_at: at,
        time_zone: 'Eastern Time (US & Canada)',
        iana_time_zone: 'America/New_York',
        phone: null,
        shared_phone_number: null,
        photo: input['remote_photo_url'] ? { content_url: input['remote_photo_url'], content_type: 'image/png' } : null,
        locale_id: 1,
        locale: typeof input['locale'] === 'string' ? input['locale'] : 'en-US',
        organization_id: null,
        role,
        verified: false,
        external_id: null,
        tags: [],
        alias: typeof input['alias'] === 'string' ? input['alias'] : '',
        active: true,
        shared: false,
        shared_agent: false,
        last_login_at: null,
        two_factor_auth_enabled: null,
        signature: null,
        details: '',
        notes: '',
        role_type: customRoleId === LIGHT_AGENT_ROLE_ID ? 1 : customRoleId ? 0 : ROLE_TYPES[role] ?? null,
        custom_role_id: customRoleId,
        moderator: role !== 'end-user',
        ticket_restriction: role === 'end-user' ? 'requested' : null,
        only_private_comments: false,
        restricted_agent: role === 'agent',
        suspended: input['suspended'] === true,
        default_group_id: null,
        report_csv: false,
        user_fields: {},
      };
      const groups = Array.isArray(input['group_ids']) ? (input['group_ids'] as number[]) : [];
      memberships.set(
        id,
        groups.map((groupId, i) => ({ id: ++membershipCounter, group_id: groupId, default: i === 0, created_at: at, updated_at: at })),
      );
      if (groups.length > 0) user['default_group_id'] = groups[0];
      sim.store.insert(id, user);
      return reply.code(201).send({ user });
    });

    app.get('/api/v2/users/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      return user ? reply.send({ user }) : reply.code(404).send(notFound);
    });

    app.put('/api/v2/users/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      if (!user) return reply.code(404).send(notFound);
      const input = ((request.body ?? {}) as { user?: Record<string, unknown> }).user ?? {};
      if ('name' in input && (typeof input['name'] !== 'string' || input['name'].trim() === '')) {
        return reply.code(422).send(invalid({ name: [{ description: 'Name:  is too short (minimum is 1 character)' }] }));
      }
      for (const key of ['name', 'alias', 'locale', 'role', 'custom_role_id', 'suspended', 'default_group_id'] as const) {
        if (key in input) (user as Record<string, unknown>)[key] = input[key];
      }
      if ('remote_photo_url' in input) user['photo'] = { content_url: input['remote_photo_url'], content_type: 'image/png' };
      if ('role' in input && !('custom_role_id' in input)) user['custom_role_id'] = null;
      const customRoleId = user['custom_role_id'];
      user['role_type'] = customRoleId === LIGHT_AGENT_ROLE_ID ? 1 : customRoleId ? 0 : ROLE_TYPES[String(user['role'])] ?? null;
      user['updated_at'] = now();
      return reply.send({ user });
    });

    app.delete('/api/v2/users/:id', async (request, reply) => {
      const user = find((request.params as { id: string }).id);
      if (!user || !user.active) return reply.code(404).send(notFound);
      user.active = false;
      user['updated_at'] = now();
      return reply.send({ user });
    });

    app.post('/api/v2/users/:id/password', async (request, reply: FastifyReply) => {
      const user = find((request.params as { id: string }).id);
      if (!user) return reply.code(404).send(notFound);
      const password = ((request.body ?? {}) as { password?: unknown }).password;
      if (typeof password !== 'string' || password.length < 5) {
        return reply.code(422).send(invalid({ password: [{ description: 'Password: is too short', error: 'InvalidValue' }] }));
      }
      return reply.code(200).send();
    });

    app.get('/api/v2/users/:id/group_memberships', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound);
      const list = (memberships.get(user.id) ?? []).map((m) => ({ url: `${sim.origin()}/api/v2/group_memberships/${m.id}.json`, user_id: user.id, ...m }));
      return reply.send({ group_memberships: list, next_page: null, previous_page: null, count: list.length });
    });
  },
};
