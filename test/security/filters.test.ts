/**
 * List filters from hostile callers, against the real engine and the provider simulators on 127.0.0.1:
 * names and value shapes the unified list_query schema refuses (nothing is sent), and values that try to add
 * clauses to a provider's filter syntax (they are sent quoted, or refused where the syntax has no escape).
 */
import fc from 'fast-check';
import { isUnimapError, type CallQuery, type Engine } from '../../engine';
import { backslashQuoted, odataString, scimString, soqlString } from '../../engine/jsonata/functions';
import { freshdeskSimulator } from '../../engine/sandbox/providers/freshdesk';
import { gitlabSimulator } from '../../engine/sandbox/providers/gitlab';
import { googleWorkspaceSimulator } from '../../engine/sandbox/providers/google-workspace';
import { microsoftEntraIdSimulator } from '../../engine/sandbox/providers/microsoft-entra-id';
import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { servicenowSimulator } from '../../engine/sandbox/providers/servicenow';
import { slackSimulator } from '../../engine/sandbox/providers/slack';
import { smartsheetSimulator } from '../../engine/sandbox/providers/smartsheet';
import { zendeskSimulator } from '../../engine/sandbox/providers/zendesk';
import { zohoDeskSimulator } from '../../engine/sandbox/providers/zoho-desk';
import type { LoggedRequest, RunningSimulator } from '../../engine/sandbox/simulator';
import { rejection, useProvider } from '../helpers/provider-harness';

const UD = 'user-directory';
const T = 'ticketing';
const SECRET = 'filters-canary-secret-7d41c0';

const okta = useProvider(oktaSimulator, { api_token: SECRET }, (url) => [{ id: 'okta', integration: 'okta', context: { subdomain: 'acme', api_token: SECRET }, base_url: url }]);
const slack = useProvider(slackSimulator, { access_token: SECRET }, (url) => [{ id: 'slack', integration: 'slack', context: { access_token: SECRET }, base_url: url }]);
const entra = useProvider(microsoftEntraIdSimulator, { access_token: SECRET }, (url) => [{ id: 'entra', integration: 'microsoft-entra-id', context: { access_token: SECRET }, base_url: url }]);
const google = useProvider(googleWorkspaceSimulator, { access_token: SECRET }, (url) => [
  { id: 'google', integration: 'google-workspace', context: { access_token: SECRET, domain: 'example.com' }, base_url: url },
]);
const salesforce = useProvider(salesforceSimulator(), { access_token: SECRET }, (url) => [
  { id: 'salesforce', integration: 'salesforce', context: { instance_url: 'https://acme.my.salesforce.com', access_token: SECRET, default_profile_id: '00e5e00000StdUsAAA' }, base_url: url },
]);
const servicenow = useProvider(servicenowSimulator, { username: 'integration.user', password: SECRET, access_token: 'unused-token-0000' }, (url) => [
  { id: 'servicenow', integration: 'servicenow', context: { instance: 'acme', username: 'integration.user', password: SECRET }, base_url: url },
]);
const smartsheet = useProvider(smartsheetSimulator, { access_token: SECRET }, (url) => [{ id: 'smartsheet', integration: 'smartsheet', context: { access_token: SECRET }, base_url: `${url}/2.0` }]);
const zoho = useProvider(zohoDeskSimulator, { access_token: SECRET, org_id: '2389290' }, (url) => [{ id: 'zoho', integration: 'zoho-desk', context: { org_id: '2389290', access_token: SECRET }, base_url: url }]);
const gitlab = useProvider(gitlabSimulator, { access_token: SECRET }, (url) => [{ id: 'gitlab', integration: 'gitlab', context: { access_token: SECRET }, base_url: `${url}/api/v4` }]);
const zendesk = useProvider(zendeskSimulator, { email: 'admin@acme.example', api_token: SECRET }, (url) => [
  { id: 'zendesk', integration: 'zendesk', context: { subdomain: 'acme', email: 'admin@acme.example', api_token: SECRET }, base_url: url },
]);
const freshdesk = useProvider(freshdeskSimulator, { api_key: SECRET }, (url) => [{ id: 'freshdesk', integration: 'freshdesk', context: { domain: 'acme', api_key: SECRET }, base_url: url }]);

type Harness = { sim: RunningSimulator; engine: Engine };
const harnesses = (): Record<string, Harness> => ({ slack, salesforce, servicenow, zendesk, gitlab, smartsheet, zoho });

const list = (harness: Harness, category: string, account: string, query: CallQuery) => harness.engine.list(category, 'users', { integratedAccountId: account, query });

/** The error a call fails with: a typed one, whose JSON never holds the account's secret. */
async function failure(promise: Promise<unknown>): Promise<{ code: string; details: unknown; message: string }> {
  const error = await rejection(promise);
  if (!isUnimapError(error)) throw new Error(`expected a UnimapError, got ${String(error)}`);
  expect(JSON.stringify(error.toJSON())).not.toContain(SECRET);
  expect(error.message).not.toContain(SECRET);
  return { code: error.code, details: error.details, message: error.message };
}

/** A query parameter of a logged request, decoded as the provider reads it. */
const param = (request: LoggedRequest | undefined, name: string): string | null => new URL(request!.url, 'http://sim').searchParams.get(name);
const params = (request: LoggedRequest | undefined): string[] => [...new URL(request!.url, 'http://sim').searchParams.keys()];

describe('filters the unified list_query schema refuses: UNIMAP_E_REQ_INVALID_FILTER, nothing sent', () => {
  const refused: [string, CallQuery, string[]][] = [
    ['a misspelt filter name', { emial: 'ada@example.com' }, ['emial']],
    ['an unknown truto-looking option', { truto_super_query: 'x' }, ['truto_super_query']],
    ['email[]= (an array)', { email: ['ada@example.com'] }, ['email']],
    ['email[]=a&email[]=b', { email: ['ada@example.com', 'grace@example.com'] }, ['email']],
    ['email[$ne]= (an object)', { email: { $ne: 'nobody' } }, ['email']],
    ['a number for a string', { email: 42 }, ['email']],
    ['a boolean for a string', { email: true }, ['email']],
    ['null for a string', { email: null }, ['email']],
    ['an email longer than any address', { email: `${'a'.repeat(320)}@example.com` }, ['email']],
    ['a lone surrogate', { email: 'ada\uD800@example.com' }, ['email']],
    ['updated_after: yesterday', { updated_after: 'yesterday' }, ['updated_after']],
    ['updated_after as a date without a time', { updated_after: '2024-01-31' }, ['updated_after']],
    ['updated_after without a zone', { updated_after: '2024-01-31T10:00:00' }, ['updated_after']],
    ['updated_after with a clause appended', { updated_after: '2024-01-31T00:00:00Z" or status eq "ACTIVE' }, ['updated_after']],
    ['updated_after as epoch seconds', { updated_after: 1706659200 }, ['updated_after']],
    ['updated_after[]=', { updated_after: ['2024-01-31T00:00:00Z'] }, ['updated_after']],
    ['several at once, each named', { emial: 'x', email: ['a'], updated_after: 'soon' }, ['emial', 'email', 'updated_after']],
  ];

  test.each(refused)('Okta: %s', async (_, query, named) => {
    const error = await failure(list(okta, UD, 'okta', query));
    expect(error.code).toBe('UNIMAP_E_REQ_INVALID_FILTER');
    expect((error.details as { filter: string }[]).map((d) => d.filter).sort()).toEqual([...named].sort());
    expect(okta.sim.requests).toHaveLength(0);
  });

  test.each([
    ['slack', UD, { emial: 'ada@example.com' }],
    ['slack', UD, { email: { 'or emails eq': 'x' } }],
    ['salesforce', UD, { updated_after: 'last tuesday' }],
    ['servicenow', T, { email: ['a@example.com', 'b@example.com'] }],
    ['zendesk', T, { email: ['a@example.com'] }], // even a filter it cannot apply is checked first
    ['gitlab', T, { collection: '278964', mail: 'a@example.com' }], // its collection parameter makes no other name valid
  ] as [string, string, CallQuery][])('%s refuses %j before any request', async (account, category, query) => {
    const harness = harnesses()[account]!;
    expect((await failure(list(harness, category, account, query))).code).toBe('UNIMAP_E_REQ_INVALID_FILTER');
    expect(harness.sim.requests).toHaveLength(0);
  });

  test('an integration query parameter stays allowed, and is still checked: a list or object is refused', async () => {
    await list(gitlab, T, 'gitlab', { collection: '278964' }).catch(() => undefined);
    expect(gitlab.sim.requests).toHaveLength(1);
    gitlab.sim.requests.length = 0;
    for (const collection of [['1', '2'], { id: '1' }]) {
      expect((await failure(list(gitlab, T, 'gitlab', { collection }))).code).toBe('UNIMAP_E_REQ_INVALID_QUERY');
    }
    expect(gitlab.sim.requests).toHaveLength(0);
  });

  test('a known filter the integration cannot apply is still UNIMAP_E_REQ_UNSUPPORTED_FILTER', async () => {
    expect((await failure(list(zendesk, T, 'zendesk', { email: 'roge@example.org' }))).code).toBe('UNIMAP_E_REQ_UNSUPPORTED_FILTER');
    expect((await failure(list(google, UD, 'google', { updated_after: '2024-01-31T00:00:00Z' }))).code).toBe('UNIMAP_E_REQ_UNSUPPORTED_FILTER');
    expect(zendesk.sim.requests).toHaveLength(0);
    expect(google.sim.requests).toHaveLength(0);
  });

  test('an empty filter (email=) is no filter; a valid date-time is normalised before Okta sees it', async () => {
    await list(okta, UD, 'okta', { email: '', updated_after: '' });
    expect(params(okta.sim.requests[0])).not.toContain('search');
    await list(okta, UD, 'okta', { updated_after: '2024-01-31T02:00:00+02:00' });
    expect(param(okta.sim.requests[1], 'search')).toBe('lastUpdated gt "2024-01-31T00:00:00.000Z"');
  });
});

describe('filter values that try to add clauses are sent quoted for each provider\'s syntax', () => {
  const injections = [
    'ada@example.com" or profile.email eq "grace@example.com',
    'ada@example.com\\" or status eq \\"ACTIVE',
    'x" or status eq "ACTIVE',
    '" pr or "',
  ];

  test.each(injections)('Okta search: %s stays one string literal and matches nobody', async (email) => {
    await okta.engine.create(UD, 'users', { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] }, { integratedAccountId: 'okta' });
    await okta.engine.create(UD, 'users', { first_name: 'Grace', last_name: 'Hopper', emails: [{ email: 'grace@example.com' }] }, { integratedAccountId: 'okta' });
    okta.sim.requests.length = 0;
    const page = await list(okta, UD, 'okta', { email });
    expect(param(okta.sim.requests[0], 'search')).toBe(`profile.email eq ${JSON.stringify(email)}`);
    expect(page.result).toEqual([]);
  });

  test('Okta: an email that really holds quotes and backslashes is found exactly', async () => {
    const odd = 'o"neil\\x@example.com';
    const at = '2026-01-02T03:04:05.000Z';
    const user = (id: string, email: string) => ({ id, status: 'ACTIVE', created: at, lastUpdated: at, profile: { firstName: 'Odd', lastName: 'One', email, login: email } });
    okta.sim.store.insert('00uodd', user('00uodd', odd));
    okta.sim.store.insert('00uada', user('00uada', 'ada@example.com'));
    const id = '00uodd';
    const page = await list(okta, UD, 'okta', { email: odd, updated_after: '2000-01-01T00:00:00Z' });
    expect(param(okta.sim.requests.at(-1), 'search')).toBe('profile.email eq "o\\"neil\\\\x@example.com" and lastUpdated gt "2000-01-01T00:00:00.000Z"');
    expect(page.result.map((u) => u['id'])).toEqual([id]);
  });

  test.each(injections)('Slack SCIM filter: %s stays one string literal', async (email) => {
    await slack.engine.create(UD, 'users', { username: 'ada', emails: [{ email: 'ada@example.com' }] }, { integratedAccountId: 'slack' });
    slack.sim.requests.length = 0;
    const page = await list(slack, UD, 'slack', { email });
    expect(param(slack.sim.requests[0], 'filter')).toBe(`emails eq ${JSON.stringify(email)}`);
    expect(page.result).toEqual([]);
  });

  test.each(["x' or mail eq 'ada@example.com", "'", "a''b@example.com", "x') or (1 eq 1"])('Microsoft Graph $filter: %s doubles its quotes', async (email) => {
    const page = await list(entra, UD, 'entra', { email });
    expect(param(entra.sim.requests[0], '$filter')).toBe(`mail eq '${email.replace(/'/g, "''")}'`);
    expect(page.result).toEqual([]);
  });

  test.each(["a@example.com' or email='b@example.com", "x\\' or email:b@example.com", "\\"])('Google search: %s escapes quotes and backslashes', async (email) => {
    const page = await list(google, UD, 'google', { email });
    expect(param(google.sim.requests[0], 'query')).toBe(`email='${email.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
    expect(page.result).toEqual([]);
  });

  test.each(["x' OR Email != '", "x\\' OR Email != \\'", 'x" OR Name = "y', 'line\nbreak@example.com'])('Salesforce SOQL: %j stays one string literal', async (email) => {
    const page = await list(salesforce, UD, 'salesforce', { email });
    const soql = param(salesforce.sim.requests[0], 'q')!;
    const literal = email.replace(/[\\'"\n]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n' })[c]!);
    expect(soql.endsWith(` FROM User WHERE Email = '${literal}'`)).toBe(true);
    expect(page.result).toEqual([]);
  });

  test.each(['a@example.com^ORactive=true', 'a@example.com^NQactive=true', '^', 'a@example.com^^x'])('ServiceNow refuses %s: an encoded query has no escape for ^', async (email) => {
    const error = await failure(list(servicenow, T, 'servicenow', { email }));
    expect(error.code).toBe('UNIMAP_E_REQ_REJECTED');
    expect(error.message).toContain('ServiceNow');
    expect(servicenow.sim.requests).toHaveLength(0);
  });

  test('ServiceNow sends any other value as the email clause\'s value', async () => {
    await list(servicenow, T, 'servicenow', { email: "o'brien\"=x@example.com" });
    expect(param(servicenow.sim.requests[0], 'sysparm_query')).toBe("email=o'brien\"=x@example.com^ORDERBYsys_created_on");
  });

  test.each([
    ['Smartsheet', UD, 'smartsheet', 'ada@example.com,grace@example.com'],
    ['Zoho Desk', T, 'zoho', '*@zylker.com'],
    ['Zoho Desk', T, 'zoho', 'a*'],
  ])('%s refuses %s, which its filter reads as more than one address', async (label, category, account, email) => {
    const harness = harnesses()[account]!;
    const error = await failure(list(harness, category, account, { email }));
    expect(error.code).toBe('UNIMAP_E_REQ_REJECTED');
    expect(error.message).toContain(label);
    expect(harness.sim.requests).toHaveLength(0);
  });

  test('plain query parameters carry any character as data, never as another parameter', async () => {
    const email = 'a@example.com&role=admin#x=1';
    await list(freshdesk, T, 'freshdesk', { email }).catch(() => undefined);
    const sent = freshdesk.sim.requests.find((r) => r.url.startsWith('/api/v2/agents'));
    expect(param(sent, 'email')).toBe(email);
    expect(params(sent)).not.toContain('role');
  });
});

describe('the escaping functions give mapping authors exactly one literal for any text', () => {
  // any text, weighted towards the characters filter syntaxes give a meaning to
  const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('"', "'", '\\', '^', ',', '*', ' ', 'a', '@', '\n', '\t', '\u0000', 'é', '😀') }));
  const SOQL_UNESCAPE: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

  test('$scimString: one JSON string literal that reads back as the value', () => {
    fc.assert(fc.property(text, (value) => {
      const literal = scimString(value)!;
      expect(literal).toMatch(/^"(?:[^"\\]|\\.)*"$/su);
      expect(JSON.parse(literal)).toBe(value);
    }), { numRuns: 500 });
  });

  test('$odataString: one OData literal, every quote doubled', () => {
    fc.assert(fc.property(text, (value) => {
      const literal = odataString(value)!;
      expect(literal).toMatch(/^'(?:[^']|'')*'$/su);
      expect(literal.slice(1, -1).replace(/''/g, "'")).toBe(value);
    }), { numRuns: 500 });
  });

  test('$soqlString and $backslashQuoted: one backslash-escaped literal that reads back as the value', () => {
    fc.assert(fc.property(text, fc.constantFrom("'", '"'), (value, quote) => {
      const soql = soqlString(value)!;
      expect(soql).toMatch(/^'(?:[^'\\]|\\.)*'$/su);
      expect(soql.slice(1, -1).replace(/\\(.)/gsu, (_, c: string) => SOQL_UNESCAPE[c] ?? c)).toBe(value);
      const quoted = backslashQuoted(value, quote)!;
      expect(quoted.startsWith(quote) && quoted.endsWith(quote) && quoted.length >= 2).toBe(true);
      const inner = quoted.slice(1, -1);
      expect(inner.replace(/\\./gsu, '')).not.toContain(quote);
      expect(inner.replace(/\\(.)/gsu, '$1')).toBe(value);
    }), { numRuns: 500 });
  });

  test('missing stays missing; a list, an object or broken text is refused, never stringified', () => {
    for (const fn of [scimString, odataString, soqlString, backslashQuoted]) {
      expect(fn(undefined)).toBeUndefined();
      expect(fn(null)).toBeUndefined();
      for (const bad of [['a'], { a: 1 }, 'a\uDC00b']) expect(() => fn(bad)).toThrow(expect.objectContaining({ name: 'MappingRejection' }));
    }
  });
});
