import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Freshdesk API v2 agents as developers.freshdesk.com documents them: Basic auth with the API key and "X",
 * page/per_page pagination with a Link rel="next" header, agents holding a contact, the default roles,
 * validation errors as { description, errors: [{ field, message, code }] }, 409 for a taken email, empty 404s.
 */
type FreshdeskAgent = Record<string, unknown> & { id: number; contact: Record<string, unknown> };

const ROLES = [
  { id: 43000000001, name: 'Account Administrator', description: 'Has complete control over the help desk including access to Account or Billing related information, and receives Invoices.', default: true },
  { id: 43000000002, name: 'Administrator', description: 'Can configure all features through the Admin tab, but is restricted from viewing Account or Billing related information.', default: true },
  { id: 43000000003, name: 'Supervisor', description: 'Can perform all agent related activities and access reports, but cannot access or change configurations in the Admin tab.', default: true },
  { id: 43000000004, name: 'Agent', description: 'Can log, view, reply, update and resolve tickets and manage contacts.', default: true },
];
const AGENT_TYPES: Record<number, string> = { 1: 'support_agent', 2: 'field_agent', 3: 'collaborator' };
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type FieldError = { field: string; message: string; code: string };
const validationFailed = (errors: FieldError[]) => ({ description: 'Validation failed', errors });

export const freshdeskSimulator: ProviderSimulator = {
  name: 'freshdesk',
  authenticate(request, credentials) {
    if (request.headers.authorization === `Basic ${Buffer.from(`${credentials['api_key']}:X`).toString('base64')}`) return null;
    return { status: 401, body: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' } };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const find = (id: string) => sim.store.get(id) as FreshdeskAgent | undefined;
    const emailTaken = (email: string, except?: FreshdeskAgent) =>
      (sim.store.all() as FreshdeskAgent[]).some((a) => a !== except && String(a.contact['email']).toLowerCase() === email.toLowerCase());
    const at = () => now();
    const stamp = ROLES.map((r) => ({ ...r, created_at: '2015-08-18T16:18:05Z', updated_at: '2015-08-18T16:18:05Z' }));

    app.get('/api/v2/roles', async (_request, reply) => reply.send(stamp));

    app.get('/api/v2/agents', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const perPage = Number(query['per_page'] ?? 30);
      const page = Number(query['page'] ?? 1);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
        return reply.code(400).send(validationFailed([{ field: 'per_page', message: 'It should be a Positive Integer less than or equal to 100', code: 'invalid_value' }]));
      }
      let agents = sim.store.all() as FreshdeskAgent[];
      if (query['email']) agents = agents.filter((a) => String(a.contact['email']).toLowerCase() === query['email']!.toLowerCase());
      const slice = agents.slice((page - 1) * perPage, page * perPage);
      if (page * perPage < agents.length) {
        const extra = query['email'] ? `&email=${encodeURIComponent(query['email'])}` : '';
        reply.header('link', `<${sim.origin()}/api/v2/agents?per_page=${perPage}&page=${page + 1}${extra}>; rel="next"`);
      }
      return reply.send(slice);
    });

    app.post('/api/v2/agents', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors: FieldError[] = [];
      if (body['email'] === undefined || body['email'] === null) errors.push({ field: 'email', message: 'It should be a/an String', code: 'missing_field' });
      else if (typeof body['email'] !== 'string' || !EMAIL.test(body['email'])) errors.push({ field: 'email', message: 'It should be a valid email address', code: 'invalid_value' });
      if (body['ticket_scope'] === undefined || body['ticket_scope'] === null) errors.push({ field: 'ticket_scope', message: 'It should be one of these values: \'1,2,3\'', code: 'missing_field' });
      else if (![1, 2, 3].includes(body['ticket_scope'] as number)) errors.push({ field: 'ticket_scope', message: 'It should be one of these values: \'1,2,3\'', code: 'invalid_value' });
      for (const field of ['phone', 'mobile', 'job_title']) {
        if (field in body) errors.push({ field, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
      }
      if (errors.length > 0) return reply.code(400).send(validationFailed(errors));
      const email = body['email'] as string;
      if (emailTaken(email)) return reply.code(409).send(validationFailed([{ field: 'email', message: 'It should be a unique value', code: 'duplicate_value' }]));
      const id = Number(sim.store.nextId('', true)) + 43000000000;
      const created = at();
      const agent: FreshdeskAgent = {
        available: false, // takes no new tickets (ticket assignment), which says nothing about being active
        occasional: body['occasional'] === true,
        deactivated: false, // true once an admin deactivates the agent (it then cannot sign in)
        id,
        ticket_scope: body['ticket_scope'],
        signature: typeof body['signature'] === 'string' ? body['signature'] : null,
        group_ids: Array.isArray(body['group_ids']) ? body['group_ids'] : [],
        role_ids: Array.isArray(body['role_ids']) && body['role_ids'].length > 0 ? body['role_ids'] : [ROLES[3]!.id],
        skill_ids: Array.isArray(body['skill_ids']) ? body['skill_ids'] : [],
        available_since: null,
        contact: {
          active: false, // becomes true once the agent verifies the activation email
          email,
          job_title: null,
          language: typeof body['language'] === 'string' ? body['language'] : 'en',
          last_login_at: null,
          mobile: null,
          name: typeof body['name'] === 'string' && body['name'] ? body['name'] : email.split('@')[0],
          phone: null,
          time_zone: typeof body['time_zone'] === 'string' ? body['time_zone'] : 'Eastern Time (US & Canada)',
          created_at: created,
          updated_at: created,
        },
        created_at: created,
        updated_at: created,
        type: AGENT_TYPES[(body['agent_type'] as number) ?? 1] ?? 'support_agent',
        focus_mode: true,
      };
      sim.store.insert(id, agent);
      return reply.code(201).send(agent);
    });

    app.get('/api/v2/agents/:id', async (request, reply) => {
      const agent = find((request.params as { id: string }).id);
      return agent ? reply.send(agent) : reply.code(404).send();
    });

    app.put('/api/v2/agents/:id', async (request, reply) => {
      const agent = find((request.params as { id: string }).id);
      if (!agent) return reply.code(404).send();
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors: FieldError[] = [];
      for (const field of ['name', 'phone', 'mobile', 'job_title', 'agent_type']) {
        if (field in body) errors.push({ field, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
      }
      if ('email' in body && (typeof body['email'] !== 'string' || !EMAIL.test(body['email']))) errors.push({ field: 'email', message: 'It should be a valid email address', code: 'invalid_value' });
      if (errors.length > 0) return reply.code(400).send(validationFailed(errors));
      if (typeof body['email'] === 'string' && emailTaken(body['email'], agent)) {
        return reply.code(409).send(validationFailed([{ field: 'email', message: 'It should be a unique value', code: 'duplicate_value' }]));
      }
      for (const key of ['ticket_scope', 'occasional', 'signature', 'group_ids', 'role_ids', 'skill_ids', 'focus_mode']) if (key in body) agent[key] = body[key];
      for (const key of ['email', 'language', 'time_zone']) if (key in body) agent.contact[key] = body[key];
      agent['updated_at'] = agent.contact['updated_at'] = at();
      return reply.send(agent);
    });

    app.delete('/api/v2/agents/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      // The agent is downgraded to a contact: it leaves the agent list.
      return sim.store.delete(id) ? reply.code(204).send() : reply.code(404).send();
    });
  },
};
