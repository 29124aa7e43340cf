import type { FastifyInstance } from 'fastify';
import type { ProviderSimulator, SimulatorState } from '../simulator';

/**
 * Salesforce's REST API for the User sObject as its reference documents it: OAuth bearer tokens, 201 { id, success,
 * errors } on create, 204 on update, SOQL queries paged behind nextRecordsUrl query locators, and error bodies that
 * are arrays of { message, errorCode, fields }. Users cannot be deleted, so there is no DELETE route.
 */
type SfUser = Record<string, unknown> & { Id: string; Username: string };
type SfError = { message: string; errorCode: string; fields?: string[] };

export const SALESFORCE_PROFILES: Record<string, string> = {
  '00e5e00000SysAdAAA': 'System Administrator',
  '00e5e00000StdUsAAA': 'Standard User',
};
export const SALESFORCE_ROLES: Record<string, string> = {
  '00E5e00000CeoRoEAK': 'CEO',
  '00E5e00000SalesEAK': 'Sales Manager',
};

const REQUIRED = ['Username', 'LastName', 'Email', 'Alias', 'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'ProfileId', 'LanguageLocaleKey'];
const WRITABLE = [
  'Username', 'FirstName', 'LastName', 'Email', 'Alias', 'Phone', 'Extension', 'MobilePhone', 'IsActive', 'ProfileId', 'UserRoleId',
  'TimeZoneSidKey', 'LocaleSidKey', 'EmailEncodingKey', 'LanguageLocaleKey', 'AboutMe', 'Title', 'CommunityNickname',
];
const MAX_LENGTH: Record<string, number> = { Alias: 8, Username: 80, FirstName: 40, LastName: 80 };

const errors = (...items: SfError[]) => items;
const notFound = () => errors({ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' });
/** Salesforce's date-time format: milliseconds and a +0000 offset. */
const now = () => new Date().toISOString().replace('Z', '+0000');
const blank = (v: unknown) => v === undefined || v === null || v === '';

export interface SalesforceSimulatorOptions {
  /** Rows per query batch (Salesforce's default is 2,000; tests use a small one to see several pages). */
  pageSize?: number;
}

export function salesforceSimulator(options: SalesforceSimulatorOptions = {}): ProviderSimulator {
  const pageSize = options.pageSize ?? 2000;
  return {
    name: 'salesforce',
    authenticate(request, credentials) {
      if (request.headers.authorization === `Bearer ${credentials['access_token']}`) return null;
      return { status: 401, body: errors({ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }) };
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      const users = () => sim.store.all() as SfUser[];
      const find = (id: string) => sim.store.get(id) as SfUser | undefined;
      const locators = new Map<string, Record<string, unknown>[]>();
      let locatorCount = 0;

      /** Field-level checks shared by create and update; the first problem wins, as in Salesforce. */
      const invalid = (fields: Record<string, unknown>, self?: SfUser): SfError[] | undefined => {
        for (const [field, max] of Object.entries(MAX_LENGTH)) {
          const value = fields[field];
          if (typeof value === 'string' && value.length > max) {
            return errors({ message: `${field}: data value too large: ${value} (max length=${max})`, errorCode: 'STRING_TOO_LONG', fields: [field] });
          }
        }
        const unknown = Object.keys(fields).filter((f) => !WRITABLE.includes(f));
        if (unknown.length > 0) return errors({ message: `No such column '${unknown[0]}' on sobject of type User`, errorCode: 'INVALID_FIELD' });
        if (fields['ProfileId'] !== undefined && !(String(fields['ProfileId']) in SALESFORCE_PROFILES)) {
          return errors({ message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['ProfileId'] });
        }
        if (!blank(fields['UserRoleId']) && !(String(fields['UserRoleId']) in SALESFORCE_ROLES)) {
          return errors({ message: 'invalid cross reference id', errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['UserRoleId'] });
        }
        if (fields['Username'] !== undefined && users().some((u) => u !== self && u.Username.toLowerCase() === String(fields['Username']).toLowerCase())) {
          return errors({
            message: "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
            errorCode: 'DUPLICATE_USERNAME',
            fields: ['Username'],
          });
        }
        return undefined;
      };

      const sobject = (user: SfUser, version: string) => ({ attributes: { type: 'User', url: `/services/data/${version}/sobjects/User/${user.Id}` }, ...user });

      app.post('/services/data/:version/sobjects/User', async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const missing = REQUIRED.filter((f) => blank(body[f]));
        if (missing.length > 0) {
          return reply.code(400).send(errors({ message: `Required fields are missing: [${missing.join(', ')}]`, errorCode: 'REQUIRED_FIELD_MISSING', fields: missing }));
        }
        const problem = invalid(body);
        if (problem) return reply.code(400).send(problem);
        const Id = `${sim.store.nextId('005')}AAA`;
        const at = now();
        const user: SfUser = {
          Id,
          Username: String(body['Username']),
          FirstName: null,
          Phone: null,
          Extension: null,
          MobilePhone: null,
          UserRoleId: null,
          AboutMe: null,
          IsActive: true,
          UserType: 'Standard',
          CommunityNickname: `${String(body['Alias'])}${Id.slice(-6, -3)}`,
          ...body,
          Name: [body['FirstName'], body['LastName']].filter((v) => !blank(v)).join(' '),
          FullPhotoUrl: `${sim.origin()}/profilephoto/005/F`,
          CreatedDate: at,
          LastModifiedDate: at,
          LastLoginDate: null,
        };
        sim.store.insert(Id, user);
        return reply.code(201).send({ id: Id, success: true, errors: [] });
      });

      app.get('/services/data/:version/sobjects/User/:id', async (request, reply) => {
        const { id, version } = request.params as { id: string; version: string };
        const user = find(id);
        return user ? reply.send(sobject(user, version)) : reply.code(404).send(notFound());
      });

      app.patch('/services/data/:version/sobjects/User/:id', async (request, reply) => {
        const { id } = request.params as { id: string };
        const user = find(id);
        if (!user) return reply.code(404).send(notFound());
        const body = (request.body ?? {}) as Record<string, unknown>;
        const cleared = REQUIRED.filter((f) => f in body && blank(body[f]));
        if (cleared.length > 0) {
          return reply.code(400).send(errors({ message: `Required fields are missing: [${cleared.join(', ')}]`, errorCode: 'REQUIRED_FIELD_MISSING', fields: cleared }));
        }
        const problem = invalid(body, user);
        if (problem) return reply.code(400).send(problem);
        Object.assign(user, body);
        user['Name'] = [user['FirstName'], user['LastName']].filter((v) => !blank(v)).join(' ');
        user['LastModifiedDate'] = now();
        return reply.code(204).send();
      });

      const page = (version: string, locator: string, rows: Record<string, unknown>[], offset: number) => {
        const records = rows.slice(offset, offset + pageSize);
        const done = offset + pageSize >= rows.length;
        return { totalSize: rows.length, done, ...(done ? {} : { nextRecordsUrl: `/services/data/${version}/query/${locator}-${offset + pageSize}` }), records };
      };

      app.get('/services/data/:version/query', async (request, reply) => {
        const { version } = request.params as { version: string };
        const soql = (request.query as Record<string, string>)['q'] ?? '';
        const parsed = parseSoql(soql);
        if ('error' in parsed) return reply.code(400).send(errors(parsed.error));
        const rows = users().filter((u) => parsed.where.every((clause) => clause(u))).map((u) => project(u, parsed.fields, version));
        locatorCount += 1;
        const locator = `01g5e${String(locatorCount).padStart(10, '0')}AAA`;
        locators.set(locator, rows);
        return reply.send(page(version, locator, rows, 0));
      });

      app.get('/services/data/:version/query/:cursor', async (request, reply) => {
        const { version, cursor } = request.params as { version: string; cursor: string };
        const [locator, offset] = cursor.split('-') as [string, string | undefined];
        const rows = locators.get(locator);
        if (!rows || offset === undefined) return reply.code(400).send(errors({ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }));
        return reply.send(page(version, locator, rows, Number(offset)));
      });
    },
  };
}

const QUERYABLE = new Set([
  'Id', 'Username', 'FirstName', 'LastName', 'Name', 'Email', 'Phone', 'Extension', 'MobilePhone', 'IsActive', 'ProfileId', 'Profile.Name',
  'UserRoleId', 'UserRole.Name', 'TimeZoneSidKey', 'LanguageLocaleKey', 'LocaleSidKey', 'EmailEncodingKey', 'Alias', 'FullPhotoUrl', 'AboutMe',
  'UserType', 'CommunityNickname', 'Title', 'CreatedDate', 'LastModifiedDate', 'LastLoginDate',
]);

type Clause = (user: SfUser) => boolean;

/** The SOQL the mapping sends: SELECT <fields> FROM User [WHERE <field> = '<text>' | <field> > <datetime> [AND ...]]. */
function parseSoql(soql: string): { fields: string[]; where: Clause[] } | { error: SfError } {
  const malformed = (message: string) => ({ error: { message, errorCode: 'MALFORMED_QUERY' } });
  const m = /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+))?$/is.exec(soql.trim());
  if (!m) return malformed(`unexpected token: ${soql.split(/\s+/)[0] ?? ''}`);
  const [, fieldText, entity, whereText] = m as unknown as [string, string, string, string | undefined];
  if (entity !== 'User') return { error: { message: `sObject type '${entity}' is not supported.`, errorCode: 'INVALID_TYPE' } };
  const fields = fieldText.split(',').map((f) => f.trim());
  const unknown = fields.find((f) => !QUERYABLE.has(f));
  if (unknown) return { error: { message: `No such column '${unknown}' on entity 'User'.`, errorCode: 'INVALID_FIELD' } };
  const where: Clause[] = [];
  for (const text of whereText ? splitAnd(whereText) : []) {
    const eq = /^(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(text);
    const gt = /^(\w+)\s*>\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))$/.exec(text);
    if (eq) {
      const [, field, raw] = eq as unknown as [string, string, string];
      const value = raw.replace(/\\(.)/g, '$1').toLowerCase();
      where.push((u) => String(u[field] ?? '').toLowerCase() === value);
    } else if (gt) {
      const [, field, at] = gt as unknown as [string, string, string];
      where.push((u) => Date.parse(String(u[field]).replace('+0000', 'Z')) > Date.parse(at));
    } else {
      return malformed(`unexpected token: ${text}`);
    }
  }
  return { fields, where };
}

/** Split on AND outside quoted strings. */
function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && quoted) {
      current += c + (text[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (!quoted && /^\s+AND\s+/i.test(text.slice(i))) {
      parts.push(current.trim());
      i += (/^\s+AND\s+/i.exec(text.slice(i))![0].length) - 1;
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current.trim());
  return parts;
}

/** A query row: the selected fields, relationship fields as nested records (null without a related record). */
function project(user: SfUser, fields: string[], version: string): Record<string, unknown> {
  const row: Record<string, unknown> = { attributes: { type: 'User', url: `/services/data/${version}/sobjects/User/${user.Id}` } };
  for (const field of fields) {
    const [relation, name] = field.split('.') as [string, string | undefined];
    if (!name) {
      row[field] = user[field] ?? null;
      continue;
    }
    const id = user[`${relation}Id`];
    const table = relation === 'Profile' ? SALESFORCE_PROFILES : SALESFORCE_ROLES;
    const sobjectType = relation === 'Profile' ? 'Profile' : 'UserRole';
    row[relation] = blank(id) ? null : { attributes: { type: sobjectType, url: `/services/data/${version}/sobjects/${sobjectType}/${String(id)}` }, [name]: table[String(id)] ?? null };
  }
  return row;
}
