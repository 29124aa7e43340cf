import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Fault, ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Marketo Engage's User Management API: users named by userid, created by invitation (pending until accepted,
 * read from invite.json), pageOffset/pageSize lists of accepted users, POST …/update.json and …/delete.json, and
 * Marketo's two failure styles: { errors } with a non-200 status, and the gateway's HTTP 200 with success false
 * (601 for a token it does not know, 606 past `rateLimit` calls). A description cannot say the 200 failures.
 */
type Row = Record<string, unknown>;
const BASE = '/userservice/management/v1/users';
const stamp = () => new Date().toISOString().replace('Z', 't+0000');
const gateway = (code: string, message: string) => ({ requestId: `${Date.now().toString(16)}#sim`, success: false, errors: [{ code, message }] });
const notFound = (reply: FastifyReply) => reply.code(404).send({ errors: [{ code: 1003, message: 'User not found' }] });

/**
 * The gateway's answer to one request past a limit, as Marketo sends it: HTTP 200, success false, no Retry-After.
 * 606 past 100 calls in 20 seconds, 607 past the daily quota, 615 past 10 concurrent calls (error-codes page).
 */
export function gatewayLimit(code: '606' | '607' | '615'): Fault {
  const messages = { '606': "Max rate limit '100' exceeded with in '20' secs", '607': 'Daily quota reached', '615': 'Concurrent access limit reached' };
  return { status: 200, body: gateway(code, messages[code]) };
}

export function marketoSimulator(rateLimit = Infinity): ProviderSimulator {
  let calls = 0;
  return {
    name: 'adobe-marketo-engage',
    authenticate(request, credentials) {
      calls += 1;
      if (calls > rateLimit) return { status: 200, body: gateway('606', "Max rate limit '100' exceeded with in '20' secs") };
      if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
      return { status: 200, body: gateway('601', 'Access token invalid') };
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      const find = (userid: string, pending: boolean) => {
        const row = sim.store.get(userid.toLowerCase());
        return row && (row['status'] === 'pending') === pending ? row : undefined;
      };
      app.get(`${BASE}/allusers.json`, async (request) => {
        const query = request.query as Record<string, string>;
        const offset = Number(query['pageOffset'] ?? 0);
        const size = Math.min(Number(query['pageSize'] ?? 20), 200);
        return sim.store.all().filter((u) => u['status'] !== 'pending').slice(offset, offset + size)
          .map(({ userid, firstName, lastName, emailAddress, id, apiOnly }) => ({ userid, firstName, lastName, emailAddress, id, apiOnly }));
      });
      app.post(`${BASE}/invite.json`, async (request, reply) => {
        const body = (request.body ?? {}) as Row;
        const missing = ['emailAddress', 'firstName', 'lastName', 'userRoleWorkspaces'].find((f) => body[f] === undefined);
        if (missing) return reply.code(400).send({ errors: [{ code: 1001, message: `${missing} is required` }] });
        const userid = String(body['userid'] ?? body['emailAddress']);
        if (sim.store.get(userid.toLowerCase())) return reply.code(400).send({ errors: [{ code: 1002, message: `User id ${userid} already exists` }] });
        const at = stamp();
        sim.store.insert(userid.toLowerCase(), { id: sim.store.nextId('', true), userid, firstName: body['firstName'], lastName: body['lastName'], emailAddress: body['emailAddress'], subscriptionId: '123-ABC-456', status: 'pending', apiOnly: body['apiOnly'] ?? false, userRoleWorkspaces: body['userRoleWorkspaces'], createdAt: at, updatedAt: at });
        return reply.type('application/json').send(JSON.stringify(`Invitation sent to ${String(body['emailAddress'])}`));
      });
      app.get(`${BASE}/:userid/invite.json`, async (request, reply) => {
        const row = find((request.params as { userid: string }).userid, true);
        if (!row) return reply.code(404).send({ errors: [{ code: 1003, message: 'Invited user not found' }] });
        const { userRoleWorkspaces: _roles, apiOnly: _api, ...invited } = row;
        return invited;
      });
      app.get(`${BASE}/:userid/user.json`, async (request, reply) => find((request.params as { userid: string }).userid, false) ?? notFound(reply));
      app.post(`${BASE}/:userid/update.json`, async (request, reply) => {
        const row = find((request.params as { userid: string }).userid, false);
        if (!row) return notFound(reply);
        const body = (request.body ?? {}) as Row;
        for (const key of ['firstName', 'lastName', 'emailAddress', 'apiOnly', 'expiresAt']) if (body[key] !== undefined) row[key] = body[key];
        row['updatedAt'] = stamp();
        return row;
      });
      app.post(`${BASE}/:userid/delete.json`, async (request, reply) => {
        const userid = (request.params as { userid: string }).userid;
        return find(userid, false) && sim.store.delete(userid.toLowerCase()) ? reply.send() : notFound(reply);
      });
      app.post(`${BASE}/:userid/invite/delete.json`, async (request, reply) => {
        const userid = (request.params as { userid: string }).userid;
        return find(userid, true) && sim.store.delete(userid.toLowerCase()) ? reply.send() : notFound(reply);
      });
    },
  };
}

/** Accept a pending invitation, as the invitee does by setting a password. */
export function acceptInvitation(sim: { store: SimulatorState['store'] }, userid: string): void {
  const row = sim.store.get(userid.toLowerCase());
  if (!row) throw new Error(`no invitation for ${userid}`);
  delete row['status'];
  Object.assign(row, { optedIn: false, failedLogins: 0, failedDeviceCode: 0, isLocked: false, lockedReason: null, userRoleWorkspaces: row['userRoleWorkspaces'], lastLoginAt: stamp() });
}
