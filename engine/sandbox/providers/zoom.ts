import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Zoom's Users API (v2): OAuth bearer tokens, page_size/next_page_token paging (active users unless a status
 * is asked for), 204 answers to PATCH/status/DELETE, and Zoom's error body { code, message[, errors] }.
 */
type ZoomUser = Record<string, unknown> & { id: string; email: string; status: string; type: number };

const zoomError = (code: number, message: string, errors?: { field: string; message: string }[]) => ({ code, message, ...(errors ? { errors } : {}) });
const validation = (field: string) => zoomError(300, 'Validation Failed.', [{ field, message: 'Invalid field.' }]);
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const USER_TYPES = [1, 2, 4, 99];
const ACTIONS = ['create', 'autoCreate', 'custCreate', 'ssoCreate'];

export const zoomSimulator: ProviderSimulator = {
  name: 'zoom',
  authenticate(request, credentials) {
    if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
    return { status: 401, body: zoomError(124, 'Invalid access token.') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as ZoomUser[];
    /** Zoom accepts a user id or an email address as userId. */
    const find = (userId: string) => (sim.store.get(userId) as ZoomUser | undefined) ?? users().find((u) => u.email.toLowerCase() === userId.toLowerCase());
    const notFound = (userId: string) => zoomError(1001, `User does not exist: ${userId}.`);

    app.get('/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const status = query['status'] ?? 'active';
      if (!['active', 'inactive', 'pending'].includes(status)) return reply.code(400).send(validation('status'));
      const pageSize = Math.min(Number(query['page_size'] ?? 30), 300);
      const list = users().filter((u) => u.status === status);
      let start = 0;
      if (query['next_page_token']) {
        const decoded = Number(Buffer.from(query['next_page_token'], 'base64url').toString('utf8').replace(/^offset:/, ''));
        if (!Number.isInteger(decoded)) return reply.code(400).send(zoomError(300, 'The next page token is invalid or expired.'));
        start = decoded;
      }
      const page = list.slice(start, start + pageSize);
      const more = start + pageSize < list.length;
      return reply.send({
        next_page_token: more ? Buffer.from(`offset:${start + pageSize}`).toString('base64url') : '',
        page_count: Math.ceil(list.length / pageSize),
        page_number: Math.floor(start / pageSize) + 1,
        page_size: pageSize,
        total_records: list.length,
        users: page.map(({ language: _language, phone_numbers: _phones, ...summary }) => summary),
      });
    });

    app.post('/users', async (request, reply) => {
      const body = (request.body ?? {}) as { action?: string; user_info?: Record<string, unknown> };
      if (!body.action || !ACTIONS.includes(body.action)) return reply.code(400).send(validation('action'));
      const info = body.user_info ?? {};
      if (typeof info['email'] !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(info['email'])) return reply.code(400).send(validation('user_info.email'));
      if (!USER_TYPES.includes(info['type'] as number)) return reply.code(400).send(validation('user_info.type'));
      if (find(info['email'])) return reply.code(409).send(zoomError(1005, `User already in the account: ${info['email']}`));
      const id = `${String(sim.store.nextId('zU')).slice(0, 6)}${Math.random().toString(36).slice(2, 18)}`;
      const at = now();
      const user: ZoomUser = {
        id,
        first_name: info['first_name'] ?? '',
        last_name: info['last_name'] ?? '',
        display_name: info['display_name'] ?? [info['first_name'], info['last_name']].filter(Boolean).join(' '),
        email: info['email'],
        type: info['type'] as number,
        pmi: 6589310093,
        timezone: '',
        verified: 0,
        dept: '',
        created_at: at,
        user_created_at: at,
        last_login_time: null,
        pic_url: '',
        language: 'en-US',
        phone_numbers: [],
        status: body.action === 'create' ? 'pending' : 'active',
        role_id: '2',
        role_name: 'Member',
        account_id: 'abcD3ojfdbjfg',
        group_ids: [],
      } as unknown as ZoomUser;
      sim.store.insert(id, user);
      return reply.code(201).send({ id, first_name: user['first_name'], last_name: user['last_name'], email: user.email, type: user.type });
    });

    app.get('/users/:userId', async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      return user ? reply.send(user) : reply.code(404).send(notFound(userId));
    });

    app.patch('/users/:userId', async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      if (!user) return reply.code(404).send(notFound(userId));
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply.code(400).send(zoomError(300, 'Request Body should be a valid JSON object.'));
      const patch = body as Record<string, unknown>;
      if ('type' in patch && !USER_TYPES.includes(patch['type'] as number)) return reply.code(400).send(validation('type'));
      if ('email' in patch) return reply.code(400).send(validation('email'));
      Object.assign(user, patch);
      return reply.code(204).send();
    });

    app.put('/users/:userId/status', async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      if (!user) return reply.code(404).send(notFound(userId));
      const action = (request.body as { action?: unknown } | undefined)?.action;
      if (action !== 'activate' && action !== 'deactivate') return reply.code(400).send(validation('action'));
      user.status = action === 'activate' ? 'active' : 'inactive';
      return reply.code(204).send();
    });

    app.delete('/users/:userId', async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      if (!user) return reply.code(404).send(notFound(userId));
      const action = (request.query as Record<string, string>)['action'] ?? 'disassociate';
      if (action !== 'delete' && action !== 'disassociate') return reply.code(400).send(validation('action'));
      sim.store.delete(user.id);
      return reply.code(204).send();
    });
  },
};
