import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UnimapError } from '../errors';
import { isSharedFolder, resolveExtends } from './extends';
import { parseYamlSource, type YamlSource } from './yaml-source';
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
export function loadDefinitionSources(dir: string, cwd: string = process.cwd(), only?: readonly string[]): LoadedSources {
  const problems: Problem[] = [];
  const integrations: IntegrationSources[] = [];
  const unparsed = new Map<string, string>();
  const failed: string[] = [];
  // a folder named _<name> holds shared definitions that others extend, not an integration
  for (const name of listDir(dir).filter((entry) => !isSharedFolder(entry) && isDir(join(dir, entry)) && (!only || only.includes(entry))).sort()) {
    const folder = join(dir, name);
    const before = problems.length;
    const read = (path: string) => readFileSource(path, cwd, problems, unparsed);
    const readSource = (path: string, kind: 'integration' | 'resource' = 'resource') => {
      const source = read(path);
      return source && resolveExtends(source, path, { read, root: dir, problems, kind });
    };
    const integration = readSource(join(folder, 'integration.yaml'), 'integration');
    if (!integration) {
      failed.push(name);
      continue;
    }
    const resources = new Map<string, YamlSource>();
    for (const category of listDir(folder).filter((e) => e !== 'tests' && isDir(join(folder, e))).sort()) {
      for (const file of listDir(join(folder, category)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
        const source = readSource(join(folder, category, file));
        if (source) resources.set(`${category}/${file.replace(/\.ya?ml$/, '')}`, source);
      }
    }
    integrations.push({ name, integration, resources });
    if (problems.length > before) failed.push(name);
  }
  return { integrations, problems, unparsed, failed };
}

function readFileSource(path: string, cwd: string, problems: Problem[], unparsed: Map<string, string>): YamlSource | undefined {
  const file = relative(cwd, path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push({ code: 'UNIMAP_E_LOAD_FILE', message: 'cannot read the file (every integration folder needs an integration.yaml)', position: { file, line: 1, column: 1 } });
    return undefined;
  }
  const { source, problems: syntax } = parseYamlSource(file, text);
  for (const p of syntax) problems.push({ code: 'UNIMAP_E_LOAD_YAML', message: `YAML syntax error: ${p.message}`, position: p.position });
  if (!source) unparsed.set(file, text);
  return source;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (cause) {
    throw new UnimapError('UNIMAP_E_LOAD_FILE', `cannot read the mappings folder ${dir}`, { cause });
  }
}

function isDir(path: string): boolean {
  return statSync(path).isDirectory();
}
