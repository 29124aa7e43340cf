import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import fixtureSchema from '../../schemas/fixture.schema.json';
import type { AccountOverrides } from '../accounts/account-overrides';
import { ERROR_CATALOGUE } from '../errors';
import { closest } from '../validate/did-you-mean';
import { linesOf, problemsError, renderProblem, type Problem, type SourceLines } from '../validate/problem';
import { schemaProblems } from '../validate/schema-problems';
import { parseYamlSource, toPointer, type YamlSource } from './yaml-source';

export interface FixtureExchange {
  request: { method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, string>; body?: unknown; body_partial?: boolean };
  response: { status?: number; headers?: Record<string, string>; body?: unknown };
}

export interface FixtureCase {
  name: string;
  method: string;
  id?: string;
  body?: unknown;
  query?: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** The account's own overrides for this case. */
  overrides?: AccountOverrides;
  pages?: number;
  exchanges: FixtureExchange[];
  expect: { result?: unknown; error?: string; message?: string; warnings?: string[] };
}

export interface FixtureFile {
  integration: string;
  file: string;
  resource: string;
  context: Record<string, unknown>;
  cases: FixtureCase[];
  /** The parsed document (built on first use), so --update can rewrite expected results without losing comments. */
  readonly document: Document;
  path: string;
  /** Positions in the file, e.g. of a case: source.positionOf('/cases/3'). */
  source: YamlSource;
}

export interface LoadedFixtures {
  /** Files without problems; a file with any is left out (its cases cannot be trusted). */
  fixtures: FixtureFile[];
  problems: Problem[];
  /** Every file read, for rendering problems with the offending line. */
  sources: Map<string, SourceLines>;
  /** Integrations with a fixture file left out for its problems: their fixtures are incomplete evidence. */
  broken: string[];
}

/**
 * Conformance fixtures live beside the definitions in tests/; a `.simulator.yaml` there describes a provider
 * simulator (engine/sandbox/describe.ts) and is not a fixture.
 */
export function isFixtureFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.simulator\.ya?ml$/.test(name);
}

const validateFixture = new Ajv2020({ allErrors: true, strict: false, verbose: true }).compile(fixtureSchema);

/** Every mappings/<integration>/tests/*.yaml file (of `only`, when given), parsed and checked; problems as data. */
export function readFixtureFiles(mappingsDir: string, options: { cwd?: string; only?: readonly string[] } = {}): LoadedFixtures {
  const cwd = options.cwd ?? process.cwd();
  const out: LoadedFixtures = { fixtures: [], problems: [], sources: new Map(), broken: [] };
  for (const integration of readdirSync(mappingsDir).sort()) {
    if (options.only && !options.only.includes(integration)) continue;
    const dir = join(mappingsDir, integration, 'tests');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter(isFixtureFileName).sort()) {
      const path = join(dir, name);
      const file = relative(cwd, path) || path;
      const text = readFileSync(path, 'utf8');
      const { source, problems } = parseYamlSource(file, text);
      out.sources.set(file, source ?? linesOf(text));
      const own = source ? checkFixture(source) : problems.map((p): Problem => ({ code: 'UNIMAP_E_LOAD_YAML', message: `YAML syntax error: ${p.message}`, position: p.position }));
      out.problems.push(...own);
      if (!source || own.length > 0) {
        if (!out.broken.includes(integration)) out.broken.push(integration);
        continue;
      }
      const value = source.value as { resource: string; context?: Record<string, unknown>; cases: FixtureCase[] };
      let document: Document | undefined;
      out.fixtures.push({
        integration, file, path, source, resource: value.resource, context: value.context ?? {}, cases: value.cases,
        get document() {
          return (document ??= parseDocument(text));
        },
      });
    }
  }
  return out;
}

/** Like readFixtureFiles, but any problem is thrown as one error listing them all (for tests and tools). */
export function loadFixtures(mappingsDir: string, cwd: string = process.cwd()): FixtureFile[] {
  const { fixtures, problems, sources } = readFixtureFiles(mappingsDir, { cwd });
  if (problems.length > 0) throw problemsError(problems, (p) => renderProblem(p, sources.get(p.position.file)));
  return fixtures;
}

/** The format schema, then what it cannot say well: an expect with nothing to compare, repeated names, unknown codes. */
function checkFixture(source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const at = (...path: (string | number)[]) => source.positionOf(toPointer(path));
  const cases = (source.value as { cases?: unknown } | null)?.cases;
  const names = new Map<string, number>();
  (Array.isArray(cases) ? cases : []).forEach((kase: unknown, i) => {
    if (!isObject(kase)) return;
    const expect = kase['expect'];
    if (isObject(expect) && !('result' in expect) && !('error' in expect)) {
      problems.push({
        code: 'UNIMAP_E_DEF_SCHEMA',
        message: `case "${String(kase['name'])}": expect needs result (the exact unified output) or error (the code the call fails with); without either the case passes on any output`,
        position: at('cases', i, 'expect'),
      });
    }
    const code = isObject(expect) ? expect['error'] : undefined;
    if (typeof code === 'string' && /^UNIMAP_E_/.test(code) && !(code in ERROR_CATALOGUE)) {
      const hint = closest(code, Object.keys(ERROR_CATALOGUE));
      problems.push({ code: 'UNIMAP_E_DEF_SCHEMA', message: `unknown error code "${code}"${hint ? ` (did you mean "${hint}"?)` : ''}; codes are listed in docs/errors.md`, position: at('cases', i, 'expect', 'error') });
    }
    if (typeof kase['name'] === 'string') {
      const first = names.get(kase['name']);
      if (first !== undefined) problems.push({ code: 'UNIMAP_E_DEF_SCHEMA', message: `case name "${kase['name']}" is used twice (first at line ${at('cases', first).line}); names must be unique within a file`, position: at('cases', i, 'name') });
      else names.set(kase['name'], i);
    }
  });
  // the empty expect is reported above with a better message than "must match a schema in anyOf"
  const isExpectAnyOf = (e: ErrorObject) => /\/expect\/anyOf/.test(e.schemaPath);
  return [...schemaProblems(validateFixture, source, isExpectAnyOf), ...problems];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
