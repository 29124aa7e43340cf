import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../engine/package-paths';
import { startServer, type RunningServer } from './harness';

jest.setTimeout(60_000);

let running: RunningServer;
let doc: Record<string, any>;

beforeAll(async () => {
  running = await startServer([]);
  doc = (await (await fetch(`${running.url}/openapi.json`)).json()) as Record<string, any>;
});
afterAll(() => running?.stop());

/** The validator is an ES module; it runs in its own Node process, as its CLI would. */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'unimap-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const script = `import { Validator } from '@seriousme/openapi-schema-validator';
      const result = await new Validator().validate(${JSON.stringify(file)});
      process.stdout.write(JSON.stringify(result));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot(), encoding: 'utf8' })) as { valid: boolean; errors?: unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sample values per parameter. The proxy's wildcard is sampled as one and two segments: OpenAPI path parameters
 * cannot hold a slash, so /proxy/{resource}[/{id}] is what the document can say; deeper paths (api/v1/users) are
 * answered the same way and the parameter's description says so.
 */
const SAMPLES: Record<string, string[]> = { id: ['00u1'], method: ['create', 'reactivate'], integration: ['okta'], '*': ['users', 'users/00u1'] };

/** Concrete paths for a route pattern (`:param`, `*`) or an OpenAPI template (`{param}`), one per unified resource. */
function instantiate(pattern: string, resources: string[]): string[] {
  let paths = [pattern.replace(/\{(\w+)\}/g, ':$1')];
  if (pattern.includes(':category')) paths = resources.map((key) => pattern.replace(':category/:resource', key));
  for (const [name, values] of Object.entries(SAMPLES)) {
    const token = name === '*' ? '*' : `:${name}`;
    paths = paths.flatMap((path) => (path.includes(token) ? values.map((value) => path.replace(token, value)) : [path]));
  }
  return paths.map((path) => path.replace(/:(\w+)/g, (_, name: string) => SAMPLES[name]?.[0] ?? 'x'));
}

const templateRegex = (template: string) => new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+').replace(/:\w+/g, '[^/]+').replace(/\*/g, '.+')}$`);

describe('GET /openapi.json', () => {
  test('is a valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = validateOpenApi(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    // and the validator does refuse a broken one
    expect(validateOpenApi({ ...doc, info: { title: 'no version' } }).valid).toBe(false);
  });

  test('every route the server answers is in it, and every path in it is answered', () => {
    const resources = [...running.server.definitions.registry.unifiedSchemas.keys()];
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([template, item]) =>
      Object.keys(item).filter((key) => key !== 'parameters').map((verb) => ({ verb: verb.toUpperCase(), regex: templateRegex(template), template })));
    expect(running.server.routes.length).toBeGreaterThan(15);
    for (const route of running.server.routes) {
      for (const path of instantiate(route.url, resources)) {
        const found = documented.some((d) => d.verb === route.method && d.regex.test(path));
        expect({ route: `${route.method} ${route.url}`, path, found }).toEqual({ route: `${route.method} ${route.url}`, path, found: true });
      }
    }
    for (const entry of documented) {
      for (const path of instantiate(entry.template, resources)) {
        const answered = running.server.routes.some((route) => route.method === entry.verb && templateRegex(route.url).test(path));
        expect({ documented: `${entry.verb} ${entry.template}`, path, answered }).toEqual({ documented: `${entry.verb} ${entry.template}`, path, answered: true });
      }
    }
  });

  test('is generated from the unified schemas and the definitions', () => {
    const registry = running.server.definitions.registry;
    for (const key of registry.unifiedSchemas.keys()) expect(doc.paths[`/unified/${key}`]).toBeDefined();
    expect(Object.keys(doc.components.schemas['user-directory.users.create_request'].properties)).toEqual(expect.arrayContaining(['first_name', 'emails', 'remote_data']));
    expect(doc.paths['/unified/user-directory/users/{integration}/meta/{method}'].get.parameters[0].schema.enum).toEqual([...registry.integrations.keys()].sort());
    expect(doc.paths['/unified/user-directory/users'].get.parameters.map((p: { name?: string }) => p.name)).toEqual(expect.arrayContaining(['email', 'updated_after']));
  });
});
