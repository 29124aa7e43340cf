import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMappingsDir } from '../../engine/package-paths';
import type { ReloadResult } from '../../engine/server';
import { editFile } from '../helpers/definition-copy';
import { startServer, type RunningServer } from './harness';
import { okta } from './providers';

jest.setTimeout(60_000);

let running: RunningServer;
let mappings: string;
let account: string;
let userId: string;

beforeAll(async () => {
  mappings = mkdtempSync(join(tmpdir(), 'unimap-reload-'));
  cpSync(join(defaultMappingsDir(), 'okta'), join(mappings, 'okta'), { recursive: true });
  running = await startServer([okta], { mappings, watch: true });
  account = await running.addAccount('acme', 'okta');
  userId = (await running.client('acme').unifiedApi.create({ first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] }, users())).body.id;
});
afterAll(async () => {
  await running?.stop();
  rmSync(mappings, { recursive: true, force: true });
});

const users = () => ({ category: 'user-directory', resource: 'users', integrated_account_id: account });
const title = async () => (await running.client('acme').unifiedApi.get(userId, users())).body.title;
const nextReload = () => new Promise<ReloadResult>((resolve) => {
  const stop = running.server.definitions.onReload((result) => {
    stop();
    resolve(result);
  });
});

describe('--watch: mappings reload while serving', () => {
  test('a good edit is served on the next call', async () => {
    expect(await title()).toBeUndefined();
    const reloaded = nextReload();
    editFile(join(mappings, 'okta', 'user-directory', 'users.yaml'), '"title": $str(profile.title)', '"title": "reloaded"');
    expect(await reloaded).toMatchObject({ ok: true, integrations: 1 });
    expect(await title()).toBe('reloaded');
  });

  test('a broken edit is reported with file:line:column and the last good definitions keep serving', async () => {
    const file = join(mappings, 'okta', 'user-directory', 'users.yaml');
    const reloaded = nextReload();
    const line = editFile(file, '"title": "reloaded"', '"title": $str(profile.title');
    const result = await reloaded;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toMatch(/^UNIMAP_E_DEF_/);
    // JSONata finds the missing parenthesis at the next line's first token
    expect(result.error.message).toMatch(new RegExp(`okta/user-directory/users\\.yaml:${line + 1}:\\d+: error UNIMAP_E_DEF_JSONATA`));
    expect(await title()).toBe('reloaded');
    const ready = await (await fetch(`${running.url}/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', definitions: { last_reload_error: { code: result.error.code, message: expect.stringContaining('users.yaml:') } } });
    expect(running.logs.some((entry) => entry.level === 50 && String(entry.msg).includes('users.yaml:'))).toBe(true);

    const fixed = nextReload();
    editFile(file, '"title": $str(profile.title', '"title": "fixed"');
    expect(await fixed).toMatchObject({ ok: true });
    expect(await title()).toBe('fixed');
  });
});
