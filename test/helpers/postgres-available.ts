import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Tests over a real PostgreSQL server. UNIMAP_TEST_DATABASE_URL names it (default: the local server's `test`
 * database, trust authentication). Each test file works in schemas of its own, named at random and dropped after it.
 * When the server cannot be reached the tests are skipped with one message, except under CI, where they fail.
 */
export const TEST_DATABASE_URL = process.env['UNIMAP_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The test URL with a password in it, for checking that messages never show one: its own when it has one, else a
 * made-up one, which trust authentication (the default server's) ignores.
 */
export const TEST_DATABASE_URL_WITH_PASSWORD = withPassword(TEST_DATABASE_URL);

let reachable: { ok: true } | { ok: false; reason: string } | undefined;
let skipReported = false;

/**
 * Connects once per test file, synchronously (jest decides what to skip while it collects the tests, before any hook
 * runs), from a child process that exits as soon as it knows.
 */
export function postgresReachable(): boolean {
  reachable ??= probe();
  return reachable.ok;
}

/** `describe` when PostgreSQL is reachable; otherwise a skip (one message) or, under CI, a failing test saying why. */
export function describeWithPostgres(name: string, body: () => void): void {
  if (postgresReachable()) {
    describe(name, body);
    return;
  }
  const reason = reachable?.ok === false ? reachable.reason : 'unknown';
  const message = `PostgreSQL is not reachable at UNIMAP_TEST_DATABASE_URL (${redacted(TEST_DATABASE_URL)}): ${reason}`;
  if (process.env['CI']) {
    describe(name, () => {
      test('PostgreSQL is reachable', () => {
        throw new Error(`${message}. CI runs these tests: start PostgreSQL or set UNIMAP_TEST_DATABASE_URL.`);
      });
    });
    return;
  }
  if (!skipReported) {
    skipReported = true;
    console.warn(`${message}; skipping the PostgreSQL tests (set UNIMAP_TEST_DATABASE_URL to run them).`);
  }
  describe.skip(name, body);
}

/** A schema name no other test uses (lower case, as the store requires). */
export function randomSchemaName(): string {
  return `unimap_test_${randomBytes(6).toString('hex')}`;
}

/** A fresh schema name for the tests of the enclosing describe, dropped with all it holds after them (close their stores first). */
export function useTestSchema(): string {
  const schema = randomSchemaName();
  afterAll(() => dropSchema(schema));
  return schema;
}

export async function dropSchema(schema: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** The test URL choosing `schema` through its `schema` parameter (for UNIMAP_DATABASE_URL). */
export function testDatabaseUrlFor(schema: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return url.href;
}

/** One connection of the test's own, apart from any store's (inspecting pg_locks, ending another's session). */
export async function withAdminClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  client.on('error', () => undefined); // a failure reaches the query that meets it
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function probe(): { ok: true } | { ok: false; reason: string } {
  const script = `
    const { Client } = require(process.env.PROBE_PG);
    const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.end()).then(() => process.exit(0), (error) => {
      process.stderr.write(error.code || error.message || String(error));
      process.exit(1);
    });`;
  // The URL goes through the environment, never a command line other users could read.
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, PROBE_PG: require.resolve('pg'), PROBE_URL: TEST_DATABASE_URL },
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.status === 0) return { ok: true };
  const said = (result.stderr || result.error?.message || `exit ${result.status}`).trim();
  const password = safeUrl(TEST_DATABASE_URL)?.password;
  return { ok: false, reason: password ? said.split(password).join('***') : said };
}

function withPassword(text: string): string {
  const url = safeUrl(text);
  if (!url || url.password !== '') return text;
  url.password = 'never-shown-7f3a';
  return url.href;
}

function redacted(text: string): string {
  const url = safeUrl(text);
  if (!url) return '(not a valid URL)';
  if (url.password !== '') url.password = '***';
  return url.href;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
