import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../engine/cli/main';
import { defaultMappingsDir } from '../../engine/package-paths';
import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

const TOKEN = 'record-me-secret-token-42';
let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator(oktaSimulator, { api_token: TOKEN });
  dir = mkdtempSync(join(tmpdir(), 'unimap-record-'));
  cpSync(join(defaultMappingsDir(), 'okta'), join(dir, 'mappings', 'okta'), { recursive: true });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<number> {
  return main(['--mappings', join(dir, 'mappings'), ...argv], { out: () => undefined, err: () => undefined });
}

test('record turns live calls into fixture cases that replay green, with the credential scrubbed', async () => {
  const context = join(dir, 'ctx.json');
  writeFileSync(context, JSON.stringify({ subdomain: 'acme', api_token: TOKEN }));
  const body = join(dir, 'body.json');
  writeFileSync(body, JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] }));
  const out = join(dir, 'mappings', 'okta', 'tests', 'recorded.yaml');
  const common = ['--integration', 'okta', '--resource', 'user-directory/users', '--context', context, '--out', out, '--base-url', sim.url];
  expect(await run('record', ...common, '--method', 'create', '--input', body, '--name', 'recorded create')).toBe(0);
  expect(await run('record', ...common, '--method', 'create', '--input', body, '--name', 'recorded duplicate')).toBe(0);
  expect(await run('record', ...common, '--method', 'list', '--name', 'recorded list')).toBe(0);

  const fixture = readFileSync(out, 'utf8');
  expect(fixture).not.toContain(TOKEN);
  expect(fixture).toContain('api_token: "[redacted]"');
  expect(fixture).toContain('error: UNIMAP_E_REMOTE_HTTP');
  expect(fixture).toMatch(/path: \/api\/v1\/users/);
  // The recorded cases replay through the real engine without the simulator.
  expect(await run('test', '--integration', 'okta')).toBe(0);
});
