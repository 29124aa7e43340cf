import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveCommand } from '../../engine/cli/server-commands';
import { main } from '../../engine/cli/main';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { createServer } from '../../engine/server';
import { startServer } from './harness';
import { okta } from './providers';

jest.setTimeout(90_000);

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) }, out, err };
};

describe('graceful shutdown', () => {
  test('close() finishes the calls in flight; new requests are refused meanwhile', async () => {
    const running = await startServer([okta]);
    try {
      const account = await running.addAccount('acme', 'okta');
      running.sims.get('okta')!.failNext({ match: /^GET/, delayMs: 600, status: 200, body: [] });
      const inFlight = running.client('acme').request('GET', '/unified/user-directory/users', { integrated_account_id: account });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const closed = running.server.close();
      const during = await fetch(`${running.url}/health`).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(during);
      const answer = await inFlight;
      expect(answer).toMatchObject({ status: 200, body: { result: [], next_cursor: null, result_count: 0 } });
      await closed;
    } finally {
      await running.stop();
    }
  });
});

describe('unimap keys create and unimap serve', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'unimap-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('keys create prints a new key once; the server then accepts it for that tenant', async () => {
    const { io, out, err } = capture();
    expect(await main(['keys', 'create', '--tenant', 'initech', '--data', dataDir], io)).toBe(0);
    const key = out.join('').trim();
    expect(key).toMatch(/^umk_[\w-]{43}$/);
    expect(err.join('')).toContain('shown once');
    const server = await createServer({ dataDir, log: false });
    try {
      const url = await server.listen();
      const accounts = await fetch(`${url}/integrated-accounts`, { headers: { Authorization: `Bearer ${key}` } });
      expect(accounts.status).toBe(200);
      // only the hash is stored
      const rows = await server.store.db.query<Record<string, unknown>>('SELECT * FROM api_keys');
      expect(rows).toEqual([expect.objectContaining({ tenant_id: 'initech', key_hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
      expect(JSON.stringify(rows)).not.toContain(key);
      // while a server holds the data folder, another process's `keys create` is refused (same process here: same rule)
      const second = capture();
      expect(await main(['keys', 'create', '--data', dataDir], second.io)).toBe(1);
      expect(second.err.join('')).toContain('UNIMAP_E_SERVER_STORE');
    } finally {
      await server.close();
    }
  });

  test('a first serve makes a key for tenant "default" when none exists, and stops on its signal', async () => {
    const { io, out } = capture();
    let stop!: () => void;
    const exit = serveCommand({ port: '0', data: dataDir }, { mappings: defaultMappingsDir(), schemas: defaultSchemasDir() }, io, new Promise<void>((resolve) => (stop = resolve)));
    for (let waited = 0; !out.join('\n').includes('openapi.json') && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const text = out.join('\n');
    const url = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!;
    const key = /^(umk_\S+)$/m.exec(text)![1]!;
    expect((await fetch(`${url}/integrated-accounts`, { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
    stop();
    expect(await exit).toBe(0);
  });
});
