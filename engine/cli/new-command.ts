import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { compileRegistry } from '../compile/compile-registry';
import { loadUnifiedSchemas } from '../compile/unified-schemas';
import { runConformance } from '../conformance/run-fixtures';
import { UnimapError } from '../errors';
import { readFixtureFiles } from '../load/fixture-files';
import { renderProblem } from '../validate/problem';
import type { DirOptions } from './cli-registry';
import type { CliIo } from './io';
import { renderIntegrationFile, renderResourceFile } from './scaffold/definition-files';
import { buildScaffoldModel } from './scaffold/scaffold-model';
import { renderFixtureFile, renderSimulatorDescription } from './scaffold/test-files';

export interface NewOptions {
  category: string;
  resource: string;
  label?: string;
}

/**
 * `unimap new <integration>`: a skeleton that validates and passes its own fixtures as written — the definition
 * (every method stubbed), one success and one error case per method, and a simulator description of the provider.
 * For an integration that exists already, only the new resource's files are written.
 */
export async function newCommand(dirs: DirOptions, name: string, options: NewOptions, io: CliIo): Promise<number> {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new UnimapError('UNIMAP_E_DEF_SCHEMA', `integration names are lower-case letters, digits, - and _ (they name the folder); got "${name}"`);
  const key = `${options.category}/${options.resource}`;
  const unified = loadUnifiedSchemas(dirs.schemas).get(key);
  if (!unified) {
    const known = [...loadUnifiedSchemas(dirs.schemas).keys()].join(', ');
    throw new UnimapError('UNIMAP_E_DEF_REFERENCE', `no unified model ${key} (schemas/unified/${key}.schema.json); known: ${known}`);
  }
  const folder = join(dirs.mappings, name);
  const existing = existsSync(join(folder, 'integration.yaml')) ? describeExisting(dirs, name) : undefined;
  const label = options.label ?? existing?.label;
  const model = buildScaffoldModel({ name, ...(label ? { label } : {}), category: options.category, resource: options.resource, responseFields: unified.responseFields });
  const files: [string, string][] = [
    ...(existing ? [] : [[join(folder, 'integration.yaml'), renderIntegrationFile(model)] as [string, string]]),
    [join(folder, options.category, `${options.resource}.yaml`), renderResourceFile(model)],
    [join(folder, 'tests', `${options.category}.${options.resource}.yaml`), renderFixtureFile(model, existing)],
    [join(folder, 'tests', `${options.category}.${options.resource}.simulator.yaml`), renderSimulatorDescription(model)],
  ];
  const taken = files.filter(([path]) => existsSync(path)).map(([path]) => relative(process.cwd(), path));
  if (taken.length > 0) throw new UnimapError('UNIMAP_E_LOAD_FILE', `not overwriting ${taken.join(', ')}; remove them or pick another name`);
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    io.out(`wrote ${relative(process.cwd(), path) || path}`);
  }
  await fillExpectedResults(dirs, name, key, io);
  io.out([
    '',
    'Next (docs/add-an-integration.md walks through each step):',
    `  1. edit the TODOs: ${relative(process.cwd(), folder) || folder}/ (definition, fixtures, simulator description)`,
    `  2. npx unimap map request --integration ${name} --resource ${key} --method list`,
    `  3. npx unimap test --integration ${name} --update    # after a mapping change; read the diff`,
    `  4. npx unimap validate --integration ${name} --strict`,
    '  5. npx unimap docs',
  ].join('\n'));
  return 0;
}

/** What a new resource of an existing integration takes from it: its label and its fixtures' account context. */
function describeExisting(dirs: DirOptions, name: string): { label: string | undefined; context: Record<string, unknown> } {
  const label = compileRegistry(dirs.mappings, dirs.schemas, undefined, { only: [name] }).registry.integrations.get(name)?.label;
  const context = readFixtureFiles(dirs.mappings, { only: [name] }).fixtures[0]?.context ?? {};
  return { label, context };
}

/**
 * The scaffold's success cases hold `result: null` until the stub mapping is run on them once. Only the new
 * resource's cases are touched: an existing integration's other fixtures are never rewritten.
 */
async function fillExpectedResults(dirs: DirOptions, name: string, resource: string, io: CliIo): Promise<void> {
  const compiled = compileRegistry(dirs.mappings, dirs.schemas, undefined, { only: [name] });
  const errors = compiled.problems.filter((p) => p.severity !== 'warning');
  if (errors.length > 0) {
    // an existing integration.yaml with problems of its own: say so, leave the results for `unimap test --update`
    for (const problem of errors) io.err(renderProblem(problem, compiled.sources.get(problem.position.file)));
    return;
  }
  const { fixtures } = readFixtureFiles(dirs.mappings, { only: [name] });
  await runConformance(compiled.registry, fixtures, { integration: name, resource }, true);
}
