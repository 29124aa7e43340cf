import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { createEngine } from '../../engine';
import { acceptInvitation, gatewayLimit, marketoSimulator } from '../../engine/sandbox/providers/adobe-marketo-engage';
import { rejection, useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = 'cdf01657-110d-4155-99a7-f986b2ff13a0:int';
const ACCOUNT = { integratedAccountId: 'acme-marketo' };
const UD = 'user-directory';
const context = (token: string) => ({ munchkin_id: '123-ABC-456', access_token: token });

const { sim, engine } = useProvider(marketoSimulator(), { access_token: TOKEN }, (url) => [
  { id: 'acme-marketo', integration: 'adobe-marketo-engage', context: context(TOKEN), base_url: url },
  { id: 'expired', integration: 'adobe-marketo-engage', context: context('expired-token-0123456789'), base_url: url },
]);

const invite = (userid: string, first: string) => engine.create(UD, 'users', {
  first_name: first, last_name: 'Lannister', emails: [{ email: userid }], roles: [{ id: '2' }], workspaces: [{ id: '1008' }],
}, ACCOUNT);

test('invite, read the pending user, accept, list, update, delete accepted and pending users', async () => {
  const jamie = await invite('jamie@houselannister.com', 'Jamie');
  expect(jamie).toMatchObject({ id: 'jamie@houselannister.com', first_name: 'Jamie', status: 'invited' });
  expect(await engine.get(UD, 'users', jamie.id!, ACCOUNT)).toMatchObject({ id: jamie.id, status: 'invited' });
  await invite('tyrion@houselannister.com', 'Tyrion');
  await invite('cersei@houselannister.com', 'Cersei');
  for (const userid of ['jamie@houselannister.com', 'cersei@houselannister.com']) acceptInvitation(sim, userid);

  const accepted = await engine.get(UD, 'users', jamie.id!, ACCOUNT);
  expect(accepted).toMatchObject({ status: 'active', roles: [{ id: '2' }], workspaces: [{ id: '1008' }] });
  // the list holds users who accepted, a page of one at a time, until a short page
  const { seen } = await walkPages(engine, UD, 'users', { ...ACCOUNT, query: { limit: 1 } }, 'id');
  expect(seen).toEqual(['jamie@houselannister.com', 'cersei@houselannister.com']);

  expect(await engine.update(UD, 'users', jamie.id!, { last_name: 'Baratheon' }, ACCOUNT)).toMatchObject({ last_name: 'Baratheon' });
  expect(await engine.delete(UD, 'users', jamie.id!, ACCOUNT)).toEqual({ id: jamie.id });
  expect(await engine.delete(UD, 'users', 'tyrion@houselannister.com', ACCOUNT)).toEqual({ id: 'tyrion@houselannister.com' });
  expect(sim.requests.at(-1)!.url).toBe('/userservice/management/v1/users/tyrion%40houselannister.com/invite/delete.json');
  expect(await rejection(engine.get(UD, 'users', jamie.id!, ACCOUNT))).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 404 });
});

test('an HTTP 200 with success false is an error with Marketo\'s code, and the status the code means', async () => {
  // 601 is an unknown token: a 401 for the caller, while remote.status says what Marketo answered
  expect(await rejection(engine.list(UD, 'users', { integratedAccountId: 'expired' }))).toMatchObject({
    code: 'UNIMAP_E_REMOTE_HTTP', status: 401, remote: { status: 200 }, message: expect.stringContaining('[601]: Access token invalid'),
  });
});

describe('the gateway\'s limits, answered with HTTP 200', () => {
  test('a 606 on a read is waited out and the read sent again', async () => {
    await invite('jamie@houselannister.com', 'Jamie');
    acceptInvitation(sim, 'jamie@houselannister.com');
    sim.failNext(gatewayLimit('606'));
    const page = await engine.list(UD, 'users', ACCOUNT);
    expect(page.result.map((u) => u.id)).toEqual(['jamie@houselannister.com']);
    expect(sim.requests.filter((r) => r.url.includes('allusers.json'))).toHaveLength(2);
  });

  test('a 615 on a create is RATE_LIMITED at once: an invitation is never sent twice', async () => {
    sim.failNext(gatewayLimit('615'));
    const refused = await rejection(invite('tyrion@houselannister.com', 'Tyrion'));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, remote: { status: 200 }, details: { outcome: 'not_applied' } });
    expect(sim.requests).toHaveLength(1);
    expect(sim.store.all()).toEqual([]);
  });

  test('a 607 (the daily quota) is not retried: a 429 for the caller that is not retriable', async () => {
    sim.failNext(gatewayLimit('607'));
    const refused = await rejection(engine.list(UD, 'users', ACCOUNT));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 429, retriable: false, remote: { status: 200 }, message: expect.stringContaining('[607]: Daily quota reached') });
    expect(sim.requests).toHaveLength(1);
  });
});

describe('past the rate limit', () => {
  let limited: RunningSimulator;
  beforeAll(async () => { limited = await startSimulator(marketoSimulator(1), { access_token: TOKEN }); });
  afterAll(() => limited.close());

  test('a 606 that lasts is retried max_retries times, then fails the read as RATE_LIMITED with Marketo\'s message', async () => {
    const local = createEngine({ accounts: [{ id: 'a', integration: 'adobe-marketo-engage', context: context(TOKEN), base_url: limited.url }] });
    await local.list(UD, 'users', { integratedAccountId: 'a' });
    const refused = await rejection(local.list(UD, 'users', { integratedAccountId: 'a' }));
    expect(refused).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', status: 429, remote: { status: 200 }, message: expect.stringContaining('[606]: Max rate limit') });
    // the first read, then the refused one and its two retries
    expect(limited.requests).toHaveLength(4);
  });
});
