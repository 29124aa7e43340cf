import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * GitLab REST v4 project members as the members API documents them: PRIVATE-TOKEN (or OAuth bearer) auth,
 * page/per_page pagination with x-next-page / x-total / Link headers, Rack ETags on 200/201 answers, and
 * GitLab's error bodies: { message: "404 Project Not Found" }, { message: { field: [..] } } for model
 * validation and { error: "access_level is missing" } for parameter validation.
 */
export interface GitLabUser {
  id: number;
  username: string;
  name: string;
  state: 'active' | 'blocked' | 'deactivated';
  /** Shown on members only to owners of an enterprise (group-managed) account. */
  email?: string;
}

export interface GitLabProject {
  id: number;
  path_with_namespace: string;
}

/** Stored under `${project_id}:${user_id}`. `inherited` members come from a parent group (members/all only). */
export type GitLabMember = Record<string, unknown> & {
  project_id: number;
  user_id: number;
  access_level: number;
  created_at: string;
  expires_at: string | null;
  created_by_id: number | null;
  membership_state: 'active' | 'awaiting';
  inherited?: boolean;
};

/** The instance's user directory (members can only be added for existing users). */
export const GITLAB_USERS: GitLabUser[] = [
  { id: 1, username: 'root', name: 'Administrator', state: 'active' },
  { id: 101, username: 'ada', name: 'Ada Lovelace', state: 'active', email: 'ada@acme.example' },
  { id: 102, username: 'grace', name: 'Grace Hopper', state: 'active' },
  { id: 103, username: 'alan', name: 'Alan Turing', state: 'active' },
  { id: 104, username: 'edsger', name: 'Edsger Dijkstra', state: 'blocked' },
  { id: 105, username: 'barbara', name: 'Barbara Liskov', state: 'active' },
  { id: 106, username: 'ken', name: 'Ken Thompson', state: 'active' },
];

export const GITLAB_PROJECTS: GitLabProject[] = [
  { id: 42, path_with_namespace: 'acme/widgets' },
  { id: 43, path_with_namespace: 'acme/gadgets' },
];

/** Access levels a member can be given (0 "no access" is not one of them). */
const ACCESS_LEVELS = [5, 10, 20, 30, 40, 50];

export const memberKey = (projectId: number, userId: number) => `${projectId}:${userId}`;

export const gitlabSimulator: ProviderSimulator = {
  name: 'gitlab',
  authenticate(request, credentials) {
    const token = credentials['access_token'];
    if (request.headers['private-token'] === token || request.headers.authorization === `Bearer ${token}`) return null;
    return { status: 401, body: { message: '401 Unauthorized' } };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const base = '/api/v4/projects/:id';
    const userById = (id: number) => GITLAB_USERS.find((u) => u.id === id);
    const projectOf = (id: string) => GITLAB_PROJECTS.find((p) => String(p.id) === id || p.path_with_namespace === decodeURIComponent(id));
    const membersOf = (project: GitLabProject, all: boolean) =>
      (sim.store.all() as GitLabMember[]).filter((m) => m.project_id === project.id && (all || !m.inherited));
    const findMember = (project: GitLabProject, userId: string, all: boolean) =>
      membersOf(project, all).find((m) => String(m.user_id) === userId);

    const userBasic = (user: GitLabUser) => ({
      id: user.id,
      username: user.username,
      name: user.name,
      state: user.state,
      locked: false,
      avatar_url: `https://secure.gravatar.com/avatar/${createHash('md5').update(user.username).digest('hex')}?s=80&d=identicon`,
      web_url: `https://gitlab.com/${user.username}`,
    });
    const present = (member: GitLabMember) => {
      const user = userById(member.user_id)!;
      const creator = member.created_by_id === null ? undefined : userById(member.created_by_id);
      return {
        ...userBasic(user),
        access_level: member.access_level,
        created_at: member.created_at,
        ...(creator ? { created_by: userBasic(creator) } : {}),
        expires_at: member.expires_at,
        group_saml_identity: null,
        ...(user.email ? { email: user.email } : {}),
        membership_state: member.membership_state,
      };
    };
    /** JSON with the weak ETag Rack adds to 200/201 answers. */
    const sendJson = (reply: FastifyReply, status: number, body: unknown) => {
      const text = JSON.stringify(body);
      return reply.code(status).header('content-type', 'application/json').header('etag', `W/"${createHash('md5').update(text).digest('hex')}"`).send(text);
    };
    const projectNotFound = (reply: FastifyReply) => reply.code(404).send({ message: '404 Project Not Found' });
    const notFound = (reply: FastifyReply) => reply.code(404).send({ message: '404 Not found' });

    for (const all of [true, false]) {
      const path = all ? `${base}/members/all` : `${base}/members`;
      app.get(path, async (request, reply) => {
        const project = projectOf((request.params as { id: string }).id);
        if (!project) return projectNotFound(reply);
        const query = request.query as Record<string, string>;
        const perPage = Math.min(Math.max(Number(query['per_page'] ?? 20) || 20, 1), 100);
        const page = Math.max(Number(query['page'] ?? 1) || 1, 1);
        let members = membersOf(project, all);
        const search = query['query']?.toLowerCase();
        if (search) {
          members = members.filter((m) => {
            const user = userById(m.user_id)!;
            return user.name.toLowerCase().includes(search) || user.username.toLowerCase().includes(search) || user.email?.toLowerCase() === search;
          });
        }
        const totalPages = Math.max(Math.ceil(members.length / perPage), 1);
        const slice = members.slice((page - 1) * perPage, page * perPage);
        const url = (p: number) => `${sim.origin()}${request.url.split('?')[0]}?id=${project.id}&page=${p}&per_page=${perPage}`;
        const links = [
          ...(page < totalPages ? [`<${url(page + 1)}>; rel="next"`] : []),
          ...(page > 1 ? [`<${url(page - 1)}>; rel="prev"`] : []),
          `<${url(1)}>; rel="first"`,
          `<${url(totalPages)}>; rel="last"`,
        ];
        reply.headers({
          'x-page': String(page),
          'x-per-page': String(perPage),
          'x-next-page': page < totalPages ? String(page + 1) : '',
          'x-prev-page': page > 1 ? String(page - 1) : '',
          'x-total': String(members.length),
          'x-total-pages': String(totalPages),
          link: links.join(', '),
        });
        return sendJson(reply, 200, slice.map(present));
      });

      app.get(`${path}/:user_id`, async (request, reply) => {
        const params = request.params as { id: string; user_id: string };
        const project = projectOf(params.id);
        if (!project) return projectNotFound(reply);
        if (!/^\d+$/.test(params.user_id)) return reply.code(400).send({ error: 'user_id is invalid' });
        const member = findMember(project, params.user_id, all);
        return member ? sendJson(reply, 200, present(member)) : notFound(reply);
      });
    }

    /** Grape's parameter checks, reported together as GitLab does. */
    const checkAccessLevel = (body: Record<string, unknown>, errors: string[]) => {
      const level = body['access_level'];
      if (level === undefined || level === null || level === '') errors.push('access_level is missing');
      else if (!/^-?\d+$/.test(String(level))) errors.push('access_level is invalid');
    };
    const invalidLevel = (level: number) => !ACCESS_LEVELS.includes(level);

    app.post(`${base}/members`, async (request, reply) => {
      const project = projectOf((request.params as { id: string }).id);
      if (!project) return projectNotFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors: string[] = [];
      checkAccessLevel(body, errors);
      const hasId = body['user_id'] !== undefined && body['user_id'] !== null && body['user_id'] !== '';
      const hasName = body['username'] !== undefined && body['username'] !== null && body['username'] !== '';
      if (hasId && hasName) errors.push('user_id, username are mutually exclusive');
      if (!hasId && !hasName) errors.push('user_id, username are missing, at least one parameter must be provided');
      if (errors.length > 0) return reply.code(400).send({ error: errors.join(', ') });
      const user = hasId ? userById(Number(body['user_id'])) : GITLAB_USERS.find((u) => u.username === body['username']);
      if (!user) return reply.code(404).send({ message: '404 User Not Found' });
      if (findMember(project, String(user.id), false)) return reply.code(409).send({ message: 'Member already exists' });
      const level = Number(body['access_level']);
      if (invalidLevel(level)) return reply.code(400).send({ message: { access_level: ['is not included in the list'] } });
      const member: GitLabMember = {
        project_id: project.id,
        user_id: user.id,
        access_level: level,
        created_at: new Date().toISOString(),
        expires_at: typeof body['expires_at'] === 'string' ? body['expires_at'] : null,
        created_by_id: 1,
        membership_state: 'active',
      };
      sim.store.insert(memberKey(project.id, user.id), member);
      return sendJson(reply, 201, present(member));
    });

    app.put(`${base}/members/:user_id`, async (request, reply) => {
      const params = request.params as { id: string; user_id: string };
      const project = projectOf(params.id);
      if (!project) return projectNotFound(reply);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const errors: string[] = [];
      checkAccessLevel(body, errors);
      if (errors.length > 0) return reply.code(400).send({ error: errors.join(', ') });
      const member = findMember(project, params.user_id, false);
      if (!member) return notFound(reply);
      const level = Number(body['access_level']);
      if (invalidLevel(level)) return reply.code(400).send({ message: { access_level: ['is not included in the list'] } });
      member.access_level = level;
      if (body['expires_at'] !== undefined) member.expires_at = (body['expires_at'] as string | null) ?? null;
      return sendJson(reply, 200, present(member));
    });

    app.delete(`${base}/members/:user_id`, async (request, reply) => {
      const params = request.params as { id: string; user_id: string };
      const project = projectOf(params.id);
      if (!project) return projectNotFound(reply);
      const member = findMember(project, params.user_id, false);
      if (!member) return notFound(reply);
      sim.store.delete(memberKey(project.id, member.user_id));
      return reply.code(204).send();
    });
  },
};
