import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../engine/package-paths';

/** The Redis tests share state through: UNIMAP_TEST_REDIS_URL, default the local one. */
export const TEST_REDIS_URL = process.env['UNIMAP_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers PING at `url`. Synchronous (a short child process), so jest can decide to skip while collecting. */
export function redisAnswers(url: string = TEST_REDIS_URL): boolean {
  const script = [
    "const { Redis } = require('ioredis');",
    'const client = new Redis(process.env.UNIMAP_PING_URL, { lazyConnect: true, connectTimeout: 2000, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });',
    "client.on('error', () => {});",
    'client.connect().then(() => client.ping()).then(() => process.exit(0), () => process.exit(1));',
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot(), env: { ...process.env, UNIMAP_PING_URL: url }, timeout: 5000 });
  return run.status === 0;
}

/**
 * A describe block that needs Redis. Without one, a CI run (env CI set) fails with a clear message; a local run
 * skips the block and says how to point it at a Redis.
 */
export function describeWithRedis(name: string, body: (url: string) => void): void {
  if (redisAnswers()) {
    describe(name, () => body(TEST_REDIS_URL));
    return;
  }
  const where = withoutPassword(TEST_REDIS_URL);
  if (process.env['CI']) {
    describe(name, () => {
      test('needs a Redis', () => {
        throw new Error(`no Redis answers at ${where}; CI runs these tests against one: start it or set UNIMAP_TEST_REDIS_URL`);
      });
    });
    return;
  }
  console.warn(`skipping "${name}": no Redis answers at ${where}; set UNIMAP_TEST_REDIS_URL to run these tests`);
  describe.skip(name, () => body(TEST_REDIS_URL));
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'UNIMAP_TEST_REDIS_URL';
  }
}
