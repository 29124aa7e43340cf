import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createAxiosTransport, createEngine, type Engine, type IntegratedAccount } from '../../engine';
import { rejection } from '../helpers/provider-harness';
import { registryWithEditedIntegration, startHostileServer, type HostileServer } from './hostile-server';

/**
 * SSRF through account context: a host formed from context (GitLab's `host`) must not reach loopback, private,
 * link-local or metadata addresses, neither as a literal nor through DNS, unless the operator allows it.
 */
const TOKEN = 'glpat-ssrf-secret-token-0123456789';
const T = 'ticketing';
const LIST = { query: { collection: '42' } };

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-next-page': '' });
    res.end('[]');
  });
});
afterAll(() => server.close());

const gitlab = (id: string, host: string, extra: Partial<IntegratedAccount> = {}): IntegratedAccount => ({ id, integration: 'gitlab', context: { host, access_token: TOKEN }, ...extra });

/** Expect a refusal with nothing reaching the listener and the token nowhere in the error. */
async function expectRefused(engine: Engine, id: string, allowed: string[], call: 'list' | 'create' = 'list'): Promise<Record<string, unknown>> {
  const before = server.connections;
  const error = await rejection(call === 'list'
    ? engine.list(T, 'users', { integratedAccountId: id, ...LIST })
    : engine.create(T, 'users', { username: 'ada', roles: [{ name: 'member' }] }, { integratedAccountId: id, ...LIST }));
  expect(error).toBeDefined();
  const { code } = error as { code: string };
  expect(allowed).toContain(code);
  expect(server.connections).toBe(before);
  expect(server.requests).toHaveLength(0);
  expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()) + String((error as Error).message)).not.toContain(TOKEN);
  return error as Record<string, unknown>;
}

describe('the shipped GitLab definition', () => {
  // Each either fails the tightened host pattern or the engine's host check; none may connect.
  const hosts = () => [
    `127.0.0.1:${server.port}`, '169.254.169.254', '10.0.0.1', '[::1]', `[::1]:${server.port}`, '0x7f.0.0.1', '2130706433',
    '017700000001', 'metadata.google.internal', 'localhost', `localhost:${server.port}`, `0.0.0.0:${server.port}`, '0.0.0.0:6379',
    '100.100.100.200', 'instance-data.ec2.internal', `gitlab.localhost:${server.port}`, '192.168.1.10', '172.16.5.4',
    `[::ffff:127.0.0.1]:${server.port}`, 'metadata.internal', 'kubernetes.default.svc',
  ];

  test('refuses every loopback, private, link-local and metadata host, before connecting', async () => {
    const list = hosts();
    const engine = createEngine({ accounts: list.map((host, i) => gitlab(`h${i}`, host)) });
    for (let i = 0; i < list.length; i++) await expectRefused(engine, `h${i}`, ['UNIMAP_E_REQ_HOST_NOT_ALLOWED', 'UNIMAP_E_AUTH_INVALID_CONTEXT']);
  });

  test('a DNS-shaped metadata name passes the pattern and is refused by the engine itself', async () => {
    const engine = createEngine({ accounts: [gitlab('meta', 'metadata.google.internal'), gitlab('local', `gitlab.localhost:${server.port}`)] });
    expect(await expectRefused(engine, 'meta', ['UNIMAP_E_REQ_HOST_NOT_ALLOWED'])).toMatchObject({ status: 400, retriable: false });
    await expectRefused(engine, 'local', ['UNIMAP_E_REQ_HOST_NOT_ALLOWED']);
  });

  test('an operator\'s own base_url on 127.0.0.1 is exempt', async () => {
    const engine = createEngine({ accounts: [gitlab('operator', 'gitlab.com', { base_url: `${server.url}/api/v4` })] });
    expect(await engine.list(T, 'users', { integratedAccountId: 'operator', ...LIST })).toMatchObject({ result: [], result_count: 0 });
    expect(server.requests).toHaveLength(1);
    server.requests.length = 0;
  });
});

describe('an integration with a lax host pattern (plain http, any context host)', () => {
  let lax: ReturnType<typeof registryWithEditedIntegration>;
  beforeAll(() => {
    lax = registryWithEditedIntegration('gitlab', (yaml) => yaml
      .replace('base_url: "https://{{ $context.host }}/api/v4"', 'base_url: "http://{{ $context.host }}/api/v4"')
      .replace(/^ {4}pattern: .*\n/m, ''));
  });
  afterEach(() => {
    server.requests.length = 0;
  });

  // Every notation WHATWG URL parsing turns into a blocked address, and names that reach the machine itself.
  const literalHosts = (port: number) => [
    `127.0.0.1:${port}`, `127.1:${port}`, `0x7f.0.0.1:${port}`, `0x7f000001:${port}`, `2130706433:${port}`, `017700000001:${port}`,
    `0177.0.0.1:${port}`, `%31%32%37.0.0.1:${port}`, `127.0.0.1.:${port}`, `0.0.0.0:${port}`, `0:${port}`, `[::1]:${port}`, `[::]:${port}`,
    `[::ffff:127.0.0.1]:${port}`, `[::ffff:7f00:1]:${port}`, `[0:0:0:0:0:ffff:7f00:1]:${port}`, `[64:ff9b::7f00:1]:${port}`, `[2002:7f00:1::]:${port}`,
    `localhost:${port}`, `LOCALHOST.:${port}`, `api.localhost:${port}`, 'metadata.google.internal', 'metadata', '169.254.169.254', '[fe80::1]',
    '[fd00:ec2::254]', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.0.1', '100.64.0.1', '100.127.255.254',
    '198.18.0.1', '224.0.0.1', '255.255.255.255', '[fc00::1]', '[ff02::1]', 'redis', 'instance-data',
  ];

  test('every literal form of an internal address is refused before connecting', async () => {
    const list = literalHosts(server.port);
    const engine = createEngine({ mappings: lax, accounts: list.map((host, i) => gitlab(`l${i}`, host)) });
    for (let i = 0; i < list.length; i++) {
      const error = await expectRefused(engine, `l${i}`, ['UNIMAP_E_REQ_HOST_NOT_ALLOWED']);
      expect(error['message']).toContain('allowedHosts');
    }
  });

  test('a name that resolves to an internal address is refused at connect time (all answers checked)', async () => {
    const answers: Record<string, LookupAddress[]> = {
      'api.rebind.test': [{ address: '127.0.0.1', family: 4 }],
      'mixed.rebind.test': [{ address: '8.8.8.8', family: 4 }, { address: '127.0.0.1', family: 4 }],
      'mapped.rebind.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
      'meta.rebind.test': [{ address: '169.254.169.254', family: 4 }],
      'private.rebind.test': [{ address: '10.1.2.3', family: 4 }],
      'v6.rebind.test': [{ address: '::1', family: 6 }],
    };
    const asked: string[] = [];
    const lookup = fakeLookup(answers, asked);
    const names = Object.keys(answers);
    const engine = createEngine({
      mappings: lax,
      transport: createAxiosTransport(undefined, { lookup }),
      accounts: names.map((name, i) => gitlab(`d${i}`, `${name}:${server.port}`)),
    });
    for (let i = 0; i < names.length; i++) await expectRefused(engine, `d${i}`, ['UNIMAP_E_REQ_HOST_NOT_ALLOWED']);
    expect(asked).toEqual(expect.arrayContaining(names)); // refused after resolving, not by the name
  });

  test('a create to a refused host was not applied (and says so)', async () => {
    const engine = createEngine({ mappings: lax, accounts: [gitlab('c', `127.0.0.1:${server.port}`)] });
    expect(await expectRefused(engine, 'c', ['UNIMAP_E_REQ_HOST_NOT_ALLOWED'], 'create')).toMatchObject({ details: { outcome: 'not_applied' } });
  });

  test('a host the operator allows explicitly works; the allowance is per host and port', async () => {
    const engine = createEngine({
      mappings: lax,
      allowedHosts: [`127.0.0.1:${server.port}`, 'gitlab.corp.example'],
      accounts: [gitlab('ok', `127.0.0.1:${server.port}`), gitlab('other-name', `localhost:${server.port}`), gitlab('other-port', '127.0.0.1:1')],
    });
    expect(await engine.list(T, 'users', { integratedAccountId: 'ok', ...LIST })).toMatchObject({ result: [], result_count: 0 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['private-token']).toBe(TOKEN);
    server.requests.length = 0;
    await expectRefused(engine, 'other-name', ['UNIMAP_E_REQ_HOST_NOT_ALLOWED']);
    await expectRefused(engine, 'other-port', ['UNIMAP_E_REQ_HOST_NOT_ALLOWED']);
  });

  test('an allowed DNS name resolving to 127.0.0.1 works through the same resolver', async () => {
    const asked: string[] = [];
    const engine = createEngine({
      mappings: lax,
      transport: createAxiosTransport(undefined, { lookup: fakeLookup({ 'gitlab.corp.example': [{ address: '127.0.0.1', family: 4 }] }, asked), allowedHosts: ['gitlab.corp.example'] }),
      accounts: [gitlab('corp', `gitlab.corp.example:${server.port}`)],
    });
    expect(await engine.list(T, 'users', { integratedAccountId: 'corp', ...LIST })).toMatchObject({ result_count: 0 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['host']).toBe(`gitlab.corp.example:${server.port}`);
    expect(asked).toContain('gitlab.corp.example');
  });
});

/** A resolver with fixed answers (no real DNS in tests), remembering what it was asked. */
function fakeLookup(answers: Record<string, LookupAddress[]>, asked: string[]): LookupFunction {
  return (hostname, options, callback) => {
    asked.push(hostname);
    const found = answers[hostname];
    if (!found) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all) callback(null, found);
    else callback(null, found[0]!.address, found[0]!.family);
  };
}

describe('the address classification (public addresses stay reachable)', () => {
  test('public unicast addresses are not blocked; their neighbours in blocked ranges are', async () => {
    const { isBlockedAddress } = await import('../../engine/transport/host-policy');
    const open = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '100.63.255.255', '192.169.0.1', '11.0.0.1', '169.253.255.255',
      '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
    const closed = ['127.0.0.1', '127.255.255.254', '0.0.0.0', '10.0.0.0', '172.16.0.0', '172.31.255.255', '192.168.255.255', '169.254.0.1', '100.64.0.0',
      '::1', '::', '::ffff:10.0.0.1', '::ffff:a00:1', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::', 'fe80::1%eth0', 'fd00::1', 'fc00::', 'ff02::1', '2001:db8::1', 'not-an-ip'];
    for (const address of open) expect([address, isBlockedAddress(address)]).toEqual([address, false]);
    for (const address of closed) expect([address, isBlockedAddress(address)]).toEqual([address, true]);
  });
});
