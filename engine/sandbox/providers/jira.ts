import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Jira Cloud's user endpoints as the platform REST v3 spec describes them: Basic auth (email:api_token),
 * accountId query parameters, bare-array lists paged by startAt/maxResults, and
 * { errorMessages, errors } error bodies. A failed login is Jira's text/plain 401.
 */
export type JiraUser = Record<string, unknown> & {
  accountId: string;
  accountType: 'atlassian' | 'app' | 'customer' | 'unknown';
  active: boolean;
  displayName: string;
  emailAddress?: string;
  /** Product keys the user can use (shown as applicationRoles). */
  products: string[];
  groups: { name: string; groupId: string | null }[];
};

export const JIRA_PRODUCTS = ['jira-core', 'jira-servicedesk', 'jira-product-discovery', 'jira-software'];

/** Groups a new user joins for each product, as a site's default product access groups do. */
const DEFAULT_GROUPS: Record<string, { name: string; groupId: string }> = {
  'jira-software': { name: 'jira-software-users-acme', groupId: '5a1c1b4e-27f4-4e1e-9a3b-2f3c1d0e0a01' },
  'jira-servicedesk': { name: 'jira-servicemanagement-users-acme', groupId: '5a1c1b4e-27f4-4e1e-9a3b-2f3c1d0e0a02' },
  'jira-core': { name: 'jira-core-users-acme', groupId: '5a1c1b4e-27f4-4e1e-9a3b-2f3c1d0e0a03' },
  'jira-product-discovery': { name: 'jira-product-discovery-users-acme', groupId: '5a1c1b4e-27f4-4e1e-9a3b-2f3c1d0e0a04' },
};

export const jiraError = (errorMessages: string[], errors: Record<string, string> = {}) => ({ errorMessages, errors });
const USER_NOT_FOUND = jiraError(['Specified user does not exist or you do not have required permissions']);
const ACCOUNT_ID_MISSING = jiraError(["The 'accountId' query parameter needs to be provided"]);

/** A Jira-looking account id (24 hex characters). */
let accountCounter = 0;
export function newAccountId(): string {
  accountCounter += 1;
  return `5b10ac8d82e05b22cc${String(accountCounter).padStart(6, '0')}`;
}

export const jiraSimulator: ProviderSimulator = {
  name: 'jira',
  authenticate(request, credentials) {
    const expected = `Basic ${Buffer.from(`${credentials['email']}:${credentials['api_token']}`).toString('base64')}`;
    if (request.headers.authorization === expected) return null;
    return {
      status: 401,
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'www-authenticate': 'OAuth realm="https%3A%2F%2Facme.atlassian.net"' },
      body: 'Client must be authenticated to access this resource.',
    };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const find = (accountId: string) => sim.store.get(accountId) as JiraUser | undefined;
    const self = (accountId: string) => `${sim.origin()}/rest/api/3/user?accountId=${accountId}`;

    /** Jira's representation; groups and applicationRoles list their items only when expanded. */
    const present = (user: JiraUser, expand: string[] = [], inList = false) => {
      const out: Record<string, unknown> = {
        self: self(user.accountId),
        accountId: user.accountId,
        accountType: user.accountType,
        ...(user.emailAddress === undefined ? {} : { emailAddress: user.emailAddress }),
        avatarUrls: Object.fromEntries(['48x48', '24x24', '16x16', '32x32'].map((size) => [
          size, `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${user.displayName.slice(0, 2).toUpperCase()}-5.png?size=${size.split('x')[0]}&s=${size.split('x')[0]}`,
        ])),
        displayName: user.displayName,
        active: user.active,
        timeZone: 'Europe/London',
        locale: 'en_GB',
      };
      if (inList) return out;
      out['groups'] = {
        size: user.groups.length,
        items: expand.includes('groups') ? user.groups.map((g) => ({ name: g.name, groupId: g.groupId, self: `${sim.origin()}/rest/api/3/group?groupId=${g.groupId}` })) : [],
      };
      out['applicationRoles'] = {
        size: user.products.length,
        items: expand.includes('applicationRoles') ? user.products.map((key) => ({ key, name: key })) : [],
      };
      out['expand'] = 'groups,applicationRoles';
      return out;
    };

    const list = async (request: { query: unknown }, reply: FastifyReply) => {
      const query = request.query as Record<string, string>;
      const startAt = Math.max(0, Number(query['startAt'] ?? 0));
      const maxResults = Math.min(Math.max(0, Number(query['maxResults'] ?? 50)), 1000);
      const users = sim.store.all() as JiraUser[];
      return reply.send(users.slice(startAt, startAt + maxResults).map((u) => present(u, [], true)));
    };
    app.get('/rest/api/3/users/search', list);
    app.get('/rest/api/3/users', list);

    app.get('/rest/api/3/user', async (request, reply) => {
      const query = request.query as Record<string, string>;
      if (!query['accountId']) return reply.code(400).send(ACCOUNT_ID_MISSING);
      const user = find(query['accountId']);
      if (!user) return reply.code(404).send(USER_NOT_FOUND);
      return reply.send(present(user, String(query['expand'] ?? '').split(',').map((e) => e.trim())));
    });

    app.post('/rest/api/3/user', async (request, reply) => {
      const body = (request.body ?? {}) as { emailAddress?: unknown; products?: unknown };
      if (typeof body.emailAddress !== 'string' || body.emailAddress.trim() === '') {
        return reply.code(400).send(jiraError([], { emailAddress: 'You must specify an email address.' }));
      }
      if (!Array.isArray(body.products)) {
        return reply.code(400).send(jiraError(['You must specify the products that user can access.']));
      }
      const unknown = body.products.filter((p) => !JIRA_PRODUCTS.includes(String(p)));
      if (unknown.length > 0) {
        return reply.code(400).send(jiraError([`Invalid product(s): ${unknown.join(', ')}. Valid products are: ${JIRA_PRODUCTS.join(', ')}.`]));
      }
      const existing = (sim.store.all() as JiraUser[]).find((u) => u.emailAddress?.toLowerCase() === body.emailAddress!.toString().toLowerCase());
      if (existing) {
        // Per Jira: an existing user with Jira access is answered 201, one without access 400.
        if (existing.products.length > 0) return reply.code(201).send(present(existing));
        return reply.code(400).send(jiraError([`User '${existing.emailAddress}' already exists but has no access to Jira.`]));
      }
      const accountId = newAccountId();
      const products = body.products.map(String);
      const user: JiraUser = {
        accountId,
        accountType: 'atlassian',
        active: true,
        displayName: body.emailAddress.split('@')[0]!,
        emailAddress: body.emailAddress,
        products,
        groups: products.map((p) => DEFAULT_GROUPS[p]!),
      };
      sim.store.insert(accountId, user);
      return reply.code(201).send(present(user));
    });

    app.delete('/rest/api/3/user', async (request, reply) => {
      const query = request.query as Record<string, string>;
      if (!query['accountId']) return reply.code(400).send(ACCOUNT_ID_MISSING);
      if (!find(query['accountId'])) return reply.code(404).send(USER_NOT_FOUND);
      sim.store.delete(query['accountId']);
      return reply.code(204).send();
    });
  },
};
