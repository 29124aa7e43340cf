import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Google Workspace Admin SDK Directory API v1 users, as its discovery document and reference describe them:
 * OAuth bearer tokens, maxResults/pageToken/nextPageToken pages under `users`, users.update (PUT) and
 * users.patch with patch semantics, and Google's { error: { code, message, errors[], status } } bodies.
 */
type GoogleUser = Record<string, unknown> & {
  id: string;
  primaryEmail: string;
  name: { givenName?: string; familyName?: string; fullName?: string; displayName?: string };
  emails: { address: string; primary?: boolean; type?: string; customType?: string }[];
};

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
};

/** Google's error body; `detail` is the message of errors[0] when it differs from the top-level one. */
export const googleError = (code: number, reason: string, message: string, extra: Record<string, string> = {}, detail = message) => ({
  error: {
    code,
    message,
    errors: [{ message: detail, domain: 'global', reason, ...extra }],
    ...(STATUS_TEXT[code] ? { status: STATUS_TEXT[code] } : {}),
  },
});

const CUSTOMER_ID = 'C03az79cb';
const DOMAIN = 'example.com';
const NEVER = '1970-01-01T00:00:00.000Z';
const USERS_PATH = '/admin/directory/v1/users';

const notFound = () => googleError(404, 'notFound', 'Resource Not Found: userKey');
const duplicate = () => googleError(409, 'duplicate', 'Entity already exists.');
const now = () => new Date().toISOString();
const etag = () => `"${Math.random().toString(36).slice(2, 12)}/${Math.random().toString(36).slice(2, 14)}"`;

export const googleWorkspaceSimulator: ProviderSimulator = {
  name: 'google-workspace',
  authenticate(request, credentials) {
    const header = request.headers.authorization;
    if (header === `Bearer ${credentials['access_token']}`) return null;
    const where = { location: 'Authorization', locationType: 'header' };
    const expected = 'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';
    if (!header) {
      return { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' }, body: googleError(401, 'required', `Request is missing required authentication credential. ${expected}`, where, 'Login Required.') };
    }
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      body: googleError(401, 'authError', `Request had invalid authentication credentials. ${expected}`, where, 'Invalid Credentials'),
    };
  },
  routes(app: FastifyInstance, sim: SimulatorState) {
    const users = () => sim.store.all() as GoogleUser[];
    /** userKey: the user's id, primary email address or an alias email address. */
    const find = (key: string): GoogleUser | undefined => {
      const wanted = key.toLowerCase();
      const aliases = (u: GoogleUser) => (Array.isArray(u['aliases']) ? (u['aliases'] as string[]) : []);
      return (sim.store.get(key) as GoogleUser | undefined) ??
        users().find((u) => u.primaryEmail.toLowerCase() === wanted || aliases(u).some((a) => a.toLowerCase() === wanted));
    };
    const emailTaken = (address: string, except?: GoogleUser) =>
      users().some((u) => u !== except && (u.primaryEmail.toLowerCase() === address.toLowerCase()));

    app.get(USERS_PATH, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      if (!query['customer'] && !query['domain']) return reply.code(400).send(googleError(400, 'badRequest', 'Bad Request'));
      if (query['customer'] && query['customer'] !== 'my_customer' && query['customer'] !== CUSTOMER_ID) {
        return reply.code(400).send(googleError(400, 'badRequest', 'Bad Request'));
      }
      const max = query['maxResults'] === undefined ? 100 : Number(query['maxResults']);
      if (!Number.isInteger(max) || max < 1 || max > 500) {
        return reply.code(400).send(googleError(400, 'invalid', `Invalid value '${query['maxResults']}'. Values must be within the range: [1, 500]`, { location: 'maxResults', locationType: 'parameter' }));
      }
      let list = users().filter((u) => (query['showDeleted'] === 'true') === Boolean(u['deletionTime']));
      if (query['domain']) list = list.filter((u) => u.primaryEmail.toLowerCase().endsWith(`@${query['domain']!.toLowerCase()}`));
      if (query['query']) {
        const filter = parseSearch(query['query']);
        if (!filter) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Input', { location: 'query', locationType: 'parameter' }));
        list = list.filter(filter);
      }
      let start = 0;
      if (query['pageToken']) {
        const decoded = decodeToken(query['pageToken']);
        if (decoded === undefined) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Input: pageToken', { location: 'pageToken', locationType: 'parameter' }));
        start = decoded;
      }
      const page = list.slice(start, start + max);
      const body: Record<string, unknown> = { kind: 'admin#directory#users', etag: etag() };
      // Google leaves `users` out of an empty page.
      if (page.length > 0) body['users'] = page;
      if (start + max < list.length) body['nextPageToken'] = encodeToken(start + max);
      return reply.send(body);
    });

    app.post(USERS_PATH, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const name = (body['name'] ?? {}) as GoogleUser['name'];
      const primaryEmail = typeof body['primaryEmail'] === 'string' ? body['primaryEmail'].trim() : '';
      if (!primaryEmail || !/^[^@\s]+@[^@\s]+$/.test(primaryEmail)) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Input: primary_user_email'));
      if (!name.givenName) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Given/Family Name: GivenName'));
      if (!name.familyName) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Given/Family Name: FamilyName'));
      const password = body['password'];
      if (typeof password !== 'string' || password.length < 8 || password.length > 100) return reply.code(400).send(googleError(400, 'invalid', 'Invalid Password'));
      if (emailTaken(primaryEmail)) return reply.code(409).send(duplicate());
      const id = `1${String(sim.store.nextId('', true)).padStart(20, '0')}`;
      const { password: _secret, hashFunction: _hash, name: _name, emails: _emails, ...stored } = body;
      const user: GoogleUser = {
        kind: 'admin#directory#user',
        id,
        etag: etag(),
        primaryEmail,
        name: withFullName(name),
        isAdmin: false,
        isDelegatedAdmin: false,
        lastLoginTime: NEVER,
        creationTime: now().replace(/\.\d{3}Z$/, '.000Z'),
        agreedToTerms: false,
        suspended: false,
        archived: false,
        changePasswordAtNextLogin: false,
        ipWhitelisted: false,
        customerId: CUSTOMER_ID,
        orgUnitPath: '/',
        isMailboxSetup: false,
        isEnrolledIn2Sv: false,
        isEnforcedIn2Sv: false,
        includeInGlobalAddressList: true,
        ...stored,
        ...(body['suspended'] === true ? { suspensionReason: 'ADMIN' } : {}),
        emails: withPrimary(primaryEmail, body['emails'] as GoogleUser['emails'] | undefined),
      };
      return reply.send(sim.store.insert(id, user));
    });

    app.get(`${USERS_PATH}/:userKey`, async (request, reply) => {
      const user = find((request.params as { userKey: string }).userKey);
      return user && !user['deletionTime'] ? reply.send(user) : reply.code(404).send(notFound());
    });

    // users.update and users.patch: both merge the fields sent; arrays are replaced whole.
    const update = async (request: { params: unknown; body: unknown }, reply: FastifyReply) => {
      const user = find((request.params as { userKey: string }).userKey);
      if (!user || user['deletionTime']) return reply.code(404).send(notFound());
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body['primaryEmail'] === 'string' && body['primaryEmail'].toLowerCase() !== user.primaryEmail.toLowerCase()) {
        if (emailTaken(body['primaryEmail'], user)) return reply.code(409).send(duplicate());
        user.primaryEmail = body['primaryEmail'];
      }
      if (body['password'] !== undefined && (typeof body['password'] !== 'string' || body['password'].length < 8 || body['password'].length > 100)) {
        return reply.code(400).send(googleError(400, 'invalid', 'Invalid Password'));
      }
      const name = body['name'] as GoogleUser['name'] | undefined;
      if (name && (name.givenName === '' || name.familyName === '')) {
        return reply.code(400).send(googleError(400, 'invalid', `Invalid Given/Family Name: ${name.givenName === '' ? 'GivenName' : 'FamilyName'}`));
      }
      for (const [key, value] of Object.entries(body)) {
        if (['password', 'hashFunction', 'primaryEmail', 'name', 'emails', 'id', 'kind', 'etag', 'creationTime', 'lastLoginTime', 'customerId'].includes(key)) continue;
        if (value === null) delete user[key];
        else user[key] = value;
      }
      if (name) user.name = withFullName({ ...user.name, ...name });
      if (body['emails'] !== undefined) user.emails = withPrimary(user.primaryEmail, body['emails'] as GoogleUser['emails']);
      else user.emails = withPrimary(user.primaryEmail, user.emails.filter((e) => !e.primary));
      if (body['suspended'] === true) user['suspensionReason'] = 'ADMIN';
      if (body['suspended'] === false) delete user['suspensionReason'];
      user['etag'] = etag();
      return reply.send(user);
    };
    app.put(`${USERS_PATH}/:userKey`, update);
    app.patch(`${USERS_PATH}/:userKey`, update);

    app.delete(`${USERS_PATH}/:userKey`, async (request, reply) => {
      const user = find((request.params as { userKey: string }).userKey);
      if (!user || user['deletionTime']) return reply.code(404).send(notFound());
      sim.store.delete(user.id);
      return reply.code(204).send();
    });
  },
};

function withFullName(name: GoogleUser['name']): GoogleUser['name'] {
  const { fullName: _ignored, ...rest } = name;
  return { ...rest, fullName: [name.givenName, name.familyName].filter(Boolean).join(' ') };
}

/** Google lists the primary address in emails[] too, first and marked primary. */
function withPrimary(primary: string, emails: GoogleUser['emails'] | undefined): GoogleUser['emails'] {
  const isPrimary = (e: GoogleUser['emails'][number]) => e.address.toLowerCase() === primary.toLowerCase();
  const valid = (emails ?? []).filter((e) => e && typeof e.address === 'string' && e.address !== '');
  const { primary: _flag, address: _address, ...primaryType } = valid.find(isPrimary) ?? { address: primary };
  const others = valid.filter((e) => !isPrimary(e)).map(({ primary: _primary, ...e }) => e);
  return [{ address: primary, primary: true, ...primaryType }, ...others];
}

const encodeToken = (offset: number) => Buffer.from(`offset:${offset}:${DOMAIN}`).toString('base64url');

function decodeToken(token: string): number | undefined {
  const match = /^offset:(\d+):/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** The search clauses this simulator understands: email='x', email:x and email=x (others are refused). */
function parseSearch(query: string): ((user: GoogleUser) => boolean) | undefined {
  const match = /^email\s*[=:]\s*(?:'((?:[^'\\]|\\.)*)'|(\S+))$/.exec(query.trim());
  if (!match) return undefined;
  const wanted = (match[1] ?? match[2]!).replace(/\\(.)/g, '$1').toLowerCase();
  return (user) => user.primaryEmail.toLowerCase() === wanted || user.emails.some((e) => e.address.toLowerCase() === wanted);
}
