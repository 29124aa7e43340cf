import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer as createNetServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createEngine, createOutboundLimits, type Engine, type EngineOptions, type IntegratedAccount } from '../../engine';
import { packageRoot } from '../../engine/package-paths';
import { mostWithin, PACED_TOKEN, startPacedProvider, writePacedMappings, type PacedLimit, type PacedProvider } from '../helpers/paced-integration';
import { describeWithRedis } from '../helpers/redis-available';

/**
 * Outbound budgets shared through a real Redis: engines in this process and another process draw on one budget;
 * keys are what the README says; a Redis that goes away mid-run is stood in for by each process's own budgets.
 * Every key lives under a prefix unique to this run, removed afterwards.
 */
jest.setTimeout(60_000);

const UD = 'user-directory';
const WITHIN_ONE_INTERVAL_MS = 800;

describeWithRedis('budgets shared through Redis', (redisUrl) => {
  const runPrefix = `unimap-test:rl:${randomUUID()}`;
  let provider: PacedProvider;
  let redis: Redis;
  const dirs: string[] = [];
  const engines: Engine[] = [];
  let prefix = '';

  beforeAll(async () => {
    provider = await startPacedProvider();
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${runPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await provider.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    provider.reset();
    prefix = `${runPrefix}:${randomUUID()}`;
  });
  /** What a test started that must not outlive it, even when it fails half-way (relays, child processes). */
  const stops: Array<() => unknown> = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((engine) => engine.close()));
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  const account = (id: string, extra: Partial<IntegratedAccount> = {}): IntegratedAccount => ({ id, integration: 'paced', context: { api_token: PACED_TOKEN }, base_url: provider.url, ...extra });
  const list = (engine: Engine, id = 'a') => engine.list(UD, 'users', { integratedAccountId: id });
  const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

  function mappings(limits: PacedLimit[]): string {
    const dir = writePacedMappings(limits);
    dirs.push(dir);
    return dir;
  }

  function sharedEngine(dir: string, options: Omit<EngineOptions, 'mappings'> = {}): Engine {
    const engine = createEngine({ accounts: [account('a'), account('b')], rateLimits: { redis: redisUrl, keyPrefix: prefix }, ...options, mappings: dir });
    engines.push(engine);
    return engine;
  }

  test('two engines and another process draw on one budget', async () => {
    const dir = mappings([{ per: 'integration', requests: 2, interval_seconds: 1 }]);
    const child = await startChild(stops, { mappings: dir, baseUrl: provider.url, redisUrl, keyPrefix: prefix, accountId: 'c', calls: 2 });
    const warnings: string[] = [];
    const [one, two] = [1, 2].map(() => sharedEngine(dir, { rateLimits: { redis: redisUrl, keyPrefix: prefix, warn: (m) => warnings.push(m) } }));
    // What a first call builds (validators, connections) is built first: a stalled event loop would hold requests
    // the budget let through and deliver them together with the next interval's, whatever the limiter did.
    await Promise.all([one!, two!].map((engine) => engine.planRequest({ category: UD, resource: 'users', method: 'list', integratedAccountId: 'a' })));
    const [childResult] = await Promise.all([child.go(), list(one!, 'a'), list(one!, 'b'), list(two!, 'a'), list(two!, 'b')]);
    // Had Redis failed anywhere, that process would have counted in memory: the check below would prove nothing.
    expect(childResult).toEqual({ ok: 2, failed: [], warnings: [] });
    expect(warnings).toEqual([]);
    expect(provider.arrivals).toHaveLength(6);
    // Three budgets of two would let all six through at once; one shared budget lets two through per interval.
    expect(mostWithin(provider.arrivals, WITHIN_ONE_INTERVAL_MS)).toBe(2);
  });

  test('account budgets are per account, the integration budget is shared; keys are named as documented', async () => {
    const dir = mappings([{ per: 'account', requests: 2, interval_seconds: 60 }, { per: 'integration', requests: 3, interval_seconds: 60 }]);
    const [one, two] = [sharedEngine(dir, { callDeadlineMs: 1500 }), sharedEngine(dir, { callDeadlineMs: 1500 })];
    await list(one!, 'a');
    await list(two!, 'a');
    expect(await failure(list(one!, 'a'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', details: { scope: 'account' } });
    await list(two!, 'b');
    expect(await failure(list(one!, 'b'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', details: { scope: 'integration' } });
    expect(provider.requests).toHaveLength(3);
    expect((await redis.keys(`${prefix}:*`)).sort()).toEqual([`${prefix}:paced`, `${prefix}:paced:acct:a`, `${prefix}:paced:acct:b`]);
    // b's point taken for the refused request was given back: only the request that went out counts.
    expect(await redis.get(`${prefix}:paced:acct:b`)).toBe('1');
    expect(Number(await redis.get(`${prefix}:paced`))).toBeGreaterThanOrEqual(3);
  });

  test('rate_limit_key names the account budget, so a server can keep tenants apart', async () => {
    const dir = mappings([{ per: 'account', requests: 5, interval_seconds: 60 }]);
    const engine = createEngine({ mappings: dir, accounts: [account('a', { rate_limit_key: 'tenant-7:a' })], rateLimits: { redis: redisUrl, keyPrefix: prefix } });
    engines.push(engine);
    await list(engine, 'a');
    expect(await redis.keys(`${prefix}:*`)).toEqual([`${prefix}:paced:acct:tenant-7:a`]);
  });

  test('budgets made once can be shared by engines; engine.close leaves a shared Redis client open', async () => {
    const client = new Redis(redisUrl);
    const limits = createOutboundLimits({ redis: client, keyPrefix: prefix });
    const dir = mappings([{ per: 'integration', requests: 1, interval_seconds: 60 }]);
    const [one, two] = [1, 2].map(() => createEngine({ mappings: dir, accounts: [account('a')], rateLimits: limits, callDeadlineMs: 1500 }));
    await list(one!);
    expect(await failure(list(two!))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    await one!.close();
    await two!.close();
    await limits.close();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });

  test('Redis gone mid-run: calls go on, limited in this process; the outage and the recovery are announced once each', async () => {
    const proxy = await startTcpProxy(new URL(redisUrl));
    stops.push(() => proxy.stop());
    const warnings: string[] = [];
    const dir = mappings([{ per: 'integration', requests: 2, interval_seconds: 60 }]);
    const engine = sharedEngine(dir, { callDeadlineMs: 1500, rateLimits: { redis: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, warn: (m) => warnings.push(m) } });
    await list(engine);
    expect(await redis.get(`${prefix}:paced`)).toBe('1');

    await proxy.stop();
    await list(engine);
    await list(engine);
    // The stand-in budget is the declared one: still limited, not unlimited.
    expect(await failure(list(engine))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    expect(warnings).toEqual([expect.stringMatching(/does not answer.*each process keeps its own budgets/)]);

    await proxy.restart();
    await until(() => warnings.length === 2);
    expect(warnings[1]).toMatch(/is back/);
    await list(engine); // Redis held one of two
    expect(await failure(list(engine))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    expect(provider.requests).toHaveLength(4);
  });
});

interface Child {
  /** Let the child make its calls; resolves with what it reports. */
  go(): Promise<{ ok: number; failed: string[]; warnings: string[] }>;
}

/** Another process with its own engine on the same Redis, ready to call when told. */
async function startChild(stops: Array<() => unknown>, config: Record<string, unknown>): Promise<Child> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', join('test', 'helpers', 'rate-limit-child.ts')], {
    cwd: packageRoot(),
    env: { ...process.env, UNIMAP_CHILD_CONFIG: JSON.stringify(config) },
  });
  stops.push(() => child.exitCode === null && child.kill());
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the child process ended (${code}): ${stderr}`)));
  });
  expect(await next()).toBe('ready');
  return {
    async go() {
      const report = next();
      child.stdin.write('go\n');
      const result = JSON.parse(await report) as { ok: number; failed: string[]; warnings: string[] };
      child.stdin.end();
      return result;
    },
  };
}

/** A TCP relay to Redis that can be stopped (every connection cut) and started again on the same port. */
async function startTcpProxy(target: URL): Promise<{ port: number; stop(): Promise<void>; restart(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  const listen = () => new Promise<void>((resolve) => {
    server = createNetServer((socket) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [socket, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined).on('close', () => sockets.delete(s));
      }
      socket.pipe(upstream).pipe(socket);
    });
    server.listen(port, '127.0.0.1', () => {
      port = (server.address() as { port: number }).port;
      resolve();
    });
  });
  await listen();
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    }),
    restart: listen,
  };
}

/** Wait for a condition an event will make true (reconnecting takes the client's own retry delay). */
async function until(condition: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('the condition did not come true');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
