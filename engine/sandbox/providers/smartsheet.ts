import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Smartsheet API 2.0 organization users: bearer tokens, page/pageSize paging (a page past the end answers the
 * last page again), Result envelopes { message, resultCode, result }, and { errorCode, message, refId } errors.
 */
type SmartsheetUser = Record<string, unknown> & { id: number; email: string; status: string; admin: boolean; licensedSheetCreator: boolean };

const refId = () => Math.random().toString(36).slice(2, 12);
const smartsheetError = (errorCode: number, message: string) => ({ errorCode, message, refId: refId() });
const success = (result?: unknown) => ({ message: 'SUCCESS', resultCode: 0, ...(result === undefined ? {} : { result }) });
const FIRST_ID = 4495214342629252;
/** Every Smartsheet path starts with the API version. */
const BASE = '/2.0';

export const smartsheetSimulator: ProviderSimulator = {
  name: 'smartsheet',
  authenticate(request, credentials) {
    const header = request.headers.authorization;
    if (!header) return { status: 401, body: smartsheetError(1001, 'An Access Token is required.') };
    if (header === `Bearer ${credentials['access_token']}`) return null;
    return { status: 401, body: smartsheetError(1002, 'Your Access Token is invalid.') };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as SmartsheetUser[];
    const find = (id: string) => sim.store.get(id) as SmartsheetUser | undefined;
    const notFound = () => smartsheetError(1006, 'Not Found.');
    /** The User object of lists: the profile fields (title, phones, locale, ...) come only from GET /users/{id}. */
    const summary = (u: SmartsheetUser) => {
      const { account: _a, alternateEmails: _e, title: _t, timeZone: _z, locale: _l, workPhone: _w, mobilePhone: _m, ...rest } = u;
      return rest;
    };

    app.get(`${BASE}/users`, async (request, reply) => {
      const query = request.query as Record<string, string>;
      let list = users();
      if (query['email']) {
        const wanted = query['email'].split(',').map((e) => e.trim().toLowerCase());
        list = list.filter((u) => wanted.includes(u.email.toLowerCase()));
      }
      if (query['includeAll'] === 'true') {
        return reply.send({ pageNumber: 1, totalPages: 1, totalCount: list.length, data: list.map(summary) });
      }
      const pageSize = Number(query['pageSize'] ?? 100);
      if (!Number.isInteger(pageSize) || pageSize < 1) return reply.code(400).send(smartsheetError(1018, `The value ${query['pageSize']} was not valid for the parameter pageSize.`));
      const totalPages = Math.max(1, Math.ceil(list.length / pageSize));
      // Smartsheet answers a page number past the end with the last page.
      const pageNumber = Math.min(Math.max(1, Number(query['page'] ?? 1)), totalPages);
      const data = list.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(summary);
      return reply.send({ pageNumber, pageSize, totalPages, totalCount: list.length, data });
    });

    app.post(`${BASE}/users`, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      for (const attribute of ['email', 'admin', 'licensedSheetCreator']) {
        if (body[attribute] === undefined || body[attribute] === null || body[attribute] === '') {
          return reply.code(400).send(smartsheetError(1012, `A required object attribute is missing from your request: user.${attribute}.`));
        }
      }
      if (typeof body['email'] !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body['email'])) {
        return reply.code(400).send(smartsheetError(1018, `The value ${String(body['email'])} was not valid for the parameter email.`));
      }
      if (users().some((u) => u.email.toLowerCase() === (body['email'] as string).toLowerCase())) {
        return reply.code(403).send(smartsheetError(1016, 'The user is already a member of your account.'));
      }
      const id = FIRST_ID + Number(sim.store.nextId('', true));
      const first = (body['firstName'] as string | undefined) ?? '';
      const last = (body['lastName'] as string | undefined) ?? '';
      const user: SmartsheetUser = {
        id,
        email: body['email'],
        name: [first, last].filter(Boolean).join(' ') || body['email'],
        firstName: first,
        lastName: last,
        admin: body['admin'] === true,
        licensedSheetCreator: body['licensedSheetCreator'] === true,
        groupAdmin: body['groupAdmin'] === true,
        resourceViewer: body['resourceViewer'] === true,
        status: 'PENDING',
        profileImage: { imageId: 'u!1!nAtdn5RJB_o!k6_e_3h2R3w!wmYXPek2hZS', height: 1050, width: 1050 },
        account: { id: 3173821341106052, name: 'Acme Corp' },
        alternateEmails: [],
        timeZone: 'US/Pacific',
        locale: 'en_US',
        title: '',
      };
      sim.store.insert(id, user);
      return reply.send(success(summary(user)));
    });

    app.get(`${BASE}/users/:userId`, async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      return user ? reply.send(user) : reply.code(404).send(notFound());
    });

    app.put(`${BASE}/users/:userId`, async (request, reply) => {
      const { userId } = request.params as { userId: string };
      const user = find(userId);
      if (!user) return reply.code(404).send(notFound());
      const body = (request.body ?? {}) as Record<string, unknown>;
      for (const attribute of ['admin', 'licensedSheetCreator']) {
        if (typeof body[attribute] !== 'boolean') {
          return reply.code(400).send(smartsheetError(1012, `A required object attribute is missing from your request: user.${attribute}.`));
        }
      }
      for (const attribute of ['admin', 'licensedSheetCreator', 'groupAdmin', 'resourceViewer', 'firstName', 'lastName']) {
        if (body[attribute] !== undefined) user[attribute] = body[attribute];
      }
      user['name'] = [user['firstName'], user['lastName']].filter(Boolean).join(' ') || user.email;
      return reply.send(success(summary(user)));
    });

    for (const [action, status] of [['deactivate', 'DEACTIVATED'], ['reactivate', 'ACTIVE']] as const) {
      app.post(`${BASE}/users/:userId/${action}`, async (request, reply) => {
        const { userId } = request.params as { userId: string };
        const user = find(userId);
        if (!user) return reply.code(404).send(notFound());
        user.status = status;
        return reply.send(success());
      });
    }

    app.delete(`${BASE}/users/:userId`, async (request, reply) => {
      const { userId } = request.params as { userId: string };
      if (!find(userId)) return reply.code(404).send(notFound());
      sim.store.delete(userId);
      return reply.send(success());
    });
  },
};
