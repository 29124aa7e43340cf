import { SNYK_ORG, SNYK_PEOPLE, snykRateLimited, snykSimulator } from '../../engine/sandbox/providers/snyk';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = '5f0c8a1e-snyk-test-token-7d2b9e44';
const ORG = { integratedAccountId: 'acme-snyk', query: { organization_id: SNYK_ORG } };
const UD = 'user-directory';
const ADMIN = '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a';
const COLLABORATOR = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const people = ['ada', 'grace', 'linus'].map((name, n) => ({ id: `6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9${n}`, name }));
for (const { id, name } of people) SNYK_PEOPLE[id] = { name: `${name[0]!.toUpperCase()}${name.slice(1)} Test`, username: name, email: `${name}@example.com`, login_method: 'saml' };

const { sim, engine } = useProvider(snykSimulator, { api_token: TOKEN }, (url) => [
  { id: 'acme-snyk', integration: 'snyk', context: { api_token: TOKEN }, base_url: `${url}/rest` },
  { id: 'wrong', integration: 'snyk', context: { api_token: 'not-a-snyk-token-0123456789' }, base_url: `${url}/rest` },
]);

const join = (userId: string) => engine.create(UD, 'users', { roles: [{ id: COLLABORATOR }] }, { ...ORG, query: { ...ORG.query, user_id: userId } });

test('add members, read one by user id, walk the cursor pages, change the role, remove the membership', async () => {
  for (const { id } of people) expect(await join(id)).toMatchObject({ id, status: 'active', roles: [{ id: COLLABORATOR, name: 'Org Collaborator' }] });
  expect(await engine.get(UD, 'users', people[0]!.id, ORG)).toMatchObject({ id: people[0]!.id, username: 'ada', emails: [{ email: 'ada@example.com' }] });

  const { pages, seen } = await walkPages(engine, UD, 'users', { ...ORG, query: { ...ORG.query, limit: 10 } }, 'id');
  expect([pages, seen]).toEqual([1, people.map((p) => p.id)]);
  const byEmail = await engine.list(UD, 'users', { ...ORG, query: { ...ORG.query, email: 'GRACE@example.com' } });
  expect(byEmail.result.map((u) => u.id)).toEqual([people[1]!.id]);

  const promoted = await engine.update(UD, 'users', people[1]!.id, { roles: [{ id: ADMIN }] }, ORG);
  expect(promoted).toMatchObject({ id: people[1]!.id, roles: [{ id: ADMIN, name: 'Org Admin' }] });
  expect(sim.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

  expect(await engine.delete(UD, 'users', people[2]!.id, ORG)).toEqual({ id: people[2]!.id });
  // Snyk answers the user_id filter with an empty page (HTTP 200): the caller gets a 404
  expect(await rejection(engine.get(UD, 'users', people[2]!.id, ORG))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, remote: { status: 200 }, message: expect.stringContaining('has no membership') });
  expect(await rejection(engine.delete(UD, 'users', people[2]!.id, ORG))).toMatchObject({ code: 'UNIMAP_E_REQ_REJECTED' });
});

test('a create without user_id invites the email', async () => {
  const invited = await engine.create(UD, 'users', { emails: [{ email: 'new@example.com' }], roles: [{ id: ADMIN }] }, ORG);
  expect(invited).toMatchObject({ status: 'invited', emails: [{ email: 'new@example.com' }], roles: [{ id: ADMIN }] });
  expect(sim.requests[0]!.url).toBe(`/rest/orgs/${SNYK_ORG}/invites?version=2024-10-15`);
  expect(sim.requests[0]!.headers['content-type']).toContain('application/vnd.api+json');
});

test('Snyk\'s error documents become typed errors', async () => {
  expect(await rejection(engine.list(UD, 'users', { ...ORG, integratedAccountId: 'wrong' }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: expect.stringContaining('[SNYK-0005]') });
  await join(people[0]!.id);
  expect(await rejection(join(people[0]!.id))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: expect.stringContaining('already a member') });
});

describe('past Snyk\'s rate limit', () => {
  test('a 429 on a read is waited out (no Retry-After: the engine\'s default second) and the read sent again', async () => {
    await join(people[0]!.id);
    sim.failNext(snykRateLimited());
    expect((await engine.list(UD, 'users', ORG)).result.map((u) => u.id)).toEqual([people[0]!.id]);
    expect(sim.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  });

  test('a 429 that lasts past the retries is RATE_LIMITED with Snyk\'s words', async () => {
    for (let n = 0; n < 3; n++) sim.failNext(snykRateLimited());
    const refused = await rejection(engine.list(UD, 'users', ORG));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, remote: { status: 429 }, message: expect.stringContaining('Too many requests: The service has received too many requests') });
    expect(sim.requests).toHaveLength(3);
  });

  test('a 429 on an invitation is not sent again', async () => {
    sim.failNext(snykRateLimited());
    const refused = await rejection(engine.create(UD, 'users', { emails: [{ email: 'new@example.com' }], roles: [{ id: ADMIN }] }, ORG));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', details: { outcome: 'not_applied' } });
    expect(sim.requests).toHaveLength(1);
  });
});
