import { randomBytes } from 'node:crypto';
import { serveCommand } from '../../engine/cli/server-commands';
import { main } from '../../engine/cli/main';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { openServerStore } from '../../engine/server';
import { describeWithPostgres, TEST_DATABASE_URL_WITH_PASSWORD, testDatabaseUrlFor, useTestSchema } from '../helpers/postgres-available';

jest.setTimeout(120_000);

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) }, out, err };
};

const secretKey = randomBytes(32).toString('base64');
const PASSWORD = new URL(TEST_DATABASE_URL_WITH_PASSWORD).password;

/** The CLI reads process.env: these values for each test of the enclosing describe, then what was there before. */
function withEnv(values: Record<string, string | undefined>): void {
  let before: Record<string, string | undefined> = {};
  const apply = (from: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(from)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  beforeEach(() => {
    before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    apply(values);
  });
  afterEach(() => apply(before));
}

describe('the CLI refuses store flags that contradict each other', () => {
  withEnv({ UNIMAP_DATABASE_URL: undefined, UNIMAP_SECRET_KEY: secretKey });

  test('--data with --database-url, and --sandbox with --database-url', async () => {
    const keys = capture();
    expect(await main(['keys', 'create', '--data', '.unimap-never-made', '--database-url', 'postgres://u:p@127.0.0.1:1/db'], keys.io)).toBe(1);
    expect(keys.err.join('')).toContain('UNIMAP_E_SERVER_INVALID_REQUEST');
    const serve = capture();
    expect(await main(['serve', '--sandbox', '--port', '0', '--database-url', 'postgres://u:p@127.0.0.1:1/db'], serve.io)).toBe(1);
    expect(serve.err.join('')).toContain('--sandbox runs on a store of its own');
  });
});

describeWithPostgres('the CLI on PostgreSQL', () => {
  describe('unimap keys create', () => {
    const schema = useTestSchema();
    withEnv({ UNIMAP_DATABASE_URL: undefined, UNIMAP_SECRET_KEY: secretKey });

    test('--database-url creates a key in the shared database; without UNIMAP_SECRET_KEY it refuses', async () => {
      const created = capture();
      expect(await main(['keys', 'create', '--tenant', 'initech', '--database-url', testDatabaseUrlFor(schema)], created.io)).toBe(0);
      const key = created.out.join('').trim();
      expect(key).toMatch(/^umk_/);
      const store = await openServerStore({ databaseUrl: testDatabaseUrlFor(schema), env: { UNIMAP_SECRET_KEY: secretKey } });
      try {
        expect(await store.keys.findTenant(key)).toBe('initech');
      } finally {
        await store.close();
      }

      delete process.env['UNIMAP_SECRET_KEY'];
      const refused = capture();
      expect(await main(['keys', 'create', '--database-url', testDatabaseUrlFor(schema)], refused.io)).toBe(1);
      expect(refused.err.join('')).toContain('UNIMAP_E_SERVER_SECRET_KEY');
    });
  });

  describe('unimap serve', () => {
    const schema = useTestSchema();
    withEnv({ UNIMAP_DATABASE_URL: testDatabaseUrlFor(schema, TEST_DATABASE_URL_WITH_PASSWORD), UNIMAP_SECRET_KEY: secretKey });

    test('two instances on one database from UNIMAP_DATABASE_URL: one first key, usable on both; the password never printed', async () => {
      const dirs = { mappings: defaultMappingsDir(), schemas: defaultSchemasDir() };
      const instances = [capture(), capture()].map((output) => {
        let stop!: () => void;
        let ended = false;
        const exit = serveCommand({ port: '0' }, dirs, output.io, new Promise<void>((resolve) => (stop = resolve)));
        exit.then(() => (ended = true), () => (ended = true)); // awaited below, where a failed start shows
        return { ...output, stop, exit, hasEnded: () => ended };
      });
      try {
        for (const instance of instances) {
          while (!instance.out.join('\n').includes('openapi.json') && !instance.hasEnded()) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const texts = instances.map((instance) => [...instance.out, ...instance.err].join('\n'));
        for (const text of texts) {
          expect(text).toMatch(new RegExp(`store: PostgreSQL postgres(ql)?://[^ ]*:\\*\\*\\*@[^ ]* \\(schema ${schema}\\)`));
          expect(text).not.toContain(PASSWORD);
        }
        const firstKeys = texts.flatMap((text) => [.../^(umk_\S+)$/gm.exec(text) ?? []].slice(1));
        expect(firstKeys).toHaveLength(1);
        for (const text of texts) {
          const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!;
          expect((await fetch(`${url}/integrated-accounts`, { headers: { Authorization: `Bearer ${firstKeys[0]}` } })).status).toBe(200);
        }
      } finally {
        for (const instance of instances) instance.stop();
        expect(await Promise.all(instances.map((instance) => instance.exit))).toEqual([0, 0]);
      }
    });
  });
});
