import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../engine/cli/main';
import { defaultMappingsDir } from '../../engine/package-paths';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const MAP = ['--integration', 'okta', '--resource', 'user-directory/users'];

test('validate: exit 0 on the shipped mappings', async () => {
  const { code, out } = await run('validate');
  expect(code).toBe(0);
  expect(out).toMatch(/0 error\(s\)/);
});

test('validate: exit 1 with file:line:column on a broken copy', async () => {
  const copy = join(dir, 'broken');
  cpSync(join(defaultMappingsDir(), 'okta'), join(copy, 'okta'), { recursive: true });
  const users = join(copy, 'okta', 'user-directory', 'users.yaml');
  writeFileSync(users, readFileSync(users, 'utf8').replace('"first_name": $str(profile.firstName),', '"first_name": $str(profile.firstName)),'));
  const { code, err } = await run('validate', copy);
  expect(code).toBe(1);
  expect(err).toMatch(/users\.yaml:\d+:\d+: error UNIMAP_E_DEF_JSONATA: JSONata S0\d{3}/);
});

test('validate: a unified schema Ajv cannot compile is an error naming the schema file', async () => {
  const schemas = join(dir, 'schemas-broken');
  cpSync(join(defaultMappingsDir(), '..', 'schemas'), schemas, { recursive: true });
  const users = join(schemas, 'unified', 'user-directory', 'users.schema.json');
  const document = JSON.parse(readFileSync(users, 'utf8'));
  document.$defs.create_request.properties.first_name = { type: 'text' };
  writeFileSync(users, JSON.stringify(document));
  const { code, err } = await run('validate', '--schemas', schemas);
  expect(code).toBe(1);
  expect(err).toMatch(/users\.schema\.json:1:1: error UNIMAP_E_DEF_SCHEMA: schemas\/unified\/user-directory\/users\.schema\.json is not a usable JSON Schema/);
});

test('map request prints the first remote request with secrets redacted', async () => {
  const input = file('body.json', { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] });
  const context = file('ctx.json', { subdomain: 'acme', api_token: 'very-secret-token-1' });
  const { code, out } = await run('map', 'request', ...MAP, '--method', 'create', '--input', input, '--context', context);
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({
    method: 'POST',
    url: 'https://acme.okta.com/api/v1/users?activate=true',
    headers: { Accept: 'application/json', Authorization: 'SSWS [redacted]', 'Content-Type': 'application/json' },
    body: { profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } },
  });
  expect(out).not.toContain('very-secret-token-1');
});

test('map request for a method with before steps prints the first step\'s request', async () => {
  const input = file('empty.json', {});
  const { code, out } = await run('map', 'request', ...MAP, '--method', 'delete', '--input', input, '--context', file('c2.json', { subdomain: 'acme' }), '--params', file('p.json', { id: '00u1' }));
  expect(code).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ method: 'GET', url: 'https://acme.okta.com/api/v1/users/00u1' });
});

test('map response prints the unified record with remote_data', async () => {
  const remote = { id: '00u1', status: 'SUSPENDED', created: '2026-07-14 00:25:28', profile: { firstName: 'Ada', lastName: null, login: 'ada' } };
  const { code, out } = await run('map', 'response', ...MAP, '--method', 'get', '--input', file('remote.json', remote));
  expect(code).toBe(0);
  expect(JSON.parse(out)).toEqual({ id: '00u1', first_name: 'Ada', name: 'Ada', username: 'ada', status: 'inactive', created_at: '2026-07-14T00:25:28.000Z', remote_data: remote });
});

test('bad input: exit 1 with one clear line', async () => {
  const bad = await run('map', 'request', ...MAP, '--method', 'create', '--input', file('bad.json', '{"first_name": '), '--context', file('c3.json', { subdomain: 'acme' }));
  expect(bad.code).toBe(1);
  expect(bad.err.trim().split('\n')).toHaveLength(1);
  expect(bad.err).toMatch(/^error UNIMAP_E_REQ_INVALID_JSON: input file .* is not valid JSON/);

  const unknown = await run('map', 'request', '--integration', 'nope', '--resource', 'user-directory/users', '--method', 'create', '--input', file('b.json', {}));
  expect(unknown).toMatchObject({ code: 1, err: expect.stringMatching(/^error UNIMAP_E_REQ_INTEGRATION_NOT_FOUND/) });

  const method = await run('map', 'response', ...MAP, '--method', 'merge', '--input', file('b2.json', {}));
  expect(method).toMatchObject({ code: 1, err: expect.stringMatching(/^error UNIMAP_E_REQ_METHOD_NOT_SUPPORTED/) });

  // A field the integration cannot write is left out with a warning; truto_strict_fields refuses it instead.
  const unsupported = await run('map', 'request', ...MAP, '--method', 'create', '--input', file('b3.json', { first_name: 'A', group: 7 }), '--context', file('c4.json', { subdomain: 'acme' }));
  expect(unsupported).toMatchObject({ code: 0, err: expect.stringMatching(/^warning UNIMAP_W_UNSUPPORTED_FIELD: .*"group"/) });
  expect(JSON.stringify(JSON.parse(unsupported.out).body)).not.toContain('7');
  const strict = await run('map', 'request', ...MAP, '--method', 'create', '--input', file('b3.json', { first_name: 'A', group: 7 }), '--context', file('c4.json', { subdomain: 'acme' }), '--query', file('q5.json', { truto_strict_fields: true }));
  expect(strict).toMatchObject({ code: 1, err: expect.stringMatching(/^error UNIMAP_E_REQ_UNSUPPORTED_FIELDS: .*"group"/) });
});

test('usage errors exit 2', async () => {
  expect((await run('map', 'request', '--integration', 'okta')).code).toBe(2);
  expect((await run('frobnicate')).code).toBe(2);
});

test('test: runs the conformance cases and reports the count', async () => {
  const { code, out } = await run('test', '--integration', 'okta');
  expect(code).toBe(0);
  expect(out).toMatch(/\d+ passed, 0 failed/);
});

test('test: a mapping broken on purpose fails with a readable diff', async () => {
  const copy = join(dir, 'broken-mapping');
  cpSync(join(defaultMappingsDir(), 'okta'), join(copy, 'okta'), { recursive: true });
  const users = join(copy, 'okta', 'user-directory', 'users.yaml');
  writeFileSync(users, readFileSync(users, 'utf8').replace('"first_name": $str(profile.firstName),', '"first_name": $str(profile.lastName),'));
  const { code, out } = await run('--mappings', copy, 'test');
  expect(code).toBe(1);
  expect(out).toMatch(/FAIL +okta user-directory\/users get: get maps every field of a full Okta user/);
  expect(out).toContain('- /first_name: "Alice"');
  expect(out).toContain('+ /first_name: "Smith"');
  expect(out).toMatch(/\d+ passed, [1-9]\d* failed/);
});
