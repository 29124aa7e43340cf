import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Slack's SCIM 2.0 Users API: bearer tokens, startIndex/count paging (1-based, count capped at 1000),
 * PatchOp updates, DELETE deactivates, and Slack's error body { Errors: { description, code } }.
 */
type ScimUser = Record<string, unknown> & {
  id: string;
  userName: string;
  active: boolean;
  emails: { value: string; type?: string; primary?: boolean }[];
  name: Record<string, unknown>;
};

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const slackError = (description: string, code: number) => ({ Errors: { description, code } });
/** Slack's meta.created carries an offset, not a Z. */
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** A SCIM filter string literal (JSON's string rules), or undefined when it is not one. */
function parseLiteral(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

export const slackSimulator: ProviderSimulator = {
  name: 'slack',
  authenticate(request, credentials) {
    if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
    return { status: 401, body: slackError('invalid_authentication', 401) };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as ScimUser[];
    const find = (id: string) => sim.store.get(id) as ScimUser | undefined;
    const notFound = (id: string) => slackError(`user_not_found (id=${id})`, 404);
    const location = (id: string) => `${sim.origin()}/Users/${id}`;
    const hasEmail = (user: ScimUser, email: string) => user.emails.some((e) => e.value.toLowerCase() === email.toLowerCase());
    /** The first conflict with another user, as Slack reports it. */
    const conflict = (candidate: { userName?: unknown; emails?: { value: string }[] }, self?: ScimUser) => {
      for (const other of users()) {
        if (other === self) continue;
        const taken = (candidate.emails ?? []).find((e) => hasEmail(other, e.value));
        if (taken) return slackError(`email_taken (existing_user=${other.id})`, 409);
        if (typeof candidate.userName === 'string' && other.userName === candidate.userName) return slackError(`name_taken (user=${candidate.userName})`, 409);
      }
      return undefined;
    };

    app.get('/Users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const startIndex = Math.max(1, Number(query['startIndex'] ?? 1));
      const count = Math.min(Number(query['count'] ?? 100), 1000);
      let list = users();
      const filter = query['filter'];
      if (filter) {
        // one `attribute eq "string"` clause; the string is a JSON string literal (`\"` is a quote in the value)
        const m = /^(\w+)\s+eq\s+("(?:[^"\\]|\\.)*")$/i.exec(filter.trim());
        const value = m ? parseLiteral(m[2]!) : undefined;
        if (!m || value === undefined) return reply.code(400).send(slackError(`invalid_filter (filter=${filter})`, 400));
        const attribute = m[1]!;
        list = list.filter((u) => (attribute.toLowerCase() === 'emails' || attribute.toLowerCase() === 'email' ? hasEmail(u, value) : u[attribute] === value));
      }
      const page = list.slice(startIndex - 1, startIndex - 1 + count);
      return reply.send({ schemas: [LIST], totalResults: list.length, itemsPerPage: page.length, startIndex, Resources: page });
    });

    app.get('/Users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      return user ? reply.send(user) : reply.code(404).send(notFound(id));
    });

    app.post('/Users', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown> & { emails?: { value: string; type?: string; primary?: boolean }[] };
      if (!Array.isArray(body['schemas']) || !(body['schemas'] as unknown[]).includes(CORE)) {
        return reply.code(400).send(slackError('invalid_schemas', 400));
      }
      if (typeof body['userName'] !== 'string' || body['userName'] === '') return reply.code(400).send(slackError('missing_username', 400));
      if (!Array.isArray(body.emails) || body.emails.length === 0 || !body.emails.every((e) => typeof e?.value === 'string' && e.value.includes('@'))) {
        return reply.code(400).send(slackError('missing_email', 400));
      }
      // An email address given as userName becomes a Slack username.
      const userName = body['userName'].includes('@') ? body['userName'].split('@')[0]!.toLowerCase() : body['userName'];
      const taken = conflict({ userName, emails: body.emails });
      if (taken) return reply.code(409).send(taken);
      const id = String(sim.store.nextId('U'));
      const name = (body['name'] ?? {}) as Record<string, unknown>;
      const user: ScimUser = {
        schemas: [CORE, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
        id,
        externalId: '',
        meta: { created: now(), location: location(id) },
        userName,
        nickName: userName,
        name: { givenName: name['givenName'] ?? '', familyName: name['familyName'] ?? '' },
        displayName: body['displayName'] ?? userName,
        profileUrl: `https://acme.slack.com/team/${userName}`,
        title: body['title'] ?? '',
        timezone: body['timezone'] ?? 'America/Los_Angeles',
        active: true,
        emails: body.emails.map((e, i) => ({ value: e.value, ...(e.type ? { type: e.type } : {}), primary: e.primary ?? i === 0 })),
        photos: (body['photos'] as unknown[] | undefined) ?? [],
        ...(body['phoneNumbers'] ? { phoneNumbers: body['phoneNumbers'] } : {}),
        ...(body['preferredLanguage'] ? { preferredLanguage: body['preferredLanguage'] } : {}),
        groups: [],
      };
      return reply.code(201).send(sim.store.insert(id, user));
    });

    app.patch('/Users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound(id));
      const body = (request.body ?? {}) as { schemas?: unknown; Operations?: { op?: string; path?: string; value?: unknown }[] };
      if (!Array.isArray(body.schemas) || !body.schemas.includes(PATCH_OP) || !Array.isArray(body.Operations) || body.Operations.length === 0) {
        return reply.code(400).send(slackError('invalid_patch_request', 400));
      }
      const next: ScimUser = structuredClone(user);
      for (const operation of body.Operations) {
        if (!['add', 'replace', 'remove'].includes(String(operation.op).toLowerCase())) return reply.code(400).send(slackError(`invalid_operation (op=${operation.op})`, 400));
        if (!operation.path) {
          Object.assign(next, operation.value);
          continue;
        }
        if (operation.path === 'active' && typeof operation.value !== 'boolean') return reply.code(400).send(slackError('invalid_active_value', 400));
        const [head, sub] = operation.path.split('.') as [string, string | undefined];
        if (sub) next[head] = { ...(next[head] as Record<string, unknown>), [sub]: operation.value };
        else if (String(operation.op).toLowerCase() === 'remove') delete next[head];
        else next[head] = operation.value;
      }
      const taken = conflict({ userName: next.userName !== user.userName ? next.userName : undefined, emails: next.emails }, user);
      if (taken) return reply.code(409).send(taken);
      return reply.send(sim.store.insert(id, next));
    });

    // Slack never deletes through SCIM: DELETE deactivates the user.
    app.delete('/Users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      const user = find(id);
      if (!user) return reply.code(404).send(notFound(id));
      user.active = false;
      return reply.code(204).send();
    });
  },
};
