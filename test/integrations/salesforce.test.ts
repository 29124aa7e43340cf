import { salesforceSimulator } from '../../engine/sandbox/providers/salesforce';
import { useProvider, walkPages } from '../helpers/provider-harness';

const TOKEN = '00D5e0000000TEST!sf-test-token-0123456789';
const CONTEXT = { instance_url: 'https://acme.my.salesforce.com', access_token: TOKEN, default_profile_id: '00e5e00000StdUsAAA' };
const ACCOUNT = { integratedAccountId: 'acme-sf' };
const UD = 'user-directory';
const PAGE_SIZE = 2;

const { sim, engine } = useProvider(salesforceSimulator({ pageSize: PAGE_SIZE }), { access_token: TOKEN }, (url) => [
  { id: 'acme-sf', integration: 'salesforce', context: CONTEXT, base_url: url },
  { id: 'no-default-profile', integration: 'salesforce', context: { ...CONTEXT, default_profile_id: '' }, base_url: url },
  { id: 'expired', integration: 'salesforce', context: { ...CONTEXT, access_token: 'expired-token-000' }, base_url: url },
  { id: 'evil-instance', integration: 'salesforce', context: { ...CONTEXT, instance_url: 'https://evil.example.com/.salesforce.com' } },
  { id: 'plan', integration: 'salesforce', context: CONTEXT },
]);

const ada = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
  phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
  roles: [{ id: '00e5e00000SysAdAAA' }, { id: '00E5e00000CeoRoEAK' }],
  timezone: 'Europe/London',
  languages: ['en_GB'],
};

const fail = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const SOQL_FIELDS =
  'Id, Username, FirstName, LastName, Name, Email, Phone, Extension, MobilePhone, IsActive, ProfileId, Profile.Name, UserRoleId, UserRole.Name, TimeZoneSidKey, LanguageLocaleKey, FullPhotoUrl, AboutMe, CreatedDate, LastModifiedDate, LastLoginDate';

describe('Salesforce users through the engine and the simulator', () => {
  test('create POSTs the User sObject with the bearer token, then reads the new user back with SOQL', async () => {
    const user = await engine.create(UD, 'users', ada, ACCOUNT);
    expect(sim.requests).toHaveLength(2);
    const [sent, fetch] = sim.requests as [(typeof sim.requests)[0], (typeof sim.requests)[0]];
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/services/data/v60.0/sobjects/User');
    expect(sent.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      Username: 'ada@example.com',
      Email: 'ada@example.com',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Alias: 'alove',
      MobilePhone: '+44 20 7946 0000',
      ProfileId: '00e5e00000SysAdAAA',
      UserRoleId: '00E5e00000CeoRoEAK',
      TimeZoneSidKey: 'Europe/London',
      LanguageLocaleKey: 'en_GB',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
    });
    expect(fetch.method).toBe('GET');
    expect(new URL(fetch.url, sim.url).searchParams.get('q')).toBe(`SELECT ${SOQL_FIELDS} FROM User WHERE Id = '${user.id}'`);
    expect(user).toEqual({
      id: expect.stringMatching(/^005\w{15}$/),
      first_name: 'Ada',
      last_name: 'Lovelace',
      name: 'Ada Lovelace',
      username: 'ada@example.com',
      emails: [{ email: 'ada@example.com', type: 'work', is_primary: true }],
      phones: [{ number: '+44 20 7946 0000', type: 'mobile' }],
      status: 'active',
      roles: [{ id: '00e5e00000SysAdAAA', name: 'System Administrator' }, { id: '00E5e00000CeoRoEAK', name: 'CEO' }],
      avatar: expect.stringContaining('/profilephoto/'),
      timezone: 'Europe/London',
      languages: ['en_GB'],
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      updated_at: expect.stringMatching(/Z$/),
      remote_data: expect.objectContaining({ Id: user.id, Profile: expect.objectContaining({ Name: 'System Administrator' }) }),
    });
  });

  test('get reads the sObject by id (roles carry ids only there)', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    const user = await engine.get(UD, 'users', id!, ACCOUNT);
    expect(sim.requests.at(-1)).toMatchObject({ method: 'GET', url: `/services/data/v60.0/sobjects/User/${id}` });
    expect(user).toMatchObject({ id, name: 'Ada Lovelace', status: 'active', roles: [{ id: '00e5e00000SysAdAAA' }, { id: '00E5e00000CeoRoEAK' }] });
  });

  test('update is a PATCH (204) followed by a read; status inactive deactivates, active reactivates', async () => {
    const { id } = await engine.create(UD, 'users', ada, ACCOUNT);
    sim.requests.length = 0;
    const updated = await engine.update(UD, 'users', id!, { last_name: 'King', status: 'inactive', roles: [{ id: '00e5e00000StdUsAAA' }] }, ACCOUNT);
    expect(sim.requests.map((r) => r.method)).toEqual(['PATCH', 'GET']);
    expect(sim.requests[0]).toMatchObject({ url: `/services/data/v60.0/sobjects/User/${id}`, body: { LastName: 'King', IsActive: false, ProfileId: '00e5e00000StdUsAAA' } });
    expect(updated).toMatchObject({ id, last_name: 'King', name: 'Ada King', status: 'inactive', roles: [{ id: '00e5e00000StdUsAAA', name: 'Standard User' }, { id: '00E5e00000CeoRoEAK' }] });
    const reactivated = await engine.update(UD, 'users', id!, { status: 'active' }, ACCOUNT);
    expect(sim.requests.at(-2)!.body).toEqual({ IsActive: true });
    expect(reactivated['status']).toBe('active');
  });

  test('delete is refused without a call: Salesforce only deactivates users', async () => {
    const error = await fail(engine.delete(UD, 'users', '005000000000001AAA', ACCOUNT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', message: expect.stringContaining('status inactive') });
    expect(sim.requests).toHaveLength(0);
  });

  test('list is one SOQL query paged behind nextRecordsUrl and an opaque cursor', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await engine.create(UD, 'users', { ...ada, first_name: `User${n}`, emails: [{ email: `user${n}@example.com` }] }, ACCOUNT);
    }
    sim.requests.length = 0;
    const { pages, seen } = await walkPages(engine, UD, 'users', ACCOUNT, 'first_name');
    expect(pages).toBe(3);
    expect(seen).toEqual(['User1', 'User2', 'User3', 'User4', 'User5']);
    const urls = sim.requests.map((r) => decodeURIComponent(r.url.replace(/\+/g, ' ')));
    expect(urls[0]).toBe(`/services/data/v60.0/query?q=SELECT ${SOQL_FIELDS} FROM User`);
    expect(urls.slice(1)).toEqual([expect.stringMatching(/^\/services\/data\/v60\.0\/query\/01g\w+-2$/), expect.stringMatching(/-4$/)]);
  });

  test('list maps the email and updated_after filters into the SOQL WHERE clause', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    await engine.create(UD, 'users', { ...ada, first_name: 'Pat', last_name: "O'Brien", emails: [{ email: "o'brien@example.com" }] }, ACCOUNT);
    const page = await engine.list(UD, 'users', { ...ACCOUNT, query: { email: "O'Brien@example.com", updated_after: '2000-01-01T00:00:00.000Z' } });
    expect(page.result.map((u) => u['last_name'])).toEqual(["O'Brien"]);
    const q = new URL(sim.requests.at(-1)!.url, sim.url).searchParams.get('q');
    expect(q).toBe(`SELECT ${SOQL_FIELDS} FROM User WHERE Email = 'O\\'Brien@example.com' AND LastModifiedDate > 2000-01-01T00:00:00Z`);
  });

  test('a required field Salesforce misses is its REQUIRED_FIELD_MISSING array', async () => {
    const error = await fail(engine.create(UD, 'users', { ...ada, roles: [{ id: '00E5e00000CeoRoEAK' }] }, { integratedAccountId: 'no-default-profile' }));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP',
      status: 400,
      message: 'Salesforce answered 400 [REQUIRED_FIELD_MISSING]: Required fields are missing: [ProfileId]',
      remote: { status: 400, body: [{ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['ProfileId'] }] },
    });
  });

  test('a role list without a profile takes the account\'s default profile', async () => {
    const user = await engine.create(UD, 'users', { ...ada, roles: [{ id: '00E5e00000SalesEAK' }] }, ACCOUNT);
    expect(sim.requests[0]!.body).toMatchObject({ ProfileId: '00e5e00000StdUsAAA', UserRoleId: '00E5e00000SalesEAK' });
    expect(user['roles']).toEqual([{ id: '00e5e00000StdUsAAA', name: 'Standard User' }, { id: '00E5e00000SalesEAK', name: 'Sales Manager' }]);
  });

  test('a duplicate username is Salesforce\'s DUPLICATE_USERNAME, without its <br>', async () => {
    await engine.create(UD, 'users', ada, ACCOUNT);
    const error = await fail(engine.create(UD, 'users', ada, ACCOUNT));
    expect(error).toMatchObject({
      code: 'UNIMAP_E_REMOTE_HTTP',
      status: 400,
      message: expect.stringMatching(/^Salesforce answered 400 \[DUPLICATE_USERNAME\]: Duplicate Username\. The username already exists in this or another Salesforce organization\./),
      remote: { body: [{ errorCode: 'DUPLICATE_USERNAME', fields: ['Username'] }] },
    });
  });

  test('an unknown id is Salesforce\'s NOT_FOUND on get and update (and no read-back follows)', async () => {
    for (const call of [() => engine.get(UD, 'users', '005000000000999AAA', ACCOUNT), () => engine.update(UD, 'users', '005000000000999AAA', { last_name: 'King' }, ACCOUNT)]) {
      expect(await fail(call())).toMatchObject({
        code: 'UNIMAP_E_REMOTE_HTTP',
        status: 404,
        message: 'Salesforce answered 404 [NOT_FOUND]: The requested resource does not exist',
      });
    }
    expect(sim.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
  });

  test('an expired token is Salesforce\'s INVALID_SESSION_ID 401, and the token never shows', async () => {
    const error = await fail(engine.list(UD, 'users', { integratedAccountId: 'expired' }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 401, message: 'Salesforce answered 401 [INVALID_SESSION_ID]: Session expired or invalid' });
    expect(JSON.stringify(error)).not.toContain('expired-token-000');
  });

  test('an instance URL outside salesforce.com is refused before any call', async () => {
    expect(await fail(engine.list(UD, 'users', { integratedAccountId: 'evil-instance' }))).toMatchObject({ code: 'UNIMAP_E_AUTH_INVALID_CONTEXT' });
  });

  test('requests go to the instance URL with the default API version', async () => {
    const planned = await engine.planRequest({ category: UD, resource: 'users', method: 'get', id: '005000000000001AAA', integratedAccountId: 'plan' });
    expect(planned.url).toBe('https://acme.my.salesforce.com/services/data/v60.0/sobjects/User/005000000000001AAA');
    expect(planned.headers['Authorization']).toBe('Bearer [redacted]');
  });
});
