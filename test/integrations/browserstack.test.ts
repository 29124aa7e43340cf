import { browserstackRateLimited, browserstackSimulator } from '../../engine/sandbox/providers/browserstack';
import { rejection, useProvider } from '../helpers/provider-harness';

const CREDENTIALS = { username: 'acmeowner_Xk2p9Q', access_key: 'bsTestAccessKey0123456789' };
const ACCOUNT = { integratedAccountId: 'acme-bs' };
const UD = 'user-directory';

const { sim, engine } = useProvider(browserstackSimulator, CREDENTIALS, (url) => [
  { id: 'acme-bs', integration: 'browserstack', context: CREDENTIALS, base_url: url },
  { id: 'wrong', integration: 'browserstack', context: { ...CREDENTIALS, access_key: 'wrongAccessKey0123456789' }, base_url: url },
]);

const invite = (email: string, extra: Record<string, unknown> = {}) => engine.create(UD, 'users', { name: 'Andrew Doe', emails: [{ email }], ...extra }, ACCOUNT);

test('invite by query string, read back, list, change role and status, delete', async () => {
  const andrew = await invite('andrew@acme.com', { roles: [{ name: 'admin' }], groups: [{ name: 'MobileSquad-US' }] });
  expect(andrew).toMatchObject({ id: 'andrew@acme.com', name: 'Andrew Doe', status: 'invited', roles: [{ id: 'admin' }], groups: [{ name: 'MobileSquad-US' }] });
  expect(sim.requests[0]!.url).toBe('/user/create_user?email=andrew%40acme.com&full_name=Andrew%20Doe&role=admin&team=MobileSquad-US');
  await invite('joana@acme.com');
  expect(await engine.get(UD, 'users', 'JOANA@acme.com', ACCOUNT)).toMatchObject({ id: 'joana@acme.com', roles: [{ id: 'user' }] });
  expect((await engine.list(UD, 'users', ACCOUNT)).result.map((u) => u.id)).toEqual(['andrew@acme.com', 'joana@acme.com']);

  const changed = await engine.update(UD, 'users', 'joana@acme.com', { status: 'inactive', roles: [{ name: 'admin' }] }, ACCOUNT);
  expect(changed).toMatchObject({ status: 'inactive', roles: [{ id: 'admin' }] });
  expect(await engine.delete(UD, 'users', 'joana@acme.com', ACCOUNT)).toEqual({ id: 'joana@acme.com' });
  // the organization's list answers 200 without her: a 404 for the caller, as BrowserStack's own endpoints say
  expect(await rejection(engine.get(UD, 'users', 'joana@acme.com', ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404, remote: { status: 200 }, message: expect.stringContaining('no user with email') });
});

test('BrowserStack\'s refusals are typed errors with its messages', async () => {
  expect(await rejection(engine.list(UD, 'users', { integratedAccountId: 'wrong' }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: expect.stringContaining('Access denied') });
  await invite('andrew@acme.com');
  expect(await rejection(invite('andrew@acme.com'))).toMatchObject({ status: 422, message: expect.stringContaining('User already exists.') });
  expect(await rejection(engine.delete(UD, 'users', 'nobody@acme.com', ACCOUNT))).toMatchObject({ status: 404 });
});

describe('past BrowserStack\'s rate limit (15 requests a minute after a burst of 5)', () => {
  test('a 429 on a read is waited out (no header says how long: the engine\'s default second) and sent again', async () => {
    await invite('andrew@acme.com');
    sim.failNext(browserstackRateLimited());
    expect((await engine.list(UD, 'users', ACCOUNT)).result.map((u) => u.id)).toEqual(['andrew@acme.com']);
    expect(sim.requests.filter((r) => r.url === '/user/user_detail')).toHaveLength(3);
  });

  test('a 429 on create_user fails the create at once, known not applied, with BrowserStack\'s message', async () => {
    sim.failNext(browserstackRateLimited());
    const refused = await rejection(invite('andrew@acme.com'));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, details: { outcome: 'not_applied' }, message: expect.stringContaining('Too many requests') });
    expect(sim.requests.map((r) => r.url.split('?')[0])).toEqual(['/user/create_user']);
    expect(sim.store.all()).toEqual([]);
  });
});
