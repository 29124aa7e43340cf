import { readdirSync } from 'node:fs';
import { compileRegistry } from '../compile/compile-registry';
import type { Registry } from '../compile/compiled';
import { UnimapError } from '../errors';
import { renderProblem } from '../validate/problem';
import type { CliIo } from './io';

export interface DirOptions {
  mappings: string;
  schemas: string;
}

/**
 * Definitions for a command that runs them (map, test, record). One broken integration must not stop work on the
 * others: its problems are printed and it is left out; only when `only` names it does the command fail.
 */
export function loadRegistryForCli(dirs: DirOptions, io: CliIo, only?: string): { registry: Registry; failed: string[] } {
  const compiled = compileRegistry(dirs.mappings, dirs.schemas, undefined, only ? { only: [only] } : {});
  const { registry, failed } = compiled;
  if (only && !registry.integrations.has(only) && !failed.includes(only)) {
    const known = readdirSync(dirs.mappings).filter((name) => !name.startsWith('.') && !name.startsWith('_')).sort();
    throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `no integration "${only}" in ${dirs.mappings}; known: ${known.join(', ')}`);
  }
  const errors = compiled.problems.filter((p) => p.severity !== 'warning');
  for (const problem of errors) io.err(renderProblem(problem, compiled.sources.get(problem.position.file)));
  if (failed.length > 0) {
    const which = failed.map((name) => `unimap validate --integration ${name}`).join('; ');
    if (only) throw new UnimapError(errors[0]?.code ?? 'UNIMAP_E_DEF_SCHEMA', `the definition of ${only} has ${errors.length} error(s), shown above (${which})`);
    io.err(`left out ${failed.join(', ')}: ${errors.length} definition error(s), shown above (${which}); the other integrations are loaded`);
  }
  return { registry, failed };
}
