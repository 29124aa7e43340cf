import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveCommand } from '../../engine/cli/server-commands';
import { defaultMappingsDir, defaultSchemasDir, packageRoot } from '../../engine/package-paths';

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
