import { existsSync } from 'node:fs';
import { readFixtureFiles, type FixtureFile } from '../load/fixture-files';
import { appendRecordedCase, authPartNames, RecordingTransport } from '../conformance/record';
import { runConformance } from '../conformance/run-fixtures';
import { createAxiosTransport } from '../transport/transport';
import { resolveContext } from '../accounts/resolve-context';
import { isUnimapError } from '../errors';
import { createEngine } from '../engine';
import { checkDefinitions } from '../validate/check-definitions';
import { renderProblem } from '../validate/problem';
import { writeDocs } from '../docs/write-docs';
import { updateReadme } from '../docs/readme-sections';
import { splitResource, stripUndefined } from './args';
import { loadRegistryForCli, type DirOptions } from './cli-registry';
import { readJsonFile, readJsonObject, type CliIo } from './io';
import type { MapOptions } from './map-commands';

/**
 * `unimap validate [DIR]`: every problem with file:line:column; exit 1 on any error (with --strict, on any
 * warning too). `only` limits it to one integration (--integration, or DIR pointing at an integration folder).
 */
export function validateCommand(dirs: DirOptions, options: { strict: boolean; only?: string }, io: CliIo): number {
  const report = checkDefinitions(dirs.mappings, dirs.schemas, options.only ? { only: [options.only] } : {});
  const { registry } = report;
  if (options.only && !registry.integrations.has(options.only) && !report.failed.includes(options.only)) {
    io.err(`error UNIMAP_E_REQ_INTEGRATION_NOT_FOUND: no integration "${options.only}" in ${dirs.mappings}`);
    return 1;
  }
  const problems = report.problems.map((p) => (options.strict ? { ...p, severity: 'error' as const } : p));
  for (const problem of problems) io.err(renderProblem(problem, report.sources.get(problem.position.file)));
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  const warnings = problems.length - errors;
  const methods = [...registry.integrations.values()].reduce((n, i) => n + [...i.resources.values()].reduce((m, r) => m + r.methods.size, 0), 0);
  const failed = report.failed.length > 0 ? ` (${report.failed.join(', ')} not loaded)` : '';
  io.out(`${registry.integrations.size} integration(s)${failed}, ${methods} method(s): ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? 1 : 0;
}

export interface TestOptions {
  integration?: string;
  resource?: string;
  method?: string;
  update?: boolean;
}

/**
 * `unimap test`: every conformance case, one line each, diffs for failures (with the case's file:line), a summary;
 * exit 1 on any failure. A broken definition or fixture file is reported and its cases skipped; the rest run.
 */
export async function testCommand(dirs: DirOptions, filter: TestOptions, io: CliIo): Promise<number> {
  const { registry, failed } = loadRegistryForCli(dirs, io, filter.integration);
  const read = readFixtureFiles(dirs.mappings, filter.integration ? { only: [filter.integration] } : {});
  for (const problem of read.problems) io.err(renderProblem(problem, read.sources.get(problem.position.file)));
  const started = process.hrtime.bigint();
  const fixtures = read.fixtures.filter((f) => registry.integrations.has(f.integration));
  const { update, ...only } = filter;
  const outcomes = await runConformance(registry, fixtures, stripUndefined(only), update ?? false);
  for (const o of outcomes) {
    const mark = o.failure === 'updated' ? 'UPDATED' : o.passed ? 'ok' : 'FAIL';
    io.out(`${mark.padEnd(7)} ${o.integration} ${o.resource} ${o.method}: ${o.name}`);
    if (!o.passed) io.out(`  at ${caseLocation(fixtures, o.file, o.name)}\n${o.failure}\n`);
  }
  const skipped = [...failed.map((name) => `${name} (definition)`), ...new Set(read.problems.map((p) => p.position.file))];
  const failures = outcomes.filter((o) => !o.passed).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  io.out(`${outcomes.length - failures} passed, ${failures} failed${skipped.length ? `, skipped ${skipped.join(', ')}` : ''} (${ms.toFixed(0)} ms)`);
  return failures > 0 || skipped.length > 0 || outcomes.length === 0 ? 1 : 0;
}

/** file:line of a case, so a failure can be opened in an editor. */
function caseLocation(fixtures: FixtureFile[], file: string, name: string): string {
  const fixture = fixtures.find((f) => f.file === file);
  const index = fixture?.cases.findIndex((c) => c.name === name) ?? -1;
  if (!fixture || index < 0) return file;
  const { line } = fixture.source.positionOf(`/cases/${index}`);
  return `${file}:${line}`;
}

/**
 * `unimap docs`: regenerate docs/ (error catalogue, reference pages) and a README's generated sections (integration
 * table, counts) from the catalogue, definitions, fixtures and schemas.
 */
export function docsCommand(dirs: DirOptions, options: { out: string; readme?: string }, io: CliIo): number {
  const { registry, failed } = loadRegistryForCli(dirs, io);
  if (failed.length > 0) {
    // the pages would silently lose the broken integrations
    io.err(`nothing written: fix ${failed.join(', ')} first`);
    return 1;
  }
  const written = writeDocs(registry, options.out);
  io.out(`wrote ${written.length} file(s) under ${options.out}`);
  const { readme } = options;
  if (readme !== undefined && existsSync(readme)) {
    const { fixtures } = readFixtureFiles(dirs.mappings);
    const changed = updateReadme(readme, registry, fixtures);
    io.out(changed ? `updated the generated parts of ${readme}` : `${readme} is up to date`);
  }
  return 0;
}

export interface RecordOptions extends Omit<MapOptions, 'input'> {
  input?: string;
  context: string;
  out: string;
  name: string;
  baseUrl?: string;
}

/**
 * `unimap record`: make one real call with a real account context and append it to a fixture file as a
 * conformance case (request, response and the unified result or error), every credential scrubbed.
 */
export async function recordCommand(dirs: DirOptions, options: RecordOptions, io: CliIo): Promise<number> {
  const { registry } = loadRegistryForCli(dirs, io, options.integration);
  const integration = registry.integrations.get(options.integration)!;
  const context = readJsonObject(options.context, 'context');
  const account = { id: 'recording', integration: options.integration, context, ...(options.baseUrl ? { base_url: options.baseUrl } : {}) };
  const secrets = resolveContext(integration, account).secrets;
  const transport = new RecordingTransport(createAxiosTransport(), { secrets, ...authPartNames(integration) });
  const engine = createEngine({ mappings: registry, transport });
  const [category, resource] = splitResource(options.resource);
  const params = readJsonObject(options.params, 'params');
  const body = options.input ? readJsonFile(options.input, 'input') : undefined;
  const query = readJsonObject(options.query, 'query');
  const kase = {
    name: options.name,
    method: options.method,
    ...(typeof params['id'] === 'string' ? { id: params['id'] } : {}),
    ...(body === undefined ? {} : { body }),
    ...(Object.keys(query).length ? { query } : {}),
  };
  let expect: { result?: unknown; error?: string };
  try {
    const { name: _name, ...call } = kase;
    const outcome = await engine.call({ category, resource, account, ...call, query });
    expect = { result: outcome.kind === 'list' ? { ...outcome.result, next_cursor: outcome.result.next_cursor !== null } : outcome.result };
  } catch (error) {
    if (!isUnimapError(error)) throw error;
    expect = { error: error.code };
  }
  appendRecordedCase(options.out, options.resource, context, { ...kase, exchanges: transport.exchanges, expect }, secrets);
  io.out(`recorded "${options.name}" (${transport.exchanges.length} exchange(s)${expect.error ? `, ${expect.error}` : ''}) into ${options.out}`);
  return 0;
}
