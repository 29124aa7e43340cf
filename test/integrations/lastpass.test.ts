import { lastpassRateLimited, lastpassSimulator } from '../../engine/sandbox/providers/lastpass';
import { rejection, useProvider } from '../helpers/provider-harness';

const CID = '8771312';
const PROVHASH = 'lp-test-provhash-0123456789abcdef';
const ACCOUNT = { integratedAccountId: 'acme-lastpass' };
const UD = 'user-directory';

const { sim, engine } = useProvider(lastpassSimulator, { cid: CID, provhash: PROVHASH }, (url) => [
  { id: 'acme-lastpass', integration: 'lastpass', context: { cid: CID, provhash: PROVHASH }, base_url: url },
  { id: 'wrong-hash', integration: 'lastpass', context: { cid: CID, provhash: 'lp-not-the-hash-0123456789' }, base_url: url },
]);

const create = (email: string, extra: Record<string, unknown> = {}) =>
  engine.create(UD, 'users', { emails: [{ email }], first_name: 'Ada', last_name: 'Lovelace', ...extra }, ACCOUNT);

test('every command goes to the one endpoint with the company id and the provisioning hash in the body', async () => {
  await create('ada@example.com', { groups: [{ name: 'Engineering' }] });
  expect(sim.requests.map((r) => [r.method, r.url, (r.body as { cmd: string }).cmd])).toEqual([
    ['POST', '/enterpriseapi.php', 'batchadd'],
    ['POST', '/enterpriseapi.php', 'getuserdata'],
  ]);
  for (const request of sim.requests) expect(request.body).toMatchObject({ cid: Number(CID), provhash: PROVHASH });
  expect(sim.requests[0]!.body).toMatchObject({ data: [{ username: 'ada@example.com', fullname: 'Ada Lovelace', groups: ['Engineering'] }] });
});

test('create reads the new user back; get, list and the email filter; update renames and disables; delete removes', async () => {
  const ada = await create('ada@example.com', { groups: [{ name: 'Engineering' }] });
  expect(ada).toMatchObject({ id: 'ada@example.com', name: 'Ada Lovelace', status: 'invited', groups: [{ id: 'Engineering', name: 'Engineering' }] });
  expect(ada['created_at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
  const grace = await create('grace@example.com', { first_name: 'Grace', last_name: 'Hopper' });

  expect(await engine.get(UD, 'users', grace.id!, ACCOUNT)).toMatchObject({ id: 'grace@example.com', first_name: 'Grace', roles: [{ id: 'user' }] });
  expect((await engine.list(UD, 'users', ACCOUNT)).result.map((u) => u.id)).toEqual(['ada@example.com', 'grace@example.com']);
  expect((await engine.list(UD, 'users', { ...ACCOUNT, query: { email: 'grace@example.com' } })).result.map((u) => u.id)).toEqual(['grace@example.com']);

  const updated = await engine.update(UD, 'users', grace.id!, { name: 'Grace B. Hopper', status: 'inactive' }, ACCOUNT);
  expect(updated).toMatchObject({ id: 'grace@example.com', name: 'Grace B. Hopper', status: 'inactive' });
  expect(sim.requests.slice(-3).map((r) => (r.body as { cmd: string }).cmd)).toEqual(['updateuser', 'disableuser', 'getuserdata']);
  expect(await engine.update(UD, 'users', grace.id!, { status: 'active' }, ACCOUNT)).toMatchObject({ status: 'invited' });

  expect(await engine.delete(UD, 'users', ada.id!, ACCOUNT)).toEqual({ id: 'ada@example.com' });
  expect(sim.requests.at(-1)!.body).toMatchObject({ cmd: 'deluser', data: { username: 'ada@example.com', deleteaction: 1 } });
  // getuserdata answers 200 with no user: a 404 for the caller
  expect(await rejection(engine.get(UD, 'users', ada.id!, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, remote: { status: 200 }, message: expect.stringContaining('No LastPass user ada@example.com') });
});

test('delete_action deactivate keeps the user, disabled', async () => {
  const ada = await create('ada@example.com');
  await engine.delete(UD, 'users', ada.id!, { ...ACCOUNT, query: { delete_action: 'deactivate' } });
  expect(sim.requests.at(-1)!.body).toMatchObject({ data: { deleteaction: 0 } });
  expect(await engine.get(UD, 'users', ada.id!, ACCOUNT)).toMatchObject({ status: 'inactive' });
});

test('LastPass\'s 200 FAIL answers are typed errors with its reasons, never the hash', async () => {
  const denied = await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong-hash' }));
  expect(denied).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', message: 'LastPass answered 200 [FAIL]: Authorization Error' });
  expect(JSON.stringify(denied)).not.toContain('lp-not-the-hash');

  await create('ada@example.com');
  expect(await rejection(create('ada@example.com'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', message: expect.stringContaining('already exists') });
  expect(await rejection(engine.update(UD, 'users', 'nobody@example.com', { name: 'Nobody' }, ACCOUNT))).toMatchObject({ message: expect.stringContaining('User does not exist: nobody@example.com') });
  expect(await rejection(engine.delete(UD, 'users', 'nobody@example.com', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP' });
});

describe('a 429 (LastPass documents no rate limit; see lastpassRateLimited)', () => {
  test('getuserdata, which only reads, is sent again after the engine\'s default second', async () => {
    await create('ada@example.com');
    sim.failNext(lastpassRateLimited());
    expect((await engine.list(UD, 'users', ACCOUNT)).result.map((u) => u.id)).toEqual(['ada@example.com']);
    expect(sim.requests.map((r) => (r.body as { cmd: string }).cmd)).toEqual(['batchadd', 'getuserdata', 'getuserdata', 'getuserdata']);
  });

  test('batchadd is not: RATE_LIMITED at once, known not applied', async () => {
    sim.failNext(lastpassRateLimited());
    const refused = await rejection(create('ada@example.com'));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, details: { outcome: 'not_applied' } });
    expect(sim.requests).toHaveLength(1);
    expect(sim.store.all()).toEqual([]);
  });
});
