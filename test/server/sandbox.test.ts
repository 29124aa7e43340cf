import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveCommand } from '../../engine/cli/server-commands';
import { defaultMappingsDir, defaultSchemasDir, packageRoot } from '../../engine/package-paths';
import { readSimulatorDescription } from '../../engine/sandbox/describe';
import { findSimulatorDescriptions } from '../../engine/sandbox/described/find-descriptions';
import { listPath, startSandbox, type RunningSandbox } from '../../engine/sandbox/start-sandbox';

jest.setTimeout(90_000);

/** Split a printed shell command into its words: single-quoted strings and backslash line continuations, as bash reads them. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.replace(/\\\n/g, ' ').matchAll(/'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2]!);
  return words;
}

/** What curl would send for the printed command: -X, -H, -d and the URL. */
function curlToFetch(command: string): { url: string; init: RequestInit } {
  const words = shellWords(command);
  expect(words[0]).toBe('curl');
  const headers: Record<string, string> = {};
  let method = 'GET';
  let body: string | undefined;
  let url = '';
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X') method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      headers[name!.trim()] = value.join(':').trim();
    } else if (word === '-d') {
      body = words[++i]!;
      if (method === 'GET') method = 'POST';
    } else url = word;
  }
  return { url, init: { method, headers, ...(body === undefined ? {} : { body }) } };
}

describe('the README\'s first command: npm ci && npm run sandbox', () => {
  test('the README starts with it, and `npm run sandbox` is `unimap serve --sandbox`', () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const firstCommand = /```bash\n([^\n]+)/.exec(readme)![1]!;
    expect(firstCommand).toMatch(/^npm ci && npm run sandbox\b/);
    const scripts = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['sandbox']).toMatch(/ serve --sandbox$/);
  });

  test('serve --sandbox prints a curl that creates a user when pasted; the list it suggests shows the user', async () => {
    let printed = '';
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const io = { out: (text: string) => void (printed += `${text}\n`), err: () => undefined };
    const exit = serveCommand({ sandbox: true, port: '0' }, { mappings: defaultMappingsDir(), schemas: defaultSchemasDir() }, io, stopped);
    try {
      for (let waited = 0; !printed.includes('Then list them') && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      const create = /^curl -X POST[\s\S]*?-d '[^']*'$/m.exec(printed)![0];
      const { url, init } = curlToFetch(create);
      const created = await fetch(url, init);
      expect(created.status).toBe(201);
      const user = (await created.json()) as { id: string; first_name: string };
      expect(user).toMatchObject({ id: expect.any(String), first_name: 'Ada' });

      const list = /Then list them: (curl .*)$/m.exec(printed)![1]!;
      const listed = curlToFetch(list);
      const page = (await (await fetch(listed.url, listed.init)).json()) as { result: Array<{ id: string }> };
      expect(page.result.map((u) => u.id)).toContain(user.id);
    } finally {
      stop();
      expect(await exit).toBe(0);
    }
    expect(printed).toContain('stopping: finishing the requests in flight');
  });
});

describe('every shipped integration is callable in the sandbox', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: false });
  });
  afterAll(() => sandbox?.close());
  const get = (path: string) => fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${sandbox.key}` } });

  // Every folder of mappings/ is an integration, except the shared settings (_scim).
  const shipped = readdirSync(defaultMappingsDir(), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && existsSync(join(defaultMappingsDir(), entry.name, 'integration.yaml')))
    .map((entry) => entry.name)
    .sort();

  test('one account per integration in mappings/, listed by the server', async () => {
    expect(sandbox.skipped).toEqual([]);
    const answer = await get('/integrated-accounts?limit=500');
    expect(answer.status).toBe(200);
    const { result } = (await answer.json()) as { result: Array<{ id: string; integration: string; status: string }> };
    expect(result.map((a) => a.id).sort()).toEqual(shipped.map((name) => `sandbox-${name}`));
    expect(result.every((a) => a.id === `sandbox-${a.integration}` && a.status === 'active')).toBe(true);
  });

  test('a list needing a query parameter takes it from the description\'s account.query', () => {
    for (const { integration, file } of findSimulatorDescriptions(defaultMappingsDir())) {
      const account = sandbox.accounts.find((a) => a.integration === integration)!;
      expect([integration, account.listQuery]).toEqual([integration, readSimulatorDescription(file).account?.query ?? {}]);
    }
  });

  test('the printed list needs no query parameter', () => {
    const printed = /Then list them: curl '[^']*\?integrated_account_id=([\w-]+)'/.exec(sandbox.banner)![1]!;
    expect(sandbox.accounts.find((a) => a.id === printed)!.listQuery).toEqual({});
  });

  test.each(shipped)('a unified list of %s answers 200 through the server', async (integration) => {
    const account = sandbox.accounts.find((a) => a.integration === integration)!;
    const answer = await get(listPath(account));
    const body = (await answer.json()) as { result?: unknown };
    // the body is shown when it is not a list page (fetch's arrays come from another realm than expect.any(Array) checks)
    expect([answer.status, Array.isArray(body.result) ? 'a list page' : body]).toEqual([200, 'a list page']);
  });
});
