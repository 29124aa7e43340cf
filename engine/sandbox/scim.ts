import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProviderSimulator, SimulatorCredentials, SimulatorState } from './simulator';

/**
 * A SCIM 2.0 service provider's /Users endpoints (RFC 7643 §4.1, RFC 7644 §3), for any provider whose user API is
 * SCIM: `filter` (RFC 7644 §3.4.2.2: attribute paths, eq/ne/co/sw/ew/gt/ge/lt/le/pr, and/or/not, parentheses,
 * string literals with JSON escapes), `startIndex`/`count` pages with totalResults/itemsPerPage, POST, PUT, PATCH
 * (PatchOp add/replace/remove with attribute, sub-attribute, extension and value-filter paths), DELETE, the RFC's
 * error body, and 429 with Retry-After past a request budget. A provider's quirks are options.
 */
export interface ScimSimulatorOptions {
  name: string;
  /** Where the SCIM endpoints are under the simulator's origin ('' = the origin); `:name` segments match anything (`/identity/scim/:orgId/v2`). */
  basePath?: string;
  /** The credential check: a header (default authorization) that must equal `value`, {name} being the credential of that name. */
  auth?: { header?: string; value: string };
  /** The User attributes the provider keeps (top-level names; an extension schema URN keeps that extension). Others sent are ignored. */
  attributes?: readonly string[];
  /** Attributes a create must carry (default userName). */
  required?: readonly string[];
  /** Attributes no two users may share (a 409 uniqueness error); default userName. */
  unique?: readonly string[];
  /** Attributes a filter may name (top-level, case-insensitive); others are a 400 invalidFilter. Default: every kept attribute. */
  filterable?: readonly string[];
  /** Provider-specific filter names for attribute paths (Notion's `email` for `emails.value`). */
  filterAliases?: Readonly<Record<string, string>>;
  /** Page size when count is not given, and the largest count honoured. */
  paging?: { defaultCount?: number; maxCount?: number };
  /** Which operations the provider has; a missing one answers 405 (as the provider's SCIM does). Default: all. */
  operations?: readonly ('list' | 'get' | 'create' | 'replace' | 'patch' | 'delete')[];
  /** DELETE removes the user (default) or only deactivates it (active false, like Slack). */
  deleteMode?: 'remove' | 'deactivate';
  /** At most one email per user (a 400 invalidValue otherwise). */
  singleEmail?: boolean;
  /** Generated ids: uuid (default) or a prefix and a counter. */
  ids?: { style: 'uuid' } | { style: 'counter'; prefix?: string };
  /** A budget of requests per window; past it, 429 with Retry-After (seconds to the window's end). */
  rateLimit?: { requests: number; windowSeconds: number };
  /** Answers carry meta (created, lastModified, location, resourceType); default true. */
  meta?: boolean;
}

type Row = Record<string, unknown>;
type User = Row & { id: string };

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

const CORE_ATTRIBUTES = [
  'externalId', 'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone',
  'active', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates', SCIM_ENTERPRISE,
];
/** Attributes compared exactly (RFC 7643: caseExact); other strings compare case-insensitively. */
const CASE_EXACT = new Set(['id', 'externalid']);

/** The RFC 7644 §3.12 error body. */
export function scimError(status: number, detail: string, scimType?: string): Row {
  return { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

class ScimProblem extends Error {
  constructor(readonly status: number, detail: string, readonly scimType?: string) {
    super(detail);
  }
}

export function scimSimulator(options: ScimSimulatorOptions): ProviderSimulator {
  const base = (options.basePath ?? '').replace(/\/$/, '');
  const kept = options.attributes ?? CORE_ATTRIBUTES;
  const keptLower = new Set(kept.map((a) => a.toLowerCase()));
  const filterable = new Set([...(options.filterable ?? ['id', ...kept])].map((a) => a.toLowerCase()));
  const operations = new Set(options.operations ?? ['list', 'get', 'create', 'replace', 'patch', 'delete']);
  const auth = options.auth ?? { value: 'Bearer {access_token}' };
  let window = { start: 0, used: 0 };

  return {
    name: options.name,
    authenticate(request: FastifyRequest, credentials: SimulatorCredentials) {
      if (options.rateLimit) {
        const now = Date.now();
        if (now - window.start >= options.rateLimit.windowSeconds * 1000) window = { start: now, used: 0 };
        window.used += 1;
        if (window.used > options.rateLimit.requests) {
          const retryAfter = Math.max(1, Math.ceil((window.start + options.rateLimit.windowSeconds * 1000 - now) / 1000));
          return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: scimError(429, 'Too many requests') };
        }
      }
      const expected = auth.value.replace(/\{(\w+)\}/g, (whole, name: string) => credentials[name] ?? whole);
      if (request.headers[(auth.header ?? 'authorization').toLowerCase()] === expected) return null;
      return { status: 401, body: scimError(401, 'Authorization failure. The authorization header is invalid or missing.') };
    },
    contentParsers(app: FastifyInstance) {
      app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_request, body, done) => {
        try {
          done(null, body === '' ? undefined : JSON.parse(String(body)));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
    },
    routes(app: FastifyInstance, sim: SimulatorState) {
      const users = () => sim.store.all() as User[];
      const location = (request: FastifyRequest, id: string) => `${sim.origin()}${request.url.replace(/\?.*$/, '').replace(/\/Users(\/.*)?$/, '')}/Users/${id}`;
      const handle = (operation: string, handler: (request: FastifyRequest) => { status: number; body?: unknown }) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          if (!operations.has(operation as 'list')) return reply.code(405).send(scimError(405, `${request.method} is not supported on this endpoint`));
          try {
            const out = handler(request);
            reply.code(out.status).header('content-type', 'application/scim+json; charset=utf-8');
            return out.body === undefined ? reply.send() : reply.send(JSON.stringify(out.body));
          } catch (error) {
            if (!(error instanceof ScimProblem)) throw error;
            return reply.code(error.status).header('content-type', 'application/scim+json; charset=utf-8').send(JSON.stringify(scimError(error.status, error.message, error.scimType)));
          }
        };
      const find = (request: FastifyRequest): User => {
        const id = (request.params as { id: string }).id;
        const user = sim.store.get(id) as User | undefined;
        if (!user) throw new ScimProblem(404, `Resource ${id} not found`);
        return user;
      };
      const present = (request: FastifyRequest, user: User): Row => {
        const out: Row = { schemas: [SCIM_USER, ...(user[SCIM_ENTERPRISE] ? [SCIM_ENTERPRISE] : [])], ...user };
        if (options.meta === false) delete out['meta'];
        else out['meta'] = { ...(user['meta'] as Row), location: location(request, user.id) };
        return out;
      };
      /** The attributes a body may set: kept ones only, read case-insensitively (RFC 7643 §2.1). */
      const attributesOf = (body: unknown): Row => {
        if (!isRow(body)) throw new ScimProblem(400, 'The request body is not a SCIM resource', 'invalidSyntax');
        const schemas = body['schemas'];
        if (!Array.isArray(schemas) || !schemas.includes(SCIM_USER)) throw new ScimProblem(400, `schemas must include ${SCIM_USER}`, 'invalidSyntax');
        const out: Row = {};
        for (const [key, value] of Object.entries(body)) {
          const name = kept.find((a) => a.toLowerCase() === key.toLowerCase());
          if (name && value !== null) out[name] = value;
        }
        return out;
      };
      const check = (candidate: Row, self?: User) => {
        for (const field of options.required ?? ['userName']) {
          const value = candidate[field];
          if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) throw new ScimProblem(400, `${field} is required`, 'invalidValue');
        }
        if (candidate['active'] !== undefined && typeof candidate['active'] !== 'boolean') throw new ScimProblem(400, 'active must be a boolean', 'invalidValue');
        const emails = candidate['emails'];
        if (emails !== undefined && (!Array.isArray(emails) || !emails.every((e) => isRow(e) && typeof e['value'] === 'string' && e['value'].includes('@')))) {
          throw new ScimProblem(400, 'emails must be a list of { value } holding email addresses', 'invalidValue');
        }
        if (options.singleEmail && Array.isArray(emails) && emails.length > 1) throw new ScimProblem(400, 'Only one email address is supported', 'invalidValue');
        for (const field of options.unique ?? ['userName']) {
          const value = candidate[field];
          if (value === undefined) continue;
          const other = users().find((u) => u !== self && sameValue(u[field], value, field));
          if (other) throw new ScimProblem(409, `${field} ${JSON.stringify(value)} is already in use`, 'uniqueness');
        }
      };
      const withPrimary = (row: Row): Row => {
        const emails = row['emails'];
        if (Array.isArray(emails) && emails.length > 0 && !emails.some((e) => isRow(e) && e['primary'] === true)) {
          row['emails'] = emails.map((e, i) => (i === 0 && isRow(e) ? { ...e, primary: true } : e));
        }
        return row;
      };
      const stamp = (user: User): User => {
        user['meta'] = { ...(user['meta'] as Row), resourceType: 'User', lastModified: new Date().toISOString() };
        return user;
      };

      app.get(`${base}/Users`, handle('list', (request) => {
        const query = request.query as Record<string, string>;
        let list = users();
        if (query['filter'] !== undefined) {
          const test = parseFilter(query['filter'], filterable, options.filterAliases);
          list = list.filter((u) => test(u));
        }
        const startIndex = Math.max(1, Math.floor(Number(query['startIndex'] ?? 1)) || 1);
        const asked = query['count'] === undefined ? options.paging?.defaultCount ?? 100 : Math.max(0, Math.floor(Number(query['count'])) || 0);
        const count = Math.min(asked, options.paging?.maxCount ?? asked);
        const page = list.slice(startIndex - 1, startIndex - 1 + count);
        return { status: 200, body: { schemas: [LIST], totalResults: list.length, itemsPerPage: page.length, startIndex, Resources: page.map((u) => present(request, u)) } };
      }));

      app.get(`${base}/Users/:id`, handle('get', (request) => ({ status: 200, body: present(request, find(request)) })));

      app.post(`${base}/Users`, handle('create', (request) => {
        const attributes = withPrimary(attributesOf(request.body));
        check(attributes);
        const id = options.ids?.style === 'counter' ? String(sim.store.nextId(options.ids.prefix ?? '')) : randomUUID();
        const now = new Date().toISOString();
        const user: User = { id, active: true, ...attributes, meta: { resourceType: 'User', created: now, lastModified: now } };
        sim.store.insert(id, user);
        return { status: 201, body: present(request, user) };
      }));

      app.put(`${base}/Users/:id`, handle('replace', (request) => {
        const user = find(request);
        const attributes = withPrimary(attributesOf(request.body));
        check(attributes, user);
        const next: User = { id: user.id, active: true, ...attributes, meta: user['meta'] };
        sim.store.insert(user.id, stamp(next));
        return { status: 200, body: present(request, next) };
      }));

      app.patch(`${base}/Users/:id`, handle('patch', (request) => {
        const user = find(request);
        const body = request.body;
        if (!isRow(body) || !Array.isArray(body['schemas']) || !body['schemas'].includes(PATCH_OP)) throw new ScimProblem(400, `schemas must include ${PATCH_OP}`, 'invalidSyntax');
        const ops = body['Operations'];
        if (!Array.isArray(ops) || ops.length === 0) throw new ScimProblem(400, 'Operations must hold at least one operation', 'invalidSyntax');
        const next = structuredClone(user) as User;
        for (const op of ops) applyPatch(next, op, kept, keptLower);
        check(withPrimary(next), user);
        sim.store.insert(user.id, stamp(next));
        return { status: 200, body: present(request, next) };
      }));

      app.delete(`${base}/Users/:id`, handle('delete', (request) => {
        const user = find(request);
        if (options.deleteMode === 'deactivate') stamp(Object.assign(user, { active: false }));
        else sim.store.delete(user.id);
        return { status: 204 };
      }));
    },
  };
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `row` naming `name` case-insensitively. */
function keyOf(row: Row, name: string): string | undefined {
  return Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
}

function sameValue(a: unknown, b: unknown, attribute: string): boolean {
  if (typeof a === 'string' && typeof b === 'string') return CASE_EXACT.has(attribute.toLowerCase()) ? a === b : a.toLowerCase() === b.toLowerCase();
  return a === b;
}

// ---- filters (RFC 7644 §3.4.2.2) ----

type Token = { kind: 'word' | 'string' | 'open' | 'close' | 'lbracket' | 'rbracket'; text: string; value?: unknown };
type Test = (row: Row) => boolean;

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (c === ' ' || c === '\t') { i += 1; continue; }
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c === '(' ? 'open' : c === ')' ? 'close' : c === '[' ? 'lbracket' : 'rbracket', text: c });
      i += 1;
      continue;
    }
    if (c === '"') {
      // a JSON string: backslash escapes, ends at the first unescaped quote
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
      if (j >= filter.length) throw new ScimProblem(400, `unterminated string in filter at ${i + 1}`, 'invalidFilter');
      const text = filter.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new ScimProblem(400, `bad string literal ${text} in filter`, 'invalidFilter');
      }
      tokens.push({ kind: 'string', text, value });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < filter.length && !' \t()[]"'.includes(filter[j]!)) j += 1;
    tokens.push({ kind: 'word', text: filter.slice(i, j) });
    i = j;
  }
  return tokens;
}

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

/** A predicate over users for a filter; a filter outside the grammar or naming an unknown attribute is a 400 invalidFilter. */
export function parseFilter(filter: string, filterable?: ReadonlySet<string>, aliases: Readonly<Record<string, string>> = {}): Test {
  const tokens = tokenize(filter);
  let at = 0;
  let inBrackets = 0;
  const peek = () => tokens[at];
  const fail = (why: string): never => {
    throw new ScimProblem(400, `invalid filter ${JSON.stringify(filter)}: ${why}`, 'invalidFilter');
  };
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toLowerCase() === word;

  const orExpr = (): Test => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      at += 1;
      const l = left, r = andExpr();
      left = (row) => l(row) || r(row);
    }
    return left;
  };
  const andExpr = (): Test => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      at += 1;
      const l = left, r = unary();
      left = (row) => l(row) && r(row);
    }
    return left;
  };
  const unary = (): Test => {
    if (isWord(peek(), 'not')) {
      at += 1;
      if (peek()?.kind !== 'open') fail('not must be followed by (');
      const inner = unary();
      return (row) => !inner(row);
    }
    if (peek()?.kind === 'open') {
      at += 1;
      const inner = orExpr();
      if (peek()?.kind !== 'close') fail('missing )');
      at += 1;
      return inner;
    }
    return comparison();
  };
  const comparison = (): Test => {
    const path = peek();
    if (path?.kind !== 'word') return fail(`expected an attribute at ${path ? JSON.stringify(path.text) : 'the end'}`);
    at += 1;
    const alias = inBrackets === 0 ? Object.keys(aliases).find((a) => a.toLowerCase() === path.text.toLowerCase()) : undefined;
    const [top, ...rest] = attributePath(alias ? aliases[alias]! : path.text);
    if (filterable && inBrackets === 0 && !alias && !filterable.has(top!.toLowerCase())) fail(`the attribute ${top} cannot be filtered`);
    if (peek()?.kind === 'lbracket') {
      // a value filter on a multi-valued attribute: emails[type eq "work"]
      at += 1;
      inBrackets += 1;
      const inner = orExpr();
      inBrackets -= 1;
      if (peek()?.kind !== 'rbracket') fail('missing ]');
      at += 1;
      return (row) => valuesAt(row, [top!]).some((v) => isRow(v) && inner(v));
    }
    const op = peek();
    if (op?.kind !== 'word' || (!OPERATORS.has(op.text.toLowerCase()) && op.text.toLowerCase() !== 'pr')) return fail(`expected an operator after ${path.text}`);
    at += 1;
    const operator = op.text.toLowerCase();
    const segments = [top!, ...rest];
    if (operator === 'pr') return (row) => valuesAt(row, segments).some((v) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
    const literal = peek();
    if (!literal) return fail(`expected a value after ${operator}`);
    at += 1;
    let value: unknown;
    if (literal.kind === 'string') value = literal.value;
    else if (literal.kind === 'word' && ['true', 'false', 'null'].includes(literal.text)) value = JSON.parse(literal.text);
    else if (literal.kind === 'word' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(literal.text)) value = Number(literal.text);
    else return fail(`${literal.text} is not a value (strings are quoted)`);
    const exact = CASE_EXACT.has(segments[segments.length - 1]!.toLowerCase());
    return (row) => {
      // a multi-valued attribute of complex values compares its value sub-attribute (emails eq "a@b")
      const values = valuesAt(row, segments).map((v) => (isRow(v) && 'value' in v ? v['value'] : v));
      return values.some((v) => compare(v, operator, value, exact));
    };
  };
  const result = orExpr();
  if (at < tokens.length) fail(`unexpected ${JSON.stringify(tokens[at]!.text)}`);
  return result;
}

/** `name.givenName` → [name, givenName]; an extension URN prefix names the extension (its last `:` part is the attribute). */
function attributePath(text: string): string[] {
  if (text.toLowerCase().startsWith('urn:')) {
    const cut = text.lastIndexOf(':');
    return [text.slice(0, cut), ...text.slice(cut + 1).split('.')];
  }
  return text.split('.');
}

/** Every value at a path, flattening multi-valued attributes on the way. */
function valuesAt(row: Row, segments: string[]): unknown[] {
  let current: unknown[] = [row];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of current) {
      if (!isRow(node)) continue;
      const key = keyOf(node, segment);
      if (key === undefined) continue;
      const value = node[key];
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
  }
  return current;
}

function compare(actual: unknown, operator: string, expected: unknown, exact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = exact ? actual : actual.toLowerCase();
    const b = exact ? expected : expected.toLowerCase();
    switch (operator) {
      case 'eq': return a === b;
      case 'ne': return a !== b;
      case 'co': return a.includes(b);
      case 'sw': return a.startsWith(b);
      case 'ew': return a.endsWith(b);
      case 'gt': return a > b;
      case 'ge': return a >= b;
      case 'lt': return a < b;
      case 'le': return a <= b;
    }
  }
  if (operator === 'eq') return actual === expected;
  if (operator === 'ne') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    return operator === 'gt' ? actual > expected : operator === 'ge' ? actual >= expected : operator === 'lt' ? actual < expected : operator === 'le' ? actual <= expected : false;
  }
  return false;
}

// ---- PATCH (RFC 7644 §3.5.2) ----

function applyPatch(user: User, operation: unknown, kept: readonly string[], keptLower: ReadonlySet<string>): void {
  if (!isRow(operation)) throw new ScimProblem(400, 'an operation must be an object', 'invalidSyntax');
  const op = String(operation['op'] ?? '').toLowerCase();
  if (!['add', 'replace', 'remove'].includes(op)) throw new ScimProblem(400, `unknown op ${JSON.stringify(operation['op'])}`, 'invalidSyntax');
  const path = operation['path'];
  const value = operation['value'];
  if (path === undefined || path === '') {
    if (op === 'remove') throw new ScimProblem(400, 'remove needs a path', 'noTarget');
    if (!isRow(value)) throw new ScimProblem(400, `${op} without a path needs an object value`, 'invalidValue');
    for (const [key, v] of Object.entries(value)) applyPatch(user, { op, path: key, value: v }, kept, keptLower);
    return;
  }
  if (typeof path !== 'string') throw new ScimProblem(400, 'path must be a string', 'invalidPath');
  const filtered = /^([^[\]]+)\[(.+)\](?:\.(\w+))?$/.exec(path);
  const [top, ...rest] = filtered ? [filtered[1]!] : attributePath(path);
  if (top === undefined || !keptLower.has(top.toLowerCase())) throw new ScimProblem(400, `the attribute ${path} is not supported`, 'invalidPath');
  const name = kept.find((a) => a.toLowerCase() === top.toLowerCase())!;
  if (filtered) {
    // emails[type eq "work"].value: the matching elements of a multi-valued attribute
    const test = parseFilter(filtered[2]!);
    const list = Array.isArray(user[name]) ? (user[name] as unknown[]) : [];
    const sub = filtered[3];
    if (op === 'remove' && !sub) user[name] = list.filter((v) => !(isRow(v) && test(v)));
    else {
      const matched = list.filter((v) => isRow(v) && test(v)) as Row[];
      if (matched.length === 0 && op === 'replace') throw new ScimProblem(400, `no value of ${name} matches ${filtered[2]}`, 'noTarget');
      for (const element of matched) {
        if (!sub) Object.assign(element, isRow(value) ? value : {});
        else if (op === 'remove') delete element[keyOf(element, sub) ?? sub];
        else element[keyOf(element, sub) ?? sub] = value;
      }
    }
    return;
  }
  if (rest.length === 0) {
    if (op === 'remove') delete user[name];
    else if (op === 'add' && Array.isArray(user[name]) && Array.isArray(value)) user[name] = [...(user[name] as unknown[]), ...value];
    else if (op === 'add' && isRow(user[name]) && isRow(value)) user[name] = { ...(user[name] as Row), ...value };
    else user[name] = value;
    return;
  }
  const parent = isRow(user[name]) ? (user[name] as Row) : {};
  const key = keyOf(parent, rest[0]!) ?? rest[0]!;
  if (op === 'remove') delete parent[key];
  else parent[key] = value;
  user[name] = parent;
}
