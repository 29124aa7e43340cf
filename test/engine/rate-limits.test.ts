import { rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { createEngine, isUnimapError, type Engine, type EngineOptions, type IntegratedAccount } from '../../engine';
import { EMPTY_PAGE, mostWithin, PACED_TOKEN, startPacedProvider, writePacedMappings, type PacedLimit, type PacedProvider } from '../helpers/paced-integration';

/**
 * Outbound rate limits kept in this process (no Redis): what the provider on 127.0.0.1 receives, counted per
 * interval; what a call is told when the budget has no room before its deadline; retries and 429s.
 * Budgets shared through Redis are in rate-limits-redis.test.ts.
 */
jest.setTimeout(30_000);

const UD = 'user-directory';
/** Requests a budget lets through arrive together, one interval after the previous ones; the span leaves room for jitter. */
const WITHIN_ONE_INTERVAL_MS = 800;

let provider: PacedProvider;
const dirs: string[] = [];
const engines: Engine[] = [];

beforeAll(async () => {
  provider = await startPacedProvider();
});
afterAll(async () => {
  await provider.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => provider.reset());
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});

const account = (id: string, extra: Partial<IntegratedAccount> = {}): IntegratedAccount => ({ id, integration: 'paced', context: { api_token: PACED_TOKEN }, base_url: provider.url, ...extra });

function pacedEngine(limits: PacedLimit[], options: Omit<EngineOptions, 'mappings'> = {}): Engine {
  const dir = writePacedMappings(limits);
  dirs.push(dir);
  const engine = createEngine({ accounts: [account('a'), account('b')], ...options, mappings: dir });
  engines.push(engine);
  return engine;
}

const list = (engine: Engine, id = 'a', query?: Record<string, unknown>) => engine.list(UD, 'users', { integratedAccountId: id, ...(query ? { query } : {}) });
const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe('budgets kept in this process', () => {
  test('concurrent calls: the provider never sees more than the budget within one interval', async () => {
    const engine = pacedEngine([{ per: 'integration', requests: 3, interval_seconds: 1 }]);
    const pages = await Promise.all(Array.from({ length: 9 }, () => list(engine)));
    expect(pages).toHaveLength(9);
    expect(provider.arrivals).toHaveLength(9);
    expect(mostWithin(provider.arrivals, WITHIN_ONE_INTERVAL_MS)).toBe(3);
  });

  test('without Redis each engine keeps its own budget', async () => {
    const limits: PacedLimit[] = [{ per: 'integration', requests: 2, interval_seconds: 1 }];
    const [one, two] = [pacedEngine(limits), pacedEngine(limits)];
    await Promise.all([list(one!), list(one!), list(two!), list(two!)]);
    // Two budgets of two: all four go out at once.
    expect(mostWithin(provider.arrivals, WITHIN_ONE_INTERVAL_MS)).toBe(4);
  });

  test('an account budget is its own; the integration budget is shared by every account', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 2, interval_seconds: 60 }, { per: 'integration', requests: 3, interval_seconds: 60 }], { callDeadlineMs: 1500 });
    await list(engine, 'a');
    await list(engine, 'a');
    expect(await failure(list(engine, 'a'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', details: { integration: 'paced', scope: 'account' } });
    await list(engine, 'b'); // b's own budget is untouched by a's two requests
    expect(await failure(list(engine, 'b'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', details: { integration: 'paced', scope: 'integration' } });
    expect(provider.requests).toHaveLength(3);
  });

  test('accounts with the same rate_limit_key share one account budget', async () => {
    const dir = writePacedMappings([{ per: 'account', requests: 1, interval_seconds: 60 }]);
    dirs.push(dir);
    const accounts = [account('x', { rate_limit_key: 'tenant-9/acme' }), account('y', { rate_limit_key: 'tenant-9/acme' }), account('z')];
    const engine = createEngine({ mappings: dir, accounts, callDeadlineMs: 1500 });
    engines.push(engine);
    await list(engine, 'x');
    expect(await failure(list(engine, 'y'))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', details: { scope: 'account' } });
    await list(engine, 'z');
    expect(provider.requests).toHaveLength(2);
  });
});

describe('no room before the deadline', () => {
  test('a wait past the call deadline fails at once with UNIMAP_E_REMOTE_OUTBOUND_LIMIT; nothing is sent', async () => {
    const engine = pacedEngine([{ per: 'integration', requests: 1, interval_seconds: 60 }], { callDeadlineMs: 2000 });
    await list(engine);
    const error = await failure(list(engine));
    expect(isUnimapError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', status: 429, retriable: true, details: { integration: 'paced', scope: 'integration' } });
    const { retryAfterSeconds, message } = error as { retryAfterSeconds: number; message: string };
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(message).toContain('callDeadlineMs');
    expect(message).not.toContain(PACED_TOKEN);
    expect(provider.requests).toHaveLength(1);
  });

  test('maxWaitMs bounds the wait even when the deadline would allow it', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 1, interval_seconds: 3 }], { rateLimits: { maxWaitMs: 200 } });
    await list(engine);
    expect(await failure(list(engine))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT', message: expect.stringContaining('maxWaitMs') });
    expect(provider.requests).toHaveLength(1);
  });

  test('a wait the deadline covers is waited: the call goes out in the next interval', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 1, interval_seconds: 1 }]);
    await Promise.all([list(engine), list(engine)]);
    expect(provider.requests).toHaveLength(2);
    expect(mostWithin(provider.arrivals, WITHIN_ONE_INTERVAL_MS)).toBe(1);
  });

  test('streamed lists and passthrough requests draw on the same budget', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 3, interval_seconds: 60 }], { callDeadlineMs: 1500 });
    await list(engine);
    const streamed = await list(engine, 'a', { truto_response_format: 'stream' }) as unknown as { stream: NodeJS.ReadableStream };
    for await (const chunk of streamed.stream) void chunk;
    const proxied = await engine.proxy({ integratedAccountId: 'a', method: 'GET', segments: ['users'] });
    for await (const chunk of proxied.stream) void chunk;
    expect(await failure(engine.proxy({ integratedAccountId: 'a', method: 'GET', segments: ['users'] }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    expect(await failure(list(engine, 'a', { truto_response_format: 'stream' }))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    expect(provider.requests).toHaveLength(3);
  });
});

describe("provider 429s and retries", () => {
  test("a 429's Retry-After is still honoured, and the retry is sent", async () => {
    const engine = pacedEngine([{ per: 'account', requests: 5, interval_seconds: 1 }]);
    provider.reply = (_seen, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: '{}' } : EMPTY_PAGE);
    await list(engine);
    expect(provider.arrivals).toHaveLength(2);
    // Measured where the provider is: the resend came no sooner than the provider asked.
    expect(provider.arrivals[1]! - provider.arrivals[0]!).toBeGreaterThanOrEqual(950);
  });

  test('a retry draws on the budget: the request after it finds the budget spent', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 2, interval_seconds: 60 }], { callDeadlineMs: 1500 });
    provider.reply = (_seen, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' }, body: '{}' } : EMPTY_PAGE);
    await list(engine);
    expect(await failure(list(engine))).toMatchObject({ code: 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT' });
    expect(provider.requests).toHaveLength(2);
  });

  test('a retry with no room before the deadline is not sent: the provider\'s 429 is the answer', async () => {
    const engine = pacedEngine([{ per: 'account', requests: 1, interval_seconds: 60 }], { callDeadlineMs: 1500 });
    provider.reply = () => ({ status: 429, headers: { 'retry-after': '0' }, body: '{"message":"slow down"}' });
    expect(await failure(list(engine))).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', remote: { status: 429 } });
    // max_retries is 2: without the budget the provider would have seen three requests.
    expect(provider.requests).toHaveLength(1);
  });
});

describe('Redis that cannot be reached', () => {
  test('calls are limited in this process instead, and the fallback is announced once', async () => {
    const port = await closedPort();
    const warnings: string[] = [];
    const engine = pacedEngine([{ per: 'integration', requests: 2, interval_seconds: 1 }], { rateLimits: { redis: `redis://127.0.0.1:${port}`, warn: (m) => warnings.push(m) } });
    const pages = await Promise.all(Array.from({ length: 6 }, () => list(engine)));
    expect(pages).toHaveLength(6);
    expect(mostWithin(provider.arrivals, WITHIN_ONE_INTERVAL_MS)).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/each process keeps its own budgets/);
  });
});

describe('the definition format', () => {
  test('two budgets with the same `per` are refused with their position', () => {
    const dir = writePacedMappings([{ per: 'account', requests: 10, interval_seconds: 1 }, { per: 'account', requests: 100, interval_seconds: 60 }]);
    dirs.push(dir);
    expect(() => createEngine({ mappings: dir })).toThrow(expect.objectContaining({ code: 'UNIMAP_E_DEF_REFERENCE', message: expect.stringMatching(/integration\.yaml:\d+:\d+.*a second rate limit per account/) }));
  });

  test('an unknown `per` and a zero interval are schema errors', () => {
    for (const limit of ['{ per: tenant, requests: 1, interval_seconds: 1 }', '{ per: account, requests: 1, interval_seconds: 0 }']) {
      const dir = writePacedMappings([], ['limits:', `  - ${limit}`]);
      dirs.push(dir);
      expect(() => createEngine({ mappings: dir })).toThrow(expect.objectContaining({ code: 'UNIMAP_E_DEF_SCHEMA' }));
    }
  });

  test('an unusable rateLimits option is refused when the engine is made', () => {
    const dir = writePacedMappings([]);
    dirs.push(dir);
    expect(() => createEngine({ mappings: dir, rateLimits: { redis: 'localhost:6379' } })).toThrow(expect.objectContaining({ code: 'UNIMAP_E_LOAD_OPTIONS' }));
    expect(() => createEngine({ mappings: dir, rateLimits: { maxWaitMs: -1 } })).toThrow(expect.objectContaining({ code: 'UNIMAP_E_LOAD_OPTIONS' }));
  });
});

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
