import { join, relative } from 'node:path';
import { UnimapError } from '../errors';
import { diskFiles, type DefinitionFiles } from './definition-files';
import { isSharedFolder, resolveExtends } from './extends';
import { parseYamlSource, sourceFromValue, type YamlSource } from './yaml-source';
import type { Problem } from '../validate/problem';

/** The files of one integration folder, parsed but not yet validated. */
export interface IntegrationSources {
  name: string;
  integration: YamlSource;
  /** "category/resource" → parsed mapping file */
  resources: Map<string, YamlSource>;
}

export interface LoadedSources {
  integrations: IntegrationSources[];
  problems: Problem[];
  /** Text of files that did not parse, by path, so their problems can be shown with the offending line. */
  unparsed: Map<string, string>;
  /** Integrations with a file that could not be read or parsed. */
  failed: string[];
}

/**
 * Read mappings/<integration>/integration.yaml and mappings/<integration>/<category>/<resource>.yaml.
 * `tests/` folders hold conformance fixtures and are skipped here. Paths in positions are relative to `cwd`
 * so messages stay short and free of machine paths.
 */
export function loadDefinitionSources(dir: string, cwd: string = process.cwd(), only?: readonly string[], files: DefinitionFiles = diskFiles): LoadedSources {
  const problems: Problem[] = [];
  const integrations: IntegrationSources[] = [];
  const unparsed = new Map<string, string>();
  const failed: string[] = [];
  for (const name of integrationFolders(dir, files).filter((entry) => !only || only.includes(entry))) {
    const folder = join(dir, name);
    const before = problems.length;
    const read = (path: string) => readFileSource(path, cwd, problems, unparsed, files);
    const readSource = (path: string, kind: 'integration' | 'resource' = 'resource') => {
      const source = read(path);
      return source && resolveExtends(source, path, { read, exists: files.exists, root: dir, problems, kind });
    };
    const integration = readSource(join(folder, 'integration.yaml'), 'integration');
    if (!integration) {
      failed.push(name);
      continue;
    }
    const resources = new Map<string, YamlSource>();
    for (const [key, path] of resourceFiles(folder, files)) {
      const source = readSource(path);
      if (source) resources.set(key, source);
    }
    integrations.push({ name, integration, resources });
    if (problems.length > before) failed.push(name);
  }
  return { integrations, problems, unparsed, failed };
}

/** The integrations of a mappings folder, by name; a folder named _<name> holds shared definitions that others extend. */
export function integrationFolders(dir: string, files: DefinitionFiles = diskFiles): string[] {
  return listDir(dir, files).filter((entry) => !isSharedFolder(entry) && files.isDir(join(dir, entry))).sort();
}

/** The resource files of an integration folder in load order, as ["category/resource", path]; tests/ holds fixtures. */
export function resourceFiles(folder: string, files: DefinitionFiles = diskFiles): [string, string][] {
  const found: [string, string][] = [];
  for (const category of listDir(folder, files).filter((e) => e !== 'tests' && files.isDir(join(folder, e))).sort()) {
    for (const file of listDir(join(folder, category), files).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      found.push([`${category}/${file.replace(/\.ya?ml$/, '')}`, join(folder, category, file)]);
    }
  }
  return found;
}

function readFileSource(path: string, cwd: string, problems: Problem[], unparsed: Map<string, string>, files: DefinitionFiles): YamlSource | undefined {
  const file = relative(cwd, path) || path;
  let text: string;
  try {
    text = files.read(path);
  } catch {
    problems.push({ code: 'UNIMAP_E_LOAD_FILE', message: 'cannot read the file (every integration folder needs an integration.yaml)', position: { file, line: 1, column: 1 } });
    return undefined;
  }
  const known = files.parsed?.(path);
  const { source, problems: syntax } = known === undefined ? parseYamlSource(file, text) : { source: sourceFromValue(file, text, known), problems: [] };
  if (source && known === undefined) files.keepParsed?.(path, source.value);
  for (const p of syntax) problems.push({ code: 'UNIMAP_E_LOAD_YAML', message: `YAML syntax error: ${p.message}`, position: p.position });
  if (!source) unparsed.set(file, text);
  return source;
}

function listDir(dir: string, files: DefinitionFiles): string[] {
  try {
    return files.list(dir);
  } catch (cause) {
    throw new UnimapError('UNIMAP_E_LOAD_FILE', `cannot read the mappings folder ${dir}`, { cause });
  }
}
