import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as compileModule from '../../engine/compile/compile-registry';
import { compileRegistry } from '../../engine/compile/compile-registry';
import { loadUnifiedSchemas } from '../../engine/compile/unified-schemas';
import { createEngine, isUnimapError, loadRegistry, type Registry } from '../../engine';
import { checkerIdentity, definitionCacheDir, openCheckedDefinitions } from '../../engine/load/checked-definitions';
import { rememberingFiles } from '../../engine/load/definition-files';
import * as yamlSourceModule from '../../engine/load/yaml-source';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { editFile } from '../helpers/definition-copy';

// The record of checked definitions: a load compiles now what no earlier load checked (so broken definitions fail
// there, as they always did) and, on first use, what an earlier load checked without errors, from the texts it read.
let dir: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimap-checked-'));
  cacheDir = mkdtempSync(join(tmpdir(), 'unimap-checked-cache-'));
  // okta stands alone; canva extends the shared SCIM definitions
  for (const folder of ['okta', 'canva', '_scim']) cpSync(join(defaultMappingsDir(), folder), join(dir, folder), { recursive: true });
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

const oktaUsers = () => join(dir, 'okta', 'user-directory', 'users.yaml');
const load = (options: { strict?: boolean } = {}) => loadRegistry(dir, defaultSchemasDir(), { cacheDir, ...options });
const OKTA_USER = { id: '00u1', status: 'ACTIVE', created: '2013-07-02T21:36:25.344Z', profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' } };
const SCIM_USER = { id: 'u1', userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ value: 'ada@example.com', primary: true }], active: true };

async function mapped(registry: Registry): Promise<unknown[]> {
  const engine = createEngine({ mappings: registry });
  return [
    await engine.mapResponse('okta', { resource: 'user-directory/users', method: 'get', body: OKTA_USER }),
    await engine.mapResponse('canva', { resource: 'user-directory/users', method: 'get', body: SCIM_USER }),
  ];
}

function loadError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the load to fail');
}

test('a second load compiles nothing until an integration is used, and then the same definitions', async () => {
  const first = load();
  expect(readdirSync(cacheDir).some((f) => f.startsWith('definitions-'))).toBe(true);
  expect(readdirSync(cacheDir).filter((f) => f.startsWith('parsed-'))).toHaveLength(2);
  const compile = jest.spyOn(compileModule, 'compileRegistry');
  const second = load();
  expect(compile).not.toHaveBeenCalled();
  expect([...second.integrations.keys()]).toEqual(['canva', 'okta']);
  expect(second.integrations.has('okta')).toBe(true);
  expect(second.integrations.size).toBe(2);
  expect(compile).not.toHaveBeenCalled();
  expect(await mapped(second)).toEqual(await mapped(first));
  expect(compile).toHaveBeenCalledTimes(2);
  expect(compile.mock.calls.map((call) => call[3]?.only)).toEqual([['okta'], ['canva']]);
  second.integrations.get('okta');
  expect(compile).toHaveBeenCalledTimes(2); // compiled once
});

test('an integration compiled on first use takes the values the load that checked it parsed: no YAML parser runs', () => {
  for (const folder of [dir, relative(process.cwd(), dir)]) {
    loadRegistry(folder, defaultSchemasDir(), { cacheDir });
    const parse = jest.spyOn(yamlSourceModule, 'parseYamlSource');
    const registry = loadRegistry(folder, defaultSchemasDir(), { cacheDir });
    expect(registry.integrations.get('canva')?.resources.size).toBeGreaterThan(0);
    expect(registry.integrations.get('okta')?.label).toBe('Okta');
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  }
});

test('an edited definition is checked at load again: a broken one fails there exactly as a full check reports it', () => {
  load();
  const line = editFile(oktaUsers(), 'request: { method: GET, path: /api/v1/users }', 'request: { method: FETCH, path: /api/v1/users }');
  const full = compileRegistry(dir, defaultSchemasDir()).problems;
  expect(full).toHaveLength(1);
  for (let i = 0; i < 2; i++) {
    // never recorded: every load fails the same way
    const error = loadError(load);
    expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_DEF_SCHEMA');
    expect((error as { position?: unknown }).position).toEqual(full[0]!.position);
    expect((error as { position: { line: number } }).position.line).toBe(line);
    expect((error as Error).message).toMatch(/1 problem\(s\)/);
  }
});

test('integrations that passed are remembered even when another fails', () => {
  editFile(oktaUsers(), 'request: { method: GET, path: /api/v1/users }', 'request: { method: FETCH, path: /api/v1/users }');
  loadError(load);
  editFile(oktaUsers(), 'method: FETCH', 'method: GET');
  const compile = jest.spyOn(compileModule, 'compileRegistry');
  load();
  expect(compile.mock.calls.map((call) => call[3]?.only)).toEqual([['okta']]);
});

test('an integration compiled on first use is the text read at load, whatever happened to the file since', async () => {
  const first = load();
  const second = load();
  writeFileSync(oktaUsers(), 'list: [unclosed\n');
  expect(await mapped(second)).toEqual(await mapped(first));
});

test('a change to a shared file it extends makes an integration be checked again', () => {
  load();
  const compile = jest.spyOn(compileModule, 'compileRegistry');
  const shared = join(dir, '_scim', 'user-directory', 'users.yaml');
  writeFileSync(shared, `${readFileSync(shared, 'utf8')}\n# edited\n`);
  load();
  expect(compile.mock.calls.map((call) => call[3]?.only)).toEqual([['canva']]);
});

test('strict checks every integration at load, whatever was recorded', () => {
  load();
  const compile = jest.spyOn(compileModule, 'compileRegistry');
  load({ strict: true });
  expect(compile.mock.calls.map((call) => call[3]?.only)).toEqual([['canva', 'okta']]);
});

test('an unreadable record is ignored; cacheDir false keeps none', () => {
  load();
  for (const file of readdirSync(cacheDir)) writeFileSync(join(cacheDir, file), '{ not json');
  const compile = jest.spyOn(compileModule, 'compileRegistry');
  load();
  expect(compile).toHaveBeenCalledTimes(1);
  const elsewhere = mkdtempSync(join(tmpdir(), 'unimap-no-cache-'));
  const saved = process.env['UNIMAP_CACHE_DIR'];
  try {
    process.env['UNIMAP_CACHE_DIR'] = elsewhere;
    loadRegistry(dir, defaultSchemasDir(), { cacheDir: false });
    expect(readdirSync(elsewhere)).toEqual([]);
    loadRegistry(dir, defaultSchemasDir());
    expect(readdirSync(elsewhere).length).toBeGreaterThan(0);
  } finally {
    restoreEnv(saved);
    rmSync(elsewhere, { recursive: true, force: true });
  }
});

function restoreEnv(saved: string | undefined): void {
  if (saved === undefined) delete process.env['UNIMAP_CACHE_DIR'];
  else process.env['UNIMAP_CACHE_DIR'] = saved;
}

test('a record that lies about a broken file: first use runs the full checks and names the problem', () => {
  load();
  editFile(oktaUsers(), 'request: { method: GET, path: /api/v1/users }', 'request: 5');
  // what an edited record file would say: these texts were checked without errors
  const files = rememberingFiles();
  const identity = checkerIdentity([...loadUnifiedSchemas(defaultSchemasDir()).values()].map((schema) => schema.document))!;
  const record = openCheckedDefinitions(cacheDir, dir, identity, files);
  record.record('okta', [join(dir, 'okta', 'integration.yaml'), oktaUsers()], [], () => undefined);
  record.save();
  const registry = load();
  const error = loadError(() => registry.integrations.get('okta'));
  expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_DEF_SCHEMA');
  expect((error as { position: { pointer?: string } }).position.pointer).toBe('/list/request');
  expect(loadError(() => registry.integrations.get('okta'))).toBe(error);
});

test('the default place is node_modules/.cache/unimap, or UNIMAP_CACHE_DIR (off: none)', () => {
  const saved = process.env['UNIMAP_CACHE_DIR'];
  try {
    delete process.env['UNIMAP_CACHE_DIR'];
    expect(definitionCacheDir()).toMatch(/node_modules[/\\]\.cache[/\\]unimap$/);
    process.env['UNIMAP_CACHE_DIR'] = 'off';
    expect(definitionCacheDir()).toBeUndefined();
    process.env['UNIMAP_CACHE_DIR'] = cacheDir;
    expect(definitionCacheDir()).toBe(cacheDir);
  } finally {
    restoreEnv(saved);
  }
});
