import { gitlabSimulator, memberKey, type GitLabMember } from '../../engine/sandbox/providers/gitlab';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'glpat-gitlab-test-token-0123456789';
const T = 'ticketing';
const PROJECT = { collection: '42' };
const ACCOUNT = { integratedAccountId: 'acme-gitlab', query: PROJECT };
/** The strict write contract: fields the integration cannot write are refused instead of left out with a warning. */
const STRICT = { ...ACCOUNT, query: { truto_strict_fields: true } };

const { sim, engine } = useProvider(gitlabSimulator, { access_token: TOKEN }, (url) => [
  { id: 'acme-gitlab', integration: 'gitlab', context: { access_token: TOKEN }, base_url: `${url}/api/v4` },
  { id: 'wrong-token', integration: 'gitlab', context: { access_token: 'glpat-not-the-token' }, base_url: `${url}/api/v4` },
]);


/** A membership put straight into the simulated project. */
function seed(userId: number, accessLevel: number, extra: Partial<GitLabMember> = {}, projectId = 42): GitLabMember {
  const member: GitLabMember = {
    project_id: projectId, user_id: userId, access_level: accessLevel, created_at: '2024-03-01T10:00:00.000Z',
    expires_at: null, created_by_id: 1, membership_state: 'active', ...extra,
  };
  sim.store.insert(memberKey(projectId, userId), member);
  return member;
}

describe('GitLab project members through the engine and the simulator', () => {
  test('create POSTs username and access_level to the project with PRIVATE-TOKEN', async () => {
    const user = await engine.create(T, 'users', { username: 'ada', roles: [{ name: 'member' }] }, ACCOUNT);
    expect(sim.requests).toHaveLength(1);
    const sent = sim.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/api/v4/projects/42/members');
    expect(sent.headers['private-token']).toBe(TOKEN);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({ username: 'ada', access_level: 30 });
    expect(user).toMatchObject({
      id: '101', name: 'Ada Lovelace', username: 'ada', is_active: true,
      roles: [{ id: '30', name: 'member' }], emails: [{ email: 'ada@acme.example', type: 'primary' }],
    });
    expect(user['etag']).toMatch(/^W\/"[0-9a-f]{32}"$/);
    expect(user['avatar']).toMatch(/^https:\/\/secure\.gravatar\.com\/avatar\//);
    expect(user['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test('a role id that is a GitLab access level wins over the role name; a project path is URL-encoded', async () => {
    await engine.create(T, 'users', { username: 'grace', roles: [{ id: '50', name: 'owner' }] }, { ...ACCOUNT, query: { collection: 'acme/gadgets' } });
    expect(sim.requests[0]!.url).toBe('/api/v4/projects/acme%2Fgadgets/members');
    expect(sim.requests[0]!.body).toEqual({ username: 'grace', access_level: 50 });
    await engine.create(T, 'users', { username: 'alan', roles: [{ name: 'owner' }] }, ACCOUNT);
    expect(sim.requests[1]!.body).toEqual({ username: 'alan', access_level: 40 });
    await engine.create(T, 'users', { username: 'ken', roles: [{ name: 'viewer' }] }, ACCOUNT);
    expect(sim.requests[2]!.body).toEqual({ username: 'ken', access_level: 20 });
  });

  test('every method needs the project: a missing collection is refused before any call', async () => {
    const missing = await rejection(engine.list(T, 'users', { integratedAccountId: 'acme-gitlab' }));
    expect(missing).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS', message: expect.stringContaining('"collection" (a collection of type project)') });
    expect(await rejection(engine.get(T, 'users', '101', { integratedAccountId: 'acme-gitlab' }))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS' });
    expect(await rejection(engine.delete(T, 'users', '101', { integratedAccountId: 'acme-gitlab' }))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_QUERY_PARAMS' });
    expect(sim.requests).toHaveLength(0);
  });

  test('get reads one member including inherited ones, with roles, the active flag and the ETag', async () => {
    seed(104, 20, { inherited: true });
    const user = await engine.get(T, 'users', '104', ACCOUNT);
    expect(sim.requests.map((r) => r.url)).toEqual(['/api/v4/projects/42/members/all/104']);
    expect(user).toMatchObject({ id: '104', username: 'edsger', is_active: false, roles: [{ id: '20', name: 'viewer' }], created_at: '2024-03-01T10:00:00.000Z' });
    expect(user['etag']).toMatch(/^W\/"/);
    expect(user['emails']).toBeUndefined(); // only enterprise users' emails are shown
    seed(105, 40, { membership_state: 'awaiting' });
    expect(await engine.get(T, 'users', '105', ACCOUNT)).toMatchObject({ is_active: false, roles: [{ id: '40', name: 'owner' }] });
  });

  test('update PUTs the new access level and returns the member', async () => {
    seed(102, 30);
    const user = await engine.update(T, 'users', '102', { roles: [{ name: 'owner' }] }, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PUT', url: '/api/v4/projects/42/members/102', body: { access_level: 40 } });
    expect(user).toMatchObject({ id: '102', roles: [{ id: '40', name: 'owner' }] });
    expect(await rejection(engine.update(T, 'users', '102', { roles: [{ name: 'viewer' }], name: 'Grace' }, STRICT))).toMatchObject({ code: 'UNIMAP_E_REQ_UNSUPPORTED_FIELDS' });
    expect(await rejection(engine.update(T, 'users', '102', {}, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
  });

  test('list follows x-next-page over page/per_page and filters by email', async () => {
    for (const [id, level] of [[1, 50], [101, 40], [102, 30], [103, 20], [105, 10]] as const) seed(id, level);
    seed(106, 30, {}, 43); // another project's member
    const { pages, seen } = await walkPages(engine, T, 'users', { ...ACCOUNT, query: { ...PROJECT, limit: 2 } }, 'username');
    expect(pages).toBe(3);
    expect(seen).toEqual(['root', 'ada', 'grace', 'alan', 'barbara']);
    expect(sim.requests.map((r) => r.url)).toEqual([
      '/api/v4/projects/42/members/all?per_page=2',
      '/api/v4/projects/42/members/all?per_page=2&page=2',
      '/api/v4/projects/42/members/all?per_page=2&page=3',
    ]);
    const all: string[] = [];
    for await (const user of engine.listAll(T, 'users', ACCOUNT)) all.push(user['username'] as string);
    expect(all).toEqual(seen);
    expect(sim.requests.at(-1)!.url).toBe('/api/v4/projects/42/members/all?per_page=100');

    const found = await engine.list(T, 'users', { ...ACCOUNT, query: { ...PROJECT, email: 'ada@acme.example' } });
    expect(found.result.map((u) => u['username'])).toEqual(['ada']);
    expect(sim.requests.at(-1)!.url).toBe('/api/v4/projects/42/members/all?query=ada%40acme.example&per_page=100');
    expect(found.result[0]!['etag']).toBeUndefined(); // a page's ETag is not a member's version
  });

  test('delete removes a direct member and answers the id', async () => {
    seed(102, 30);
    expect(await engine.delete(T, 'users', '102', ACCOUNT)).toEqual({ id: '102' });
    expect(sim.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /api/v4/projects/42/members/102']);
    expect(sim.store.get(memberKey(42, 102))).toBeUndefined();
  });

  test('GitLab\'s own errors come back typed: bad token, missing field, duplicate, unknown ids', async () => {
    const unauthorized = await rejection(engine.list(T, 'users', { integratedAccountId: 'wrong-token', query: PROJECT }));
    expect(unauthorized).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'GitLab answered 401: 401 Unauthorized', remote: { body: { message: '401 Unauthorized' } } });

    // The engine refuses a create without a username or role; GitLab's own answers when remote_data removes them.
    expect(await rejection(engine.create(T, 'users', { roles: [{ name: 'member' }] }, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REQ_MISSING_FIELDS' });
    const noLevel = await rejection(engine.create(T, 'users', { username: 'ada', roles: [{ name: 'member' }], remote_data: { access_level: null } }, ACCOUNT));
    expect(noLevel).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 400, message: 'GitLab answered 400: access_level is missing', remote: { body: { error: 'access_level is missing' } } });
    const badLevel = await rejection(engine.create(T, 'users', { username: 'ada', roles: [{ id: '35' }] }, ACCOUNT));
    expect(badLevel).toMatchObject({ status: 400, message: 'GitLab answered 400: access_level is missing' }); // 35 is no access level: nothing to send
    const invalid = await rejection(engine.create(T, 'users', { username: 'ada', roles: [{ name: 'member' }], remote_data: { access_level: 35 } }, ACCOUNT));
    expect(invalid).toMatchObject({ status: 400, message: 'GitLab answered 400: access_level is not included in the list' });

    await engine.create(T, 'users', { username: 'ada', roles: [{ name: 'member' }] }, ACCOUNT);
    const duplicate = await rejection(engine.create(T, 'users', { username: 'ada', roles: [{ name: 'viewer' }] }, ACCOUNT));
    expect(duplicate).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 409, message: 'GitLab answered 409: Member already exists' });
    const noUser = await rejection(engine.create(T, 'users', { username: 'nobody', roles: [{ name: 'member' }] }, ACCOUNT));
    expect(noUser).toMatchObject({ status: 404, message: 'GitLab answered 404: 404 User Not Found' });

    expect(await rejection(engine.get(T, 'users', '999', ACCOUNT))).toMatchObject({ status: 404, message: 'GitLab answered 404: 404 Not found' });
    expect(await rejection(engine.update(T, 'users', '999', { roles: [{ name: 'viewer' }] }, ACCOUNT))).toMatchObject({ status: 404 });
    expect(await rejection(engine.delete(T, 'users', '999', ACCOUNT))).toMatchObject({ status: 404 });
    const noProject = await rejection(engine.list(T, 'users', { ...ACCOUNT, query: { collection: 'acme/nope' } }));
    expect(noProject).toMatchObject({ status: 404, message: 'GitLab answered 404: 404 Project Not Found' });
  });
});
