import { join, resolve } from 'node:path';
import { isUnimapError } from '../errors';
import { checkerIdentity, definitionCacheDir, openCheckedDefinitions } from '../load/checked-definitions';
import { rememberingFiles, type DefinitionFiles } from '../load/definition-files';
import { integrationFolders, resourceFiles } from '../load/load-definitions';
import { problemsError, renderProblem } from '../validate/problem';
import { compileRegistry, type CompileResult } from './compile-registry';
import type { CompiledIntegration, Registry } from './compiled';
import { LazyIntegrations } from './lazy-integrations';
import { loadUnifiedSchemas } from './unified-schemas';

export interface LoadRegistryOptions {
  /**
   * Check and compile every integration now, whatever earlier loads checked (the default compiles an integration
   * whose files a previous load checked without errors when it is first used).
   */
  strict?: boolean;
  /**
   * Where the record of checked definitions is kept between processes (default: env UNIMAP_CACHE_DIR, else
   * node_modules/.cache/unimap); false keeps none, so every load checks everything.
   */
  cacheDir?: string | false;
}

/**
 * Load a mappings folder for serving; throws one UnimapError listing every problem with file:line:column.
 * Integrations whose files changed since a load checked them (or that no load checked) are checked and compiled
 * now, so a broken definition fails here exactly as it always did; the others, checked before without errors,
 * are compiled from the texts read now when first used: a process that serves one integration compiles one.
 * `unimap validate` and the CLI compile with compileRegistry, which always checks everything.
 */
export function loadCheckedRegistry(mappingsDir: string, schemasDir: string, options: LoadRegistryOptions = {}): Registry {
  const files = rememberingFiles();
  const unifiedSchemas = loadUnifiedSchemas(schemasDir);
  const names = integrationFolders(mappingsDir, files);
  const cacheDir = options.cacheDir === false ? undefined : options.cacheDir ?? definitionCacheDir();
  const identity = cacheDir === undefined ? undefined : checkerIdentity([...unifiedSchemas.values()].map((schema) => schema.document));
  const checked = openCheckedDefinitions(identity === undefined ? undefined : cacheDir, mappingsDir, identity ?? '', files);
  const ownFiles = (name: string) => definitionFiles(mappingsDir, name, files);
  const later = new Set(options.strict ? [] : names.filter((name) => checked.unchanged(name, ownFiles(name))));
  const now = names.filter((name) => !later.has(name));

  const compiled = new Map<string, CompiledIntegration>();
  if (now.length > 0) {
    const result = compileRegistry(mappingsDir, schemasDir, undefined, { only: now, files, unifiedSchemas });
    // the integrations that passed are remembered even when others fail: fixing one then re-checks that one
    for (const [name, integration] of result.registry.integrations) {
      compiled.set(name, integration);
      checked.record(name, ownFiles(name), extendedFiles(integration), (path) => files.parsed?.(path));
    }
    checked.save();
    throwProblems(result);
  }
  const compileLater = (name: string) => {
    for (const [path, value] of checked.parsedValues(name)) files.keepParsed?.(path, value);
    let result: CompileResult;
    try {
      result = compileRegistry(mappingsDir, schemasDir, undefined, { only: [name], files, unifiedSchemas, checkedBefore: true });
    } catch (error) {
      if (isUnimapError(error)) throw error;
      // only a record that lies (edited by hand) gets here: the full checks name what is wrong, with its position
      result = compileRegistry(mappingsDir, schemasDir, undefined, { only: [name], files, unifiedSchemas });
    }
    throwProblems(result);
    return result.registry.integrations.get(name)!;
  };
  return Object.freeze({ integrations: new LazyIntegrations(names, compiled, compileLater), unifiedSchemas });
}

/** Any error (warnings are for `unimap validate`) throws them all in one UnimapError, rendered with their lines. */
function throwProblems({ problems, sources }: CompileResult): void {
  if (problems.some((p) => p.severity !== 'warning')) throw problemsError(problems, (p) => renderProblem(p, sources.get(p.position.file)));
}

/** integration.yaml and the resource files of an integration folder (unreadable folders: just integration.yaml). */
function definitionFiles(mappingsDir: string, name: string, files: DefinitionFiles): string[] {
  const folder = join(mappingsDir, name);
  try {
    return [join(folder, 'integration.yaml'), ...resourceFiles(folder, files).map(([, path]) => path)];
  } catch {
    return [join(folder, 'integration.yaml')];
  }
}

/** The shared files an integration's definitions extend, as absolute paths (sources name files relative to the cwd). */
function extendedFiles(integration: CompiledIntegration): string[] {
  const sources = [integration.source, ...[...integration.resources.values()].map((resource) => resource.source)];
  return [...new Set(sources.flatMap((source) => source.extended ?? []).map((source) => resolve(source.file)))].sort();
}
