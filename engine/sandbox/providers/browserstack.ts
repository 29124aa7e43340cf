import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Fault, ProviderSimulator, SimulatorState } from '../simulator';

/**
 * BrowserStack's Enterprise User Management API: every user named by email in the query string (no request
 * bodies), the organization's users answered whole ({ count, user_details }), answers that are only { message },
 * HTTP Basic with the owner's username and access key (a failed login is a text 401). A description cannot say
 * users written from query parameters.
 */
type Row = Record<string, unknown>;
const ROLES = ['user', 'admin', 'owner'];
const fail = (reply: FastifyReply, status: number, message: string) => reply.code(status).send({ message });

/**
 * BrowserStack's answer past the User Management APIs' limit (a burst of 5, then 15 requests a minute per group:
 * browserstack.com/docs/enterprise/api-reference/introduction): 429. It documents no Retry-After or X-RateLimit-*
 * header and no body; the body here is its usual { message }.
 */
export function browserstackRateLimited(): Fault {
  return { status: 429, body: { message: 'Too many requests. Please try again later.' } };
}

export const browserstackSimulator: ProviderSimulator = {
  name: 'browserstack',
  authenticate(request, credentials) {
    const expected = `Basic ${Buffer.from(`${credentials['username']}:${credentials['access_key']}`).toString('base64')}`;
    return request.headers.authorization === expected ? null : { status: 401, headers: { 'content-type': 'text/html; charset=utf-8' }, body: 'HTTP Basic: Access denied.\n' };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const query = (request: { query: unknown }) => request.query as Record<string, string>;
    const find = (email: string | undefined) => (email ? sim.store.get(email.toLowerCase()) : undefined);
    app.get('/user/user_detail', async () => {
      const users = sim.store.all();
      return { count: users.length, user_details: users };
    });
    app.post('/user/create_user', async (request, reply) => {
      const { email, full_name: fullName, role = 'user', team } = query(request);
      if (!email || !fullName) return fail(reply, 422, 'email and full_name are required.');
      if (!ROLES.includes(role)) return fail(reply, 422, 'Invalid role.');
      if (find(email)) return fail(reply, 422, 'User already exists.');
      const user: Row = { id: sim.store.nextId('', true), username: `${email.split('@')[0]}_sim`, full_name: fullName, email, role, organization_name: 'Acme Inc.', status: 'pending', ...(team ? { teams: [team] } : {}), product_access: { live_testing: false, automate: false, percy: false } };
      sim.store.insert(email.toLowerCase(), user);
      return { message: 'User has been created successfully.' };
    });
    app.post('/user/update_role', async (request, reply) => {
      const { email, role } = query(request);
      const user = find(email);
      if (!user) return fail(reply, 404, 'User not found.');
      if (!role || !ROLES.includes(role)) return fail(reply, 422, 'Invalid role.');
      user['role'] = role;
      return { message: 'Role has been updated successfully.' };
    });
    for (const [path, status] of [['/user/disable_user', 'disabled'], ['/user/enable_user', 'active']] as const) {
      app.post(path, async (request, reply) => {
        const user = find(query(request)['email']);
        if (!user) return fail(reply, 404, 'User not found.');
        user['status'] = status;
        return { message: `User has been ${status === 'active' ? 'enabled' : 'disabled'} successfully.` };
      });
    }
    app.delete('/user/delete_user', async (request, reply) => {
      const user = find(query(request)['email']);
      if (!user) return fail(reply, 404, 'User not found.');
      if (user['role'] === 'owner') return fail(reply, 403, 'Owner of the organization cannot be deleted.');
      sim.store.delete(String(user['email']).toLowerCase());
      return { message: 'User has been deleted successfully.' };
    });
  },
};
