import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Microsoft Graph v1.0 users as the Graph reference describes them: bearer tokens, $select/$filter/$top with
 * @odata.nextLink pages under `value`, PATCH answering 204, and the OData error body
 * { error: { code, message, innerError: { date, request-id, client-request-id } } }.
 */
type GraphUser = Record<string, unknown> & { id: string; userPrincipalName: string };

/** What Graph returns when no $select is given. */
const DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const REQUIRED_ON_CREATE = ['accountEnabled', 'displayName', 'mailNickname', 'passwordProfile', 'userPrincipalName'];
const READ_ONLY = ['id', 'createdDateTime', 'signInActivity', 'externalUserState', 'creationType'];
const METADATA = 'https://graph.microsoft.com/v1.0/$metadata';

export const graphError = (code: string, message: string, details?: { code: string; message: string; target?: string }[]) => ({
  error: {
    code,
    message,
    innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
    ...(details ? { details } : {}),
  },
});

const notFound = (id: string) => graphError('Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
const invalidProperty = (name: string) => graphError('Request_BadRequest', `Invalid value specified for property '${name}' of resource 'User'.`);
const upnConflict = () => {
  const message = 'Another object with the same value for property userPrincipalName already exists.';
  return graphError('Request_BadRequest', message, [{ code: 'ObjectConflict', message, target: 'userPrincipalName' }]);
};
const weakPassword = () => graphError('Request_BadRequest', 'The specified password does not comply with password complexity requirements. Please provide a different password.');
const nonPremium = () => graphError('Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
const blank = (value: unknown) => value === undefined || value === null || value === '';

export interface EntraTenantOptions {
  /** A tenant with a Microsoft Entra ID P1/P2 licence can read signInActivity (default true). */
  premium?: boolean;
}

/** A simulated tenant; a tenant without a premium licence refuses any read that selects signInActivity. */
export function createMicrosoftEntraIdSimulator(options: EntraTenantOptions = {}): ProviderSimulator {
  const premium = options.premium ?? true;
  return {
    name: 'microsoft-entra-id',
    authenticate(request, credentials) {
      const header = request.headers.authorization;
      if (header === `Bearer ${credentials['access_token']}`) return null;
      const challenge = { 'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' };
      const message = !header || header === 'Bearer' || header === 'Bearer ' ? 'Access token is empty.' : 'Access token validation failure. Invalid audience.';
      return { status: 401, headers: challenge, body: graphError('InvalidAuthenticationToken', message) };
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      const users = () => sim.store.all() as GraphUser[];
      /** {user-id}: the object id or the userPrincipalName. */
      const find = (key: string): GraphUser | undefined =>
        (sim.store.get(key) as GraphUser | undefined) ?? users().find((u) => u.userPrincipalName.toLowerCase() === key.toLowerCase());
      const upnTaken = (upn: string, except?: GraphUser) => users().some((u) => u !== except && u.userPrincipalName.toLowerCase() === upn.toLowerCase());

      app.get('/v1.0/users', async (request, reply) => {
        const query = request.query as Record<string, string | undefined>;
        const top = query['$top'] === undefined ? 100 : Number(query['$top']);
        if (!Number.isInteger(top) || top < 1 || top > 999) {
          return reply.code(400).send(graphError('Request_BadRequest', `Invalid page size specified: '${query['$top']}'. Must be between 1 and 999 inclusive.`));
        }
        const select = parseSelect(query['$select']);
        if (select.includes('signInActivity') && !premium) return reply.code(403).send(nonPremium());
        let list = users();
        if (query['$filter']) {
          const filter = parseFilter(query['$filter']);
          if (!filter) return reply.code(400).send(graphError('Request_UnsupportedQuery', 'Unsupported Query.'));
          list = list.filter(filter);
        }
        let start = 0;
        if (query['$skiptoken']) {
          const decoded = decodeSkipToken(query['$skiptoken']);
          if (decoded === undefined) return reply.code(400).send(graphError('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.'));
          start = decoded;
        }
        const page = list.slice(start, start + top).map((u) => project(u, select));
        const body: Record<string, unknown> = { '@odata.context': `${METADATA}#users${select.length ? `(${select.join(',')})` : ''}`, value: page };
        if (start + top < list.length) {
          const next = new URLSearchParams();
          if (query['$select']) next.set('$select', query['$select']);
          if (query['$filter']) next.set('$filter', query['$filter']);
          next.set('$top', String(top));
          next.set('$skiptoken', encodeSkipToken(start + top));
          body['@odata.nextLink'] = `${sim.origin()}/v1.0/users?${next.toString()}`;
        }
        return reply.send(body);
      });

      app.post('/v1.0/users', async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        for (const property of REQUIRED_ON_CREATE) if (blank(body[property])) return reply.code(400).send(invalidProperty(property));
        const upn = String(body['userPrincipalName']);
        if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(upn)) return reply.code(400).send(invalidProperty('userPrincipalName'));
        const password = (body['passwordProfile'] as { password?: unknown } | undefined)?.password;
        if (typeof password !== 'string' || password === '') return reply.code(400).send(invalidProperty('passwordProfile'));
        if (!strongEnough(password)) return reply.code(400).send(weakPassword());
        if (upnTaken(upn)) return reply.code(400).send(upnConflict());
        const id = randomUUID();
        const { passwordProfile: _secret, ...rest } = body;
        const user: GraphUser = {
          businessPhones: [],
          displayName: null,
          givenName: null,
          jobTitle: null,
          mail: null,
          mobilePhone: null,
          officeLocation: null,
          preferredLanguage: null,
          surname: null,
          otherMails: [],
          userType: 'Member',
          externalUserState: null,
          ...rest,
          id,
          userPrincipalName: upn,
          createdDateTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          signInActivity: null,
        };
        sim.store.insert(id, user);
        return reply
          .code(201)
          .header('location', `https://graph.microsoft.com/v2/${randomUUID()}/directoryObjects/${id}/Microsoft.DirectoryServices.User`)
          .send({ '@odata.context': `${METADATA}#users/$entity`, ...project(user, []) });
      });

      app.get('/v1.0/users/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        const user = find(id);
        if (!user) return reply.code(404).send(notFound(id));
        const select = parseSelect((request.query as Record<string, string | undefined>)['$select']);
        if (select.includes('signInActivity') && !premium) return reply.code(403).send(nonPremium());
        return reply.send({ '@odata.context': `${METADATA}#users${select.length ? `(${select.join(',')})` : ''}/$entity`, ...project(user, select) });
      });

      app.patch('/v1.0/users/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        const user = find(id);
        if (!user) return reply.code(404).send(notFound(id));
        const body = (request.body ?? {}) as Record<string, unknown>;
        if ('displayName' in body && blank(body['displayName'])) return reply.code(400).send(invalidProperty('displayName'));
        for (const property of READ_ONLY) {
          if (property in body) return reply.code(400).send(graphError('Request_BadRequest', `Property '${property}' is read-only and cannot be set.`));
        }
        if (typeof body['userPrincipalName'] === 'string' && upnTaken(body['userPrincipalName'], user)) return reply.code(400).send(upnConflict());
        const password = (body['passwordProfile'] as { password?: unknown } | undefined)?.password;
        if (password !== undefined && (typeof password !== 'string' || !strongEnough(password))) return reply.code(400).send(weakPassword());
        const { passwordProfile: _secret, ...rest } = body;
        Object.assign(user, rest);
        return reply.code(204).send();
      });

      app.delete('/v1.0/users/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        const user = find(id);
        if (!user) return reply.code(404).send(notFound(id));
        sim.store.delete(user.id);
        return reply.code(204).send();
      });
    },
  };
}

export const microsoftEntraIdSimulator: ProviderSimulator = createMicrosoftEntraIdSimulator();

function parseSelect(select: string | undefined): string[] {
  return select ? select.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** $select returns the named properties plus id; without it, Graph's default set. */
function project(user: GraphUser, select: string[]): Record<string, unknown> {
  const keys = select.length ? [...new Set(['id', ...select])] : DEFAULT_PROPERTIES;
  return Object.fromEntries(keys.map((k) => [k, user[k] ?? (k === 'businessPhones' || k === 'otherMails' ? [] : null)]));
}

/** Default password policy: 8+ characters and three of lower case, upper case, digits, symbols. */
function strongEnough(password: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return password.length >= 8 && password.length <= 256 && classes >= 3;
}

const encodeSkipToken = (offset: number) => `RFNwdAIAAQAAA${Buffer.from(`offset:${offset}`).toString('base64url')}`;

function decodeSkipToken(token: string): number | undefined {
  if (!token.startsWith('RFNwdAIAAQAAA')) return undefined;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token.slice(13), 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** The $filter forms the mapping sends (mail eq '…', userPrincipalName eq '…'); others are unsupported here. */
function parseFilter(filter: string): ((user: GraphUser) => boolean) | undefined {
  const match = /^(mail|userPrincipalName)\s+eq\s+'((?:[^']|'')*)'$/.exec(filter.trim());
  if (!match) return undefined;
  const [, property, raw] = match as unknown as [string, string, string];
  const wanted = raw.replace(/''/g, "'").toLowerCase();
  return (user) => typeof user[property] === 'string' && (user[property] as string).toLowerCase() === wanted;
}
