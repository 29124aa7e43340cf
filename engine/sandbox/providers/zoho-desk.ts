import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Zoho Desk's Agents API (v1) as its API reference and OpenAPI descriptions show it: "Zoho-oauthtoken" auth plus the
 * orgId header, from (1-based) / limit paging with records under data and 204 past the end, string ids, activation
 * through /agents/{id}/deactivate and /agents/activate, deletion of unconfirmed agents only, and Zoho's error bodies.
 */
type ZohoAgent = Record<string, unknown> & { id: string; emailId: string; status: string; isConfirmed: boolean };

type FieldError = { fieldName: string; errorType: 'invalid' | 'duplicate' | 'missing'; errorMessage: string };
const invalidData = (errors: FieldError[]) => ({ errorCode: 'INVALID_DATA', message: 'An invalid value was provided for one or more fields.', errors });
const notFound = { errorCode: 'URL_NOT_FOUND', message: 'The URL you requested could not be found. Please check the URL and try again.' };
const unprocessable = (message: string) => ({ errorCode: 'UNPROCESSABLE_ENTITY', message });

const PERMISSION_TYPES = ['AgentPublic', 'AgentPersonal', 'AgentTeamPersonal', 'Admin', 'Custom', 'Light'];
const PROFILES: Record<string, string> = { Admin: '1892000000056091', Light: '1892000000056095', default: '1892000000056093' };
const ROLES: Record<string, string> = { Admin: '1892000000056099', default: '1892000000056101' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const zohoDeskSimulator: ProviderSimulator = {
  name: 'zoho-desk',
  authenticate(request, credentials) {
    if (request.headers.authorization !== `Zoho-oauthtoken ${credentials['access_token']}`) {
      return { status: 401, body: { errorCode: 'INVALID_OAUTH', message: 'The OAuth Token you provided is invalid.' } };
    }
    if (request.headers['orgid'] !== credentials['org_id']) {
      return { status: 400, body: { errorCode: 'OAUTH_ORG_MISMATCH', message: 'The OAuth token does not belong to the organization given in the orgId header.' } };
    }
    return null;
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const find = (id: string) => sim.store.get(id) as ZohoAgent | undefined;
    const emailTaken = (email: unknown, except?: ZohoAgent) =>
      typeof email === 'string' && (sim.store.all() as ZohoAgent[]).some((a) => a !== except && a.status !== 'DELETED' && a.emailId.toLowerCase() === email.toLowerCase());

    /** Zoho Desk's checks shared by add and update; `adding` also demands the mandatory fields. */
    const check = (body: Record<string, unknown>, adding: boolean, except?: ZohoAgent): FieldError[] => {
      const errors: FieldError[] = [];
      const missing = (field: string) => adding && (body[field] === undefined || body[field] === null || body[field] === '' || (Array.isArray(body[field]) && (body[field] as unknown[]).length === 0));
      for (const field of ['emailId', 'lastName', 'associatedDepartmentIds', 'rolePermissionType']) {
        if (missing(field)) errors.push({ fieldName: `/${field}`, errorType: 'missing', errorMessage: `${field} is a mandatory field` });
      }
      if (body['emailId'] !== undefined && (typeof body['emailId'] !== 'string' || !EMAIL.test(body['emailId']))) {
        errors.push({ fieldName: '/emailId', errorType: 'invalid', errorMessage: 'Enter a valid email address' });
      } else if (emailTaken(body['emailId'], except)) {
        errors.push({ fieldName: '/emailId', errorType: 'duplicate', errorMessage: 'An agent with this email address already exists' });
      }
      if (body['rolePermissionType'] !== undefined && !PERMISSION_TYPES.includes(String(body['rolePermissionType']))) {
        errors.push({ fieldName: '/rolePermissionType', errorType: 'invalid', errorMessage: `Allowed values are ${PERMISSION_TYPES.join(', ')}` });
      }
      if (body['rolePermissionType'] === 'Custom' && (!body['profileId'] || !body['roleId'])) {
        errors.push({ fieldName: body['profileId'] ? '/roleId' : '/profileId', errorType: 'missing', errorMessage: 'roleId and profileId are mandatory for the Custom rolePermissionType' });
      }
      return errors;
    };

    const assign = (agent: ZohoAgent, body: Record<string, unknown>) => {
      for (const key of ['emailId', 'firstName', 'lastName', 'phone', 'mobile', 'extn', 'aboutInfo', 'countryCode', 'langCode', 'timeZone', 'associatedDepartmentIds', 'associatedChatDepartmentIds', 'channelExpert']) {
        if (key in body) agent[key] = body[key];
      }
      const permission = body['rolePermissionType'];
      if (typeof permission === 'string') {
        agent['rolePermissionType'] = permission;
        agent['profileId'] = permission === 'Custom' ? String(body['profileId']) : PROFILES[permission] ?? PROFILES['default'];
        agent['roleId'] = permission === 'Custom' ? String(body['roleId']) : ROLES[permission] ?? ROLES['default'];
      }
      agent['name'] = [agent['firstName'], agent['lastName']].filter(Boolean).join(' ');
    };

    app.get('/api/v1/agents', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const from = Number(query['from'] ?? 1);
      const limit = Number(query['limit'] ?? 10);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
        return reply.code(422).send(invalidData([{ fieldName: '/limit', errorType: 'invalid', errorMessage: 'limit must be between 1 and 200' }]));
      }
      let agents = (sim.store.all() as ZohoAgent[]).filter((a) => a.status !== 'DELETED');
      if (query['status']) agents = agents.filter((a) => a.status === query['status']);
      if (query['searchStr']) {
        const wanted = query['searchStr'].toLowerCase();
        const fields = query['fieldName'] ? [query['fieldName']] : ['firstName', 'lastName', 'emailId'];
        agents = agents.filter((a) => fields.some((f) => String(a[f] ?? '').toLowerCase() === wanted));
      }
      const page = agents.slice(Math.max(from, 1) - 1, Math.max(from, 1) - 1 + limit);
      if (page.length === 0) return reply.code(204).send();
      return reply.send({ data: page });
    });

    app.post('/api/v1/agents', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors = check(body, true);
      if (errors.length > 0) return reply.code(422).send(invalidData(errors));
      const id = `1892${String(sim.store.nextId('', true)).padStart(12, '0')}`;
      const agent: ZohoAgent = {
        id,
        emailId: body['emailId'] as string,
        firstName: '',
        lastName: '',
        name: '',
        phone: '',
        mobile: '',
        extn: '',
        aboutInfo: '',
        countryCode: 'en_US',
        langCode: 'en_US',
        timeZone: 'Asia/Kolkata',
        photoURL: null,
        zuid: '',
        isConfirmed: false, // an added agent is invited and confirms by accepting the invitation
        isZiaAgent: false,
        channelExpert: ['Email', 'Phone', 'Web'],
        associatedChatDepartmentIds: [],
        status: body['status'] === 'DISABLED' ? 'DISABLED' : 'ACTIVE',
      };
      assign(agent, body);
      sim.store.insert(id, agent);
      return reply.send(agent);
    });

    // Static routes are registered before /:id so fastify prefers them.
    app.post('/api/v1/agents/activate', async (request, reply) => {
      const ids = ((request.body ?? {}) as { agentIds?: unknown }).agentIds;
      if (!Array.isArray(ids) || ids.length === 0) {
        return reply.code(422).send(invalidData([{ fieldName: '/agentIds', errorType: 'missing', errorMessage: 'agentIds is a mandatory field' }]));
      }
      const agents = ids.map((id) => find(String(id)));
      if (agents.some((a) => !a || a.status !== 'DISABLED')) {
        return reply.code(422).send(invalidData([{ fieldName: '/agentIds', errorType: 'invalid', errorMessage: 'Only deactivated agents can be activated' }]));
      }
      for (const agent of agents) agent!.status = 'ACTIVE';
      return reply.code(204).send();
    });

    app.post('/api/v1/agents/deleteUnconfirmed', async (request, reply) => {
      const ids = ((request.body ?? {}) as { agentIds?: unknown }).agentIds;
      if (!Array.isArray(ids) || ids.length === 0) {
        return reply.code(422).send(invalidData([{ fieldName: '/agentIds', errorType: 'missing', errorMessage: 'agentIds is a mandatory field' }]));
      }
      const agents = ids.map((id) => find(String(id)));
      if (agents.some((a) => !a)) return reply.code(404).send(notFound);
      if (agents.some((a) => a!.isConfirmed)) return reply.code(422).send(unprocessable('Only unconfirmed agents can be deleted.'));
      for (const agent of agents) sim.store.delete(agent!.id);
      return reply.code(204).send();
    });

    app.get('/api/v1/agents/:id', async (request, reply) => {
      const agent = find((request.params as { id: string }).id);
      return agent ? reply.send(agent) : reply.code(404).send(notFound);
    });

    app.patch('/api/v1/agents/:id', async (request, reply) => {
      const agent = find((request.params as { id: string }).id);
      if (!agent) return reply.code(404).send(notFound);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (Object.keys(body).length === 0) return reply.code(422).send({ errorCode: 'EMPTY_PAYLOAD', message: 'The payload is empty.' });
      const errors = check(body, false, agent);
      if (errors.length > 0) return reply.code(422).send(invalidData(errors));
      assign(agent, body);
      return reply.send(agent);
    });

    app.post('/api/v1/agents/:id/deactivate', async (request, reply) => {
      const agent = find((request.params as { id: string }).id);
      if (!agent) return reply.code(404).send(notFound);
      if (agent.status !== 'ACTIVE') return reply.code(422).send(unprocessable('The agent is already deactivated.'));
      agent.status = 'DISABLED';
      return reply.code(204).send();
    });
  },
};
