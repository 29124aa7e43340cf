import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Fault, ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Snyk's REST API (version 2024-10-15) for one organization's memberships and invites: JSON:API memberships whose
 * user is a relationship (so a membership's id is not the user's), user_id and email filters, starting_after cursors
 * in links.next, PATCH of the role (204), DELETE of a membership, and JSON:API error documents. A description cannot
 * say memberships that point at users, nor the invitations beside them.
 */
type Row = Record<string, unknown>;
export const SNYK_ORG = '8c3f4a3e-5b3d-4a8e-9d1b-2f6e7c8a9b01';
export const SNYK_ROLES: Record<string, string> = { '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a': 'Org Admin', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d': 'Org Collaborator' };
/** Snyk users who exist outside the organization, by id. */
export const SNYK_PEOPLE: Record<string, Row> = {};

const error = (reply: FastifyReply, status: number, code: string, title: string, detail: string) =>
  reply.code(status).type('application/vnd.api+json').send({ jsonapi: { version: '1.0' }, errors: [{ id: randomUUID(), status: String(status), code, title, detail }] });

/**
 * Snyk's answer past its REST rate limit (1,620 requests a minute per token, docs.snyk.io "About the REST API"): 429
 * with a JSON:API error document worded as the error catalog's "Too many requests". Only the export endpoints
 * declare Retry-After in Snyk's OpenAPI, so the membership endpoints send none.
 */
export function snykRateLimited(): Fault {
  return {
    status: 429,
    headers: { 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ jsonapi: { version: '1.0' }, errors: [{ id: randomUUID(), status: '429', title: 'Too many requests', detail: 'The service has received too many requests and will be throttled.' }] }),
  };
}

export const snykSimulator: ProviderSimulator = {
  name: 'snyk',
  authenticate(request, credentials) {
    if (request.headers.authorization !== `token ${credentials['api_token']}`) {
      return { status: 401, body: { jsonapi: { version: '1.0' }, errors: [{ status: '401', code: 'SNYK-0005', title: 'Authentication error', detail: 'Authentication credentials not recognized, or user access is not provisioned.' }] } };
    }
    if (!(request.query as Record<string, string>)['version']) return { status: 400, body: { jsonapi: { version: '1.0' }, errors: [{ status: '400', code: 'SNYK-0001', title: 'Bad request', detail: 'version is required' }] } };
    return null;
  },
  contentParsers(app: FastifyInstance) {
    app.addContentTypeParser('application/vnd.api+json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch (parseError) {
        done(parseError as Error, undefined);
      }
    });
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const memberships = () => sim.store.all().filter((row) => row['type'] === 'org_membership');
    const present = (m: Row) => ({
      id: m['id'], type: 'org_membership', attributes: { created_at: m['created_at'] },
      relationships: {
        org: { data: { id: SNYK_ORG, type: 'org', attributes: { name: 'Acme Platform' } } },
        role: { data: { id: m['role'], type: 'org_role', attributes: { name: SNYK_ROLES[m['role'] as string] } } },
        user: { data: { id: m['user'], type: 'user', attributes: SNYK_PEOPLE[m['user'] as string] } },
      },
    });
    const ownOrg = (reply: FastifyReply, org: string) => (org === SNYK_ORG ? undefined : error(reply, 404, 'SNYK-0003', 'Not Found', 'The organization was not found.'));

    app.get('/rest/orgs/:org/memberships', async (request, reply) => {
      const params = request.params as { org: string };
      const query = request.query as Record<string, string>;
      const refused = ownOrg(reply, params.org);
      if (refused) return refused;
      const limit = Number(query['limit'] ?? 10);
      if (!(limit >= 10 && limit <= 100 && limit % 10 === 0)) return error(reply, 400, 'SNYK-0001', 'Bad request', 'limit must be a multiple of 10 from 10 to 100');
      const rows = memberships().filter((m) => (!query['user_id'] || m['user'] === query['user_id'])
        && (!query['email'] || String(SNYK_PEOPLE[m['user'] as string]?.['email']).toLowerCase() === query['email'].toLowerCase()));
      const start = query['starting_after'] ? Number(Buffer.from(query['starting_after'], 'base64').toString('utf8').replace('v1.', '')) : 0;
      const page = rows.slice(start, start + limit);
      const base = `/orgs/${SNYK_ORG}/memberships?version=${query['version']}&limit=${limit}`;
      const next = start + page.length < rows.length ? `${base}&starting_after=${encodeURIComponent(Buffer.from(`v1.${start + page.length}`).toString('base64'))}` : undefined;
      return reply.type('application/vnd.api+json').send({ jsonapi: { version: '1.0' }, data: page.map(present), links: { self: base, ...(next ? { next } : {}) } });
    });
    app.post('/rest/orgs/:org/memberships', async (request, reply) => {
      const data = ((request.body ?? {}) as { data?: { relationships?: Record<string, { data?: { id?: string } }> } }).data;
      const user = data?.relationships?.['user']?.data?.id ?? '';
      const role = data?.relationships?.['role']?.data?.id ?? '';
      if (!SNYK_PEOPLE[user] || !SNYK_ROLES[role]) return error(reply, 404, 'SNYK-0003', 'Not Found', 'The user or role was not found.');
      if (memberships().some((m) => m['user'] === user)) return error(reply, 409, 'SNYK-0009', 'Conflict', 'The user is already a member of the organization.');
      const membership = { id: randomUUID(), type: 'org_membership', user, role, created_at: new Date().toISOString() };
      sim.store.insert(membership.id, membership);
      return reply.code(201).type('application/vnd.api+json').send({ jsonapi: { version: '1.0' }, data: present(membership) });
    });
    app.post('/rest/orgs/:org/invites', async (request, reply) => {
      const attributes = ((request.body ?? {}) as { data?: { attributes?: { email?: string; role?: string } } }).data?.attributes ?? {};
      if (!attributes.email || !SNYK_ROLES[attributes.role ?? '']) return error(reply, 400, 'SNYK-0001', 'Bad request', 'email and a valid role are required');
      const invite = { id: randomUUID(), type: 'org_invitation', attributes: { email: attributes.email, is_active: true, role: attributes.role }, relationships: { org: { data: { id: SNYK_ORG, type: 'org' } } } };
      sim.store.insert(invite.id, invite);
      return reply.code(201).type('application/vnd.api+json').send({ jsonapi: { version: '1.0' }, data: invite });
    });
    app.patch('/rest/orgs/:org/memberships/:id', async (request, reply) => {
      const membership = sim.store.get((request.params as { id: string }).id);
      const role = ((request.body ?? {}) as { data?: { relationships?: { role?: { data?: { id?: string } } } } }).data?.relationships?.role?.data?.id ?? '';
      if (!membership) return error(reply, 404, 'SNYK-0003', 'Not Found', 'The membership was not found.');
      if (!SNYK_ROLES[role]) return error(reply, 400, 'SNYK-0001', 'Bad request', 'The role was not found.');
      membership['role'] = role;
      return reply.code(204).send();
    });
    app.delete('/rest/orgs/:org/memberships/:id', async (request, reply) =>
      (sim.store.delete((request.params as { id: string }).id) ? reply.code(204).send() : error(reply, 404, 'SNYK-0003', 'Not Found', 'The membership was not found.')));
  },
};
