import axios from 'axios';
import { parseFilter, scimSimulator } from '../../engine/sandbox/scim';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

// The generic SCIM 2.0 simulator behaves as RFC 7644 says, with a provider's quirks as options.
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

let sim: RunningSimulator;
let limited: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator(scimSimulator({ name: 'scim', basePath: '/scim/:tenant/v2', paging: { maxCount: 2 } }), { access_token: 't-1' });
  limited = await startSimulator(scimSimulator({ name: 'limited', rateLimit: { requests: 2, windowSeconds: 60 }, operations: ['list', 'get'] }), { access_token: 't-1' });
});
afterAll(async () => {
  await sim.close();
  await limited.close();
});
beforeEach(() => sim.store.clear());

const http = axios.create({ validateStatus: () => true, headers: { Authorization: 'Bearer t-1', 'Content-Type': 'application/scim+json' } });
const users = (suffix = '') => `${sim.url}/scim/acme/v2/Users${suffix}`;
const create = (userName: string, extra: Record<string, unknown> = {}) =>
  http.post(users(), JSON.stringify({ schemas: [CORE], userName, emails: [{ value: `${userName}@example.com` }], ...extra }));

test('create, get, PATCH (add, replace, remove, value-filter paths), DELETE', async () => {
  const created = await create('ada', { name: { givenName: 'Ada' }, title: 'Analyst', ignored: 'x' });
  expect(created.status).toBe(201);
  expect(created.headers['content-type']).toMatch(/^application\/scim\+json/);
  const id = created.data.id as string;
  expect(created.data).toMatchObject({ schemas: [CORE], userName: 'ada', active: true, emails: [{ value: 'ada@example.com', primary: true }], meta: { resourceType: 'User', location: `${sim.url}/scim/acme/v2/Users/${id}` } });
  expect(created.data.ignored).toBeUndefined();
  const patched = await http.patch(users(`/${id}`), {
    schemas: [PATCH],
    Operations: [
      { op: 'Replace', path: 'name.familyName', value: 'Lovelace' },
      { op: 'add', path: 'emails', value: [{ value: 'ada@home.example', type: 'home' }] },
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'ada@elsewhere.example' },
      { op: 'remove', path: 'title' },
      { op: 'replace', value: { active: false, displayName: 'Ada L.' } },
    ],
  });
  expect(patched.status).toBe(200);
  expect(patched.data).toMatchObject({ name: { givenName: 'Ada', familyName: 'Lovelace' }, active: false, displayName: 'Ada L.' });
  expect(patched.data.emails).toEqual([{ value: 'ada@example.com', primary: true }, { value: 'ada@elsewhere.example', type: 'home' }]);
  expect(patched.data.title).toBeUndefined();
  expect((await http.get(users(`/${id}`))).data.displayName).toBe('Ada L.');
  expect((await http.delete(users(`/${id}`))).status).toBe(204);
  expect(await http.get(users(`/${id}`))).toMatchObject({ status: 404, data: { schemas: [ERROR], status: '404', detail: `Resource ${id} not found` } });
});

test('filter: string literals with escapes, case-insensitive userName, and/or/not, pr, value filters', async () => {
  await create('ada', { title: 'Analyst' });
  await create('bob', { title: 'Engineer', active: false });
  await create('x" or userName eq "y');
  const names = async (filter: string) => ((await http.get(users(), { params: { filter } })).data.Resources as { userName: string }[]).map((u) => u.userName);
  expect(await names('userName eq "ADA"')).toEqual(['ada']);
  // the quote inside the literal is part of the value, not the end of the clause
  expect(await names('userName eq "x\\" or userName eq \\"y"')).toEqual(['x" or userName eq "y']);
  expect(await names('emails eq "bob@example.com"')).toEqual(['bob']);
  expect(await names('emails.value sw "ad"')).toEqual(['ada']);
  expect(await names('title pr and not (active eq false)')).toEqual(['ada']);
  expect(await names('userName eq "ada" or title co "gine"')).toEqual(['ada', 'bob']);
  expect(await names('emails[value ew "bob@example.com"]')).toEqual(['bob']);
  for (const bad of ['userName eq ada', 'userName eq "ada', 'userName zz "a"', '(userName eq "a"', 'nosuch eq "a"']) {
    expect(await http.get(users(), { params: { filter: bad } })).toMatchObject({ status: 400, data: { schemas: [ERROR], status: '400', scimType: 'invalidFilter' } });
  }
});

test('startIndex/count pages with totalResults and itemsPerPage; count capped by the provider', async () => {
  for (const name of ['a', 'b', 'c']) await create(name);
  const page = async (params: Record<string, number>) => (await http.get(users(), { params })).data;
  expect(await page({ startIndex: 1, count: 10 })).toMatchObject({ totalResults: 3, itemsPerPage: 2, startIndex: 1 });
  const last = await page({ startIndex: 3, count: 2 });
  expect(last).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 3 });
  expect(last.Resources.map((u: { userName: string }) => u.userName)).toEqual(['c']);
  expect(await page({ startIndex: 1, count: 0 })).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
});

test('SCIM error bodies: uniqueness, missing userName, bad PATCH, wrong credentials', async () => {
  await create('ada');
  expect(await create('ADA')).toMatchObject({ status: 409, data: { scimType: 'uniqueness', status: '409' } });
  expect(await http.post(users(), { schemas: [CORE] })).toMatchObject({ status: 400, data: { scimType: 'invalidValue', detail: 'userName is required' } });
  const id = (await create('bob')).data.id as string;
  expect(await http.patch(users(`/${id}`), { schemas: [PATCH], Operations: [{ op: 'move', path: 'title' }] })).toMatchObject({ status: 400, data: { scimType: 'invalidSyntax' } });
  expect(await http.patch(users(`/${id}`), { schemas: [PATCH], Operations: [{ op: 'remove' }] })).toMatchObject({ status: 400, data: { scimType: 'noTarget' } });
  expect(await http.patch(users(`/${id}`), { schemas: [PATCH], Operations: [{ op: 'replace', path: 'nosuch', value: 1 }] })).toMatchObject({ status: 400, data: { scimType: 'invalidPath' } });
  expect(await http.get(users(), { headers: { Authorization: 'Bearer nope' } })).toMatchObject({ status: 401, data: { schemas: [ERROR], status: '401' } });
});

test('a request budget answers 429 with Retry-After; a missing operation answers 405', async () => {
  const url = `${limited.url}/Users`;
  expect((await http.get(url)).status).toBe(200);
  expect((await http.post(url, JSON.stringify({ schemas: [CORE], userName: 'a' }))).status).toBe(405);
  const refused = await http.get(url);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.data).toMatchObject({ schemas: [ERROR], status: '429' });
});

test('parseFilter reads attribute names case-insensitively and honours aliases', () => {
  const row = { userName: 'Ada', emails: [{ value: 'ada@example.com' }] };
  expect(parseFilter('USERNAME eq "ada"')(row)).toBe(true);
  expect(parseFilter('email eq "ADA@example.com"', new Set(), { email: 'emails.value' })(row)).toBe(true);
  expect(() => parseFilter('userName eq "ada"', new Set())).toThrow(/cannot be filtered/);
});
