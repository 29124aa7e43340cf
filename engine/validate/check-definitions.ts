import { join } from 'node:path';
import { compileRegistry } from '../compile/compile-registry';
import type { Registry } from '../compile/compiled';
import { readFixtureFiles } from '../load/fixture-files';
import { checkDeclaredVsActual } from './declared-vs-actual';
import { checkFixtureReferences } from './fixture-references';
import { mergeRepeatedProblems } from './merge-repeats';
import type { Problem, SourceLines } from './problem';
import { checkRemoteFields } from './remote-fields';
import { checkSpecBodies } from './spec-bodies';

export interface ValidationReport {
  registry: Registry;
  /** Every problem, by file, line and column. */
  problems: Problem[];
  /** Definition and fixture files by path, for rendering problems with the offending line. */
  sources: Map<string, SourceLines>;
  /** Integrations whose definitions have errors (left out of the registry). */
  failed: string[];
}

/**
 * Everything `unimap validate` checks, as data: the definitions (format, references, JSONata and templates), the
 * unified schemas, the fixtures (format, references), and what definitions declare against what their mappings,
 * fixtures and provider specs show (warnings).
 */
export function checkDefinitions(mappingsDir: string, schemasDir: string, options: { only?: readonly string[]; cwd?: string } = {}): ValidationReport {
  const compiled = compileRegistry(mappingsDir, schemasDir, options.cwd, options.only ? { only: options.only } : {});
  const fixtures = readFixtureFiles(mappingsDir, { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.only ? { only: options.only } : {}) });
  const { registry } = compiled;
  const sources = new Map<string, SourceLines>([...compiled.sources, ...fixtures.sources]);
  // fixtures are the evidence of what a definition does: with a fixture file left out, that evidence is incomplete
  const judged: Registry = { ...registry, integrations: new Map([...registry.integrations].filter(([name]) => !fixtures.broken.includes(name))) };
  const findings = [
    ...checkDeclaredVsActual(judged, fixtures.fixtures),
    ...checkFixtureReferences(registry, fixtures.fixtures),
    // with only some integrations read, a shared (extends) mapping lacks the evidence of the others: it is judged in full runs
    ...checkRemoteFields(judged, fixtures.fixtures, { judgeShared: !options.only }),
    ...checkSpecBodies(registry, mappingsDir),
  ];
  const merged = mergeRepeatedProblems(findings, (file) => {
    const source = compiled.sources.get(file);
    return source && 'positionOf' in source ? source : undefined;
  });
  const problems = [...compiled.problems, ...unifiedSchemaProblems(registry, schemasDir), ...fixtures.problems, ...merged];
  return { registry, problems: sortByPosition(problems), sources, failed: compiled.failed };
}

/** Unified schema validators are compiled on first use; validation compiles them all so a broken one shows now. */
function unifiedSchemaProblems(registry: Registry, schemasDir: string): Problem[] {
  const problems: Problem[] = [];
  for (const schema of registry.unifiedSchemas.values()) {
    try {
      schema.compileAll();
    } catch (error) {
      const file = join(schemasDir, 'unified', schema.category, `${schema.resource}.schema.json`);
      problems.push({ code: 'UNIMAP_E_DEF_SCHEMA', message: error instanceof Error ? error.message : String(error), position: { file, line: 1, column: 1 } });
    }
  }
  return problems;
}

/** Files in the order they were found, each file's problems by line and column (a stable sort keeps ties in order). */
function sortByPosition(problems: Problem[]): Problem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.position.file)) fileOrder.set(p.position.file, fileOrder.size);
  return [...problems].sort((a, b) => fileOrder.get(a.position.file)! - fileOrder.get(b.position.file)! || a.position.line - b.position.line || a.position.column - b.position.column);
}
