import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileRegistry } from '../../engine/compile/compile-registry';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { checkDefinitions } from '../../engine/validate/check-definitions';
import { renderProblem } from '../../engine/validate/problem';

// `extends`: a definition built on a shared file is that file's value with its own keys merged over it, and every
// problem is reported in the file its text comes from.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-extends-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const SHARED_INTEGRATION = [
  'unimap: 1',
  'headers: { Accept: application/scim+json, Content-Type: application/scim+json }',
  'pagination: { type: offset, offset_param: startIndex, start: 1, limit_param: count, default_limit: 100, max_limit: 1000 }',
  'error: |',
  '  { "message": detail }',
  '',
].join('\n');
const SHARED_USERS = [
  'unimap: 1',
  'list:',
  '  request: { method: GET, path: /Users }',
  '  records: Resources',
  '  response: |',
  '    { "id": $str(id), "username": userName }',
  'get:',
  '  request: { method: GET, path: "/Users/{{ $params.id }}" }',
  '  response: |',
  '    { "id": $str(id), "username": userName }',
  'delete:',
  '  request: { method: DELETE, path: "/Users/{{ $params.id }}" }',
  '',
].join('\n');
const PROVIDER = [
  'unimap: 1',
  'extends: ../_shared/integration.yaml',
  'name: acme',
  'label: Acme',
  'base_url: https://acme.example/scim/v2',
  'headers: { Content-Type: null }',
  'pagination: { max_limit: 10 }',
  '',
].join('\n');

const compile = () => compileRegistry(dir, defaultSchemasDir(), dir);

test('maps merge key by key, other values replace, null removes, an unsupported method replaces the inherited one', () => {
  write({
    '_shared/integration.yaml': SHARED_INTEGRATION,
    '_shared/user-directory/users.yaml': SHARED_USERS,
    'acme/integration.yaml': PROVIDER,
    'acme/user-directory/users.yaml': [
      'unimap: 1',
      'extends: ../../_shared/user-directory/users.yaml',
      'get:',
      '  request: { path: "/Users/{{ $params.id }}/profile" }',
      'delete:',
      '  unsupported: Acme cannot delete users.',
      '',
    ].join('\n'),
  });
  const { registry, problems } = compile();
  expect(problems.filter((p) => p.severity !== 'warning')).toEqual([]);
  // a folder whose name starts with _ is shared definitions, not an integration
  expect([...registry.integrations.keys()]).toEqual(['acme']);
  const acme = registry.integrations.get('acme')!;
  expect(acme.def.headers).toEqual({ Accept: 'application/scim+json' });
  expect(acme.def.pagination).toMatchObject({ type: 'offset', offset_param: 'startIndex', default_limit: 100, max_limit: 10 });
  const users = acme.resources.get('user-directory/users')!;
  expect([...users.methods.keys()]).toEqual(['list', 'get', 'delete']);
  expect(users.methods.get('get')!.request!.method).toBe('GET');
  expect(users.methods.get('delete')!.unsupported).toBe('Acme cannot delete users.');
  expect(users.methods.get('delete')!.request).toBeUndefined();
});

test('a mistake in the shared file is reported at the shared file\'s line, for each definition that extends it', () => {
  write({
    '_shared/integration.yaml': SHARED_INTEGRATION,
    '_shared/user-directory/users.yaml': SHARED_USERS.replace('"username": userName }\nget', '"username": userName\nget'),
    'acme/integration.yaml': PROVIDER,
    'acme/user-directory/users.yaml': 'unimap: 1\nextends: ../../_shared/user-directory/users.yaml\n',
    'zeta/integration.yaml': PROVIDER.replace('name: acme', 'name: zeta'),
    'zeta/user-directory/users.yaml': 'unimap: 1\nextends: ../../_shared/user-directory/users.yaml\nget: { unsupported: no }\n',
  });
  const { problems, failed, sources } = compile();
  const errors = problems.filter((p) => p.severity !== 'warning');
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.every((p) => p.position.file === join('_shared', 'user-directory', 'users.yaml'))).toBe(true);
  expect(errors[0]!.position.line).toBe(6);
  expect(renderProblem(errors[0]!, sources.get(errors[0]!.position.file))).toContain('"username": userName');
  expect(failed).toEqual(['acme', 'zeta']);
});

test('a shape mistake inherited is reported in the shared file, one in the provider\'s own file stays there', () => {
  write({
    '_shared/integration.yaml': SHARED_INTEGRATION,
    '_shared/broken.yaml': SHARED_INTEGRATION.replace('error: |', 'erorr: |'),
    '_shared/user-directory/users.yaml': SHARED_USERS,
    'acme/integration.yaml': PROVIDER.replace('_shared/integration.yaml', '_shared/broken.yaml'),
    'beta/integration.yaml': PROVIDER.replace('name: acme', 'name: beta'),
    'beta/user-directory/users.yaml': 'unimap: 1\nextends: ../../_shared/user-directory/users.yaml\nlist: { recordz: Resources }\n',
  });
  const files = compile().problems.filter((p) => p.severity !== 'warning').map((p) => `${p.position.file}:${p.position.line}`);
  expect(files).toEqual([`${join('_shared', 'broken.yaml')}:4`, `${join('beta', 'user-directory', 'users.yaml')}:3`]);
});

test('a missing file, a path leaving the mappings folder and a cycle are refused at the extends line', () => {
  write({
    '_shared/a.yaml': 'unimap: 1\nextends: b.yaml\n',
    '_shared/b.yaml': 'unimap: 1\nextends: a.yaml\n',
    'one/integration.yaml': PROVIDER.replace('name: acme', 'name: one').replace('../_shared/integration.yaml', '../_shared/nope.yaml'),
    'two/integration.yaml': PROVIDER.replace('name: acme', 'name: two').replace('../_shared/integration.yaml', '../../outside.yaml'),
    'three/integration.yaml': PROVIDER.replace('name: acme', 'name: three').replace('../_shared/integration.yaml', '../_shared/a.yaml'),
  });
  const { problems, failed } = compile();
  const messages = problems.map((p) => `${p.position.file}:${p.position.line} ${p.message}`);
  expect(messages).toEqual(expect.arrayContaining([
    expect.stringMatching(/^one.integration\.yaml:2 extends "..\/_shared\/nope.yaml": no such file/),
    expect.stringMatching(/^two.integration\.yaml:2 extends "..\/..\/outside.yaml" leaves the mappings folder/),
    expect.stringMatching(/^_shared.b\.yaml:2 extends "a.yaml" makes a cycle/),
  ]));
  expect(failed).toEqual(['one', 'three', 'two']);
});

test('validating one SCIM provider judges its own declarations; the shared mapping is judged with every provider', () => {
  const shared = (only?: string[]) =>
    checkDefinitions(defaultMappingsDir(), defaultSchemasDir(), only ? { only } : {}).problems.filter((p) => p.position.file.includes('_scim'));
  expect(shared(['notion'])).toEqual([]);
  expect(shared()).toEqual([]);
});
