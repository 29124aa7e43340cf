import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type RunningServer } from './harness';
import { okta, OKTA_TOKEN, zendesk, ZENDESK_TOKEN } from './providers';

jest.setTimeout(60_000);

let running: RunningServer;
const users = (id: string) => ({ category: 'user-directory', resource: 'users', integrated_account_id: id });

beforeAll(async () => {
  running = await startServer([okta, zendesk]);
});
afterAll(() => running?.stop());

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

describe('integrated accounts', () => {
  test('create answers the account without its secrets; GET and the list never show them either', async () => {
    const sdk = running.client('acme');
    const created = await sdk.request('POST', '/integrated-accounts', {}, { integration: 'zendesk', context: { subdomain: 'acme', email: 'admin@acme.example', api_token: ZENDESK_TOKEN }, base_url: running.sims.get('zendesk')!.url });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String), tenant_id: 'acme', integration: 'zendesk', context: { subdomain: 'acme', email: 'admin@acme.example' },
      base_url: running.sims.get('zendesk')!.url, status: 'active', last_error: null, created_at: expect.any(String), updated_at: expect.any(String),
    });
    const fetched = await sdk.integratedAccount.get(created.body.id);
    const listed = await sdk.integratedAccount.list().toArray();
    for (const shown of [created.body, fetched.body, listed]) expect(JSON.stringify(shown)).not.toContain(ZENDESK_TOKEN);
  });

  test('a body that does not match the declared context is refused with every problem at once', async () => {
    const sdk = running.client('acme');
    const bad = await sdk.request('POST', '/integrated-accounts', {}, { integration: 'okta', context: { subdomain: 'evil.example.com/x?', colour: 'blue' }, base_url: 'https://attacker.example', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('UNIMAP_E_SERVER_ACCOUNT_INVALID');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['base_url', 'context.api_token', 'context.colour', 'context.subdomain', 'extra']);
    const unknown = await sdk.request('POST', '/integrated-accounts', {}, { integration: 'nope' });
    expect(unknown.body).toMatchObject({ code: 'UNIMAP_E_SERVER_ACCOUNT_INVALID', details: [{ field: 'integration' }] });
  });

  test('the list pages with next_cursor (the SDK cursor starts with an empty one)', async () => {
    const sdk = running.client('globex');
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await running.addAccount('globex', 'okta'));
    const cursor = sdk.integratedAccount.list({ limit: 2 });
    const all = await cursor.toArray();
    expect(cursor.pages).toHaveLength(2);
    expect(all.map((a) => a.id).sort()).toEqual(ids.sort());
    expect((await sdk.request('GET', '/integrated-accounts', { integration: 'zendesk' })).body.result).toEqual([]);
  });

  test('PATCH merges the context shallowly: other keys, secrets included, stay; null removes a key', async () => {
    const sdk = running.client('acme');
    const id = await running.addAccount('acme', 'okta');
    const patched = await sdk.integratedAccount.update(id, { context: { subdomain: 'acme-two' } });
    expect(patched.body.context).toEqual({ subdomain: 'acme-two' });
    // the secret was kept: calls still authenticate
    expect((await sdk.unifiedApi.list(users(id)).next()).items).toEqual(expect.any(Array));
    const removed = await sdk.integratedAccount.update(id, { context: { api_token: null } });
    expect(removed.body).toMatchObject({ code: 'UNIMAP_E_SERVER_ACCOUNT_INVALID', details: [{ field: 'context.api_token', message: expect.stringContaining('required') }] });
    const deleted = await sdk.integratedAccount.delete(id);
    expect(deleted.body).toEqual({ id });
    expect((await sdk.integratedAccount.get(id)).status).toBe(404);
  });

  test('a provider\'s 401 marks the account needs_reauth with the error; new credentials make it active again', async () => {
    const sdk = running.client('acme');
    const id = await running.addAccount('acme', 'okta', { api_token: 'revoked-token-0000000' });
    const refused = await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: id });
    expect(refused.status).toBe(401);
    expect(refused.body.insight).toContain('needs_reauth');
    const marked = await sdk.integratedAccount.get(id);
    expect(marked.body).toMatchObject({ status: 'needs_reauth', last_error: { code: 'UNIMAP_E_REMOTE_HTTP', remote_status: 401, at: expect.any(String) } });
    const fixed = await sdk.integratedAccount.update(id, { context: { api_token: OKTA_TOKEN } });
    expect(fixed.body).toMatchObject({ status: 'active', last_error: null });
    expect((await sdk.request('GET', '/unified/user-directory/users', { integrated_account_id: id })).status).toBe(200);
  });
});

describe('at rest', () => {
  test('no file of the data folder holds a secret in the clear; the stored row holds it sealed', async () => {
    const id = await running.addAccount('acme', 'okta');
    await running.addAccount('acme', 'zendesk');
    const rows = await running.server.store.db.query<Record<string, unknown>>('SELECT * FROM integrated_accounts WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!['context']).toEqual({ subdomain: 'acme' });
    expect(Buffer.from(rows[0]!['secrets'] as Uint8Array).includes(OKTA_TOKEN)).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(OKTA_TOKEN);
    await running.server.store.db.exec('CHECKPOINT');
    let plainSeen = false;
    for (const file of filesUnder(running.dataDir)) {
      const bytes = readFileSync(file);
      expect({ file, clear: bytes.includes(OKTA_TOKEN) || bytes.includes(ZENDESK_TOKEN) }).toEqual({ file, clear: false });
      plainSeen ||= bytes.includes('admin@acme.example');
    }
    expect(plainSeen).toBe(true); // the scan does see what is stored in the clear (a context email)
    expect(statSync(join(running.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  test('a restart keeps accounts and keys, opens the secrets and continues a list cursor from before', async () => {
    const sdk = () => running.client('acme');
    const id = await running.addAccount('acme', 'okta');
    running.sims.get('okta')!.store.clear();
    for (let i = 0; i < 3; i++) await sdk().unifiedApi.create({ first_name: 'A', last_name: `B${i}`, emails: [{ email: `ab${i}@example.com` }] }, users(id));
    const first = await sdk().request('GET', '/unified/user-directory/users', { integrated_account_id: id, limit: 2, next_cursor: '' });
    expect(first.body.next_cursor).toEqual(expect.any(String));
    await running.restart();
    expect((await sdk().integratedAccount.get(id)).body).toMatchObject({ id, integration: 'okta', context: { subdomain: 'acme' } });
    const second = await sdk().request('GET', '/unified/user-directory/users', { integrated_account_id: id, limit: 2, next_cursor: first.body.next_cursor });
    expect(second.status).toBe(200);
    expect(second.body.result).toHaveLength(1);
  });

  test('another secret key cannot open the stored secrets: a clear error, never a wrong credential', async () => {
    const id = await running.addAccount('acme', 'okta');
    await running.restart({ env: { ...process.env, UNIMAP_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') } });
    try {
      const answer = await running.client('acme').request('GET', '/unified/user-directory/users', { integrated_account_id: id });
      expect(answer.body).toMatchObject({ statusCode: 500, code: 'UNIMAP_E_SERVER_SECRET_KEY' });
    } finally {
      await running.restart({ env: process.env });
    }
  });
});
