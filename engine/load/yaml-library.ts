import type * as Yaml from 'yaml';

let library: typeof Yaml | undefined;

/**
 * The `yaml` package (documents with source ranges), loaded when a position or a syntax error is first needed.
 * Values are read with js-yaml; a process whose definitions report nothing never loads this one (a third of a
 * cold start's module loading).
 */
export function yamlLibrary(): typeof Yaml {
  return (library ??= require('yaml') as typeof Yaml);
}
