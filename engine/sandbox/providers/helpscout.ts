import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Help Scout's Mailbox API 2.0 users endpoints: OAuth bearer tokens, HAL+JSON lists under _embedded.users with a
 * page object (fixed size 50) and _links, vnd.error bodies with a logRef, and no way to create, change or delete
 * users (those routes answer 404/405 as unknown routes do).
 */
export type HelpScoutUser = Record<string, unknown> & {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  role: 'owner' | 'admin' | 'user';
  /** Mailbox ids the user can access. */
  mailboxes: number[];
};

export const HELPSCOUT_PAGE_SIZE = 50;
const HAL = 'application/hal+json;charset=UTF-8';

/** vnd.error as Help Scout documents it; `errors` become _embedded.errors. */
export function helpScoutError(message: string, errors: { path: string; message: string; rejectedValue?: unknown }[] = []) {
  return {
    logRef: `${randomUUID()}#${Math.floor(Math.random() * 100)}`,
    message,
    ...(errors.length > 0
      ? {
          _embedded: {
            errors: errors.map((e) => ({
              ...e,
              source: 'query',
              _links: { about: { href: 'http://developer.helpscout.net/mailbox-api/overview/errors#InvalidValue' } },
            })),
          },
        }
      : {}),
    _links: { about: { href: 'http://developer.helpscout.net/mailbox-api/overview/errors' } },
  };
}

export const helpScoutSimulator: ProviderSimulator = {
  name: 'helpscout',
  authenticate(request, credentials) {
    if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="Invalid access token"' },
      body: { error: 'invalid_token', error_description: 'Invalid access token' },
    };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const userUrl = (id: number | string) => `${sim.origin()}/v2/users/${id}`;
    const present = (user: HelpScoutUser) => {
      const { mailboxes: _mailboxes, ...rest } = user;
      return { ...rest, _links: { self: { href: userUrl(user.id) } } };
    };
    const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).header('content-type', HAL).send(JSON.stringify(body));

    app.get('/v2/users', async (request, reply) => {
      const query = request.query as Record<string, string>;
      const problems: { path: string; message: string; rejectedValue: unknown }[] = [];
      if (query['page'] !== undefined && !/^[1-9]\d*$/.test(query['page'])) problems.push({ path: 'page', message: 'must be greater than or equal to 1', rejectedValue: query['page'] });
      if (query['mailbox'] !== undefined && !/^[1-9]\d*$/.test(query['mailbox'])) problems.push({ path: 'mailbox', message: 'must be a valid identifier', rejectedValue: query['mailbox'] });
      if (query['email'] !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(query['email'])) problems.push({ path: 'email', message: 'must be a well-formed email address', rejectedValue: query['email'] });
      if (problems.length > 0) return send(reply, 400, helpScoutError('Bad request', problems));

      let users = sim.store.all() as HelpScoutUser[];
      if (query['email']) users = users.filter((u) => u.email.toLowerCase() === query['email']!.toLowerCase());
      if (query['mailbox']) users = users.filter((u) => u.mailboxes.includes(Number(query['mailbox'])));
      const number = Number(query['page'] ?? 1);
      const totalPages = Math.ceil(users.length / HELPSCOUT_PAGE_SIZE);
      const slice = users.slice((number - 1) * HELPSCOUT_PAGE_SIZE, number * HELPSCOUT_PAGE_SIZE);
      const pageUrl = (n: number) => `${sim.origin()}/v2/users?page=${n}`;
      const body: Record<string, unknown> = {
        ...(slice.length > 0 ? { _embedded: { users: slice.map(present) } } : {}), // Help Scout leaves _embedded out when empty
        _links: {
          self: { href: pageUrl(number) },
          first: { href: pageUrl(1) },
          last: { href: pageUrl(Math.max(totalPages, 1)) },
          ...(number < totalPages ? { next: { href: pageUrl(number + 1) } } : {}),
          ...(number > 1 ? { previous: { href: pageUrl(number - 1) } } : {}),
          page: { href: `${sim.origin()}/v2/users{?page}`, templated: true },
        },
        page: { size: HELPSCOUT_PAGE_SIZE, totalElements: users.length, totalPages, number },
      };
      return send(reply, 200, body);
    });

    app.get('/v2/users/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      // The token in this simulator belongs to the first user (the account owner).
      const user = id === 'me' ? (sim.store.all()[0] as HelpScoutUser | undefined) : (sim.store.get(id) as HelpScoutUser | undefined);
      if (!/^(me|\d+)$/.test(id)) return send(reply, 400, helpScoutError('Bad request', [{ path: 'id', message: 'must be a valid identifier', rejectedValue: id }]));
      if (!user) return send(reply, 404, helpScoutError('Resource not found'));
      return send(reply, 200, present(user));
    });
  },
};
