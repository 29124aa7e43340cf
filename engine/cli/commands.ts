import { compileRegistry } from '../compile/compile-registry';
import type { Registry } from '../compile/compiled';
import { loadFixtures } from '../conformance/fixture';
import { appendRecordedCase, authPartNames, RecordingTransport } from '../conformance/record';
import { runConformance } from '../conformance/run-fixtures';
import { createAxiosTransport } from '../transport/transport';
import { resolveContext } from '../accounts/resolve-context';
import { isUnimapError } from '../errors';
import { checkDeclaredVsActual } from '../validate/declared-vs-actual';
import { createEngine, loadRegistry } from '../engine';
import { UnimapError } from '../errors';
import { renderProblem, type Problem } from '../validate/problem';
import { join } from 'node:path';
import { decodeBody } from '../transport/body-codec';
import { writeDocs } from '../docs/write-docs';
import { readJsonFile, readJsonObject, readTextFile, type CliIo } from './io';

export interface DirOptions {
  mappings: string;
  schemas: string;
}

/** `unimap validate [DIR]`: every problem with file:line:column; exit 1 on any error. */
export function validateCommand(dirs: DirOptions, strict: boolean, io: CliIo): number {
  const compiled = compileRegistry(dirs.mappings, dirs.schemas);
  const { registry, sources } = compiled;
  const problems = [...compiled.problems, ...unifiedSchemaProblems(registry, dirs.schemas), ...checkDeclaredVsActual(registry, loadFixtures(dirs.mappings))]
    .map((p) => (strict ? { ...p, severity: 'error' as const } : p));
  for (const problem of problems) io.err(renderProblem(problem, sources.get(problem.position.file)));
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  const warnings = problems.length - errors;
  const methods = [...registry.integrations.values()].reduce((n, i) => n + [...i.resources.values()].reduce((m, r) => m + r.methods.size, 0), 0);
  io.out(`${registry.integrations.size} integration(s), ${methods} method(s): ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? 1 : 0;
}

/** Unified schema validators are compiled on first use; `validate` compiles them all so a broken one shows now. */
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

export interface MapOptions {
  integration: string;
  resource: string;
  method: string;
  input: string;
  context?: string;
  params?: string;
  query?: string;
}

/** `unimap map request`: the first remote request the engine would send, secrets redacted; nothing is sent. */
export async function mapRequestCommand(dirs: DirOptions, options: MapOptions, io: CliIo): Promise<number> {
  const registry = loadRegistry(dirs.mappings, dirs.schemas);
  const body = readJsonFile(options.input, 'input');
  const params = readJsonObject(options.params, 'params');
  const context = withPlaceholderSecrets(registry, options.integration, readJsonObject(options.context, 'context'));
  const engine = createEngine({ mappings: registry });
  const [category, resource] = splitResource(options.resource);
  const request = await engine.planRequest({
    category, resource, method: options.method,
    account: { id: 'cli', integration: options.integration, context },
    query: readJsonObject(options.query, 'query'),
    ...(options.method === 'list' || options.method === 'get' || options.method === 'delete' ? {} : { body }),
    ...(typeof params['id'] === 'string' ? { id: params['id'] } : {}),
  });
  const decoded = request.body === undefined ? undefined : decodeBody(request.body, request.headers['Content-Type'], 'json');
  io.out(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: decoded?.ok ? decoded.value : request.body ?? null }, null, 2));
  return 0;
}

/** `unimap map response`: the unified JSON a response mapping makes of a remote body (with remote_data). */
export async function mapResponseCommand(dirs: DirOptions, options: MapOptions, io: CliIo): Promise<number> {
  const registry = loadRegistry(dirs.mappings, dirs.schemas);
  const engine = createEngine({ mappings: registry });
  const result = await engine.mapResponse(options.integration, {
    resource: options.resource,
    method: options.method,
    body: options.input.endsWith('.xml') ? readTextFile(options.input, 'input') : readJsonFile(options.input, 'input'),
    params: readJsonObject(options.params, 'params') as Record<string, string>,
    query: readJsonObject(options.query, 'query'),
    context: readJsonObject(options.context, 'context'),
  });
  io.out(JSON.stringify(result, null, 2));
  return 0;
}

/** `unimap test`: every conformance case, one line each, diffs for failures, a summary; exit 1 on any failure. */
export async function testCommand(dirs: DirOptions, filter: { integration?: string; resource?: string; method?: string; update?: boolean }, io: CliIo): Promise<number> {
  const registry = loadRegistry(dirs.mappings, dirs.schemas);
  const started = process.hrtime.bigint();
  const outcomes = await runConformance(registry, dirs.mappings, stripUndefined(filter), filter.update ?? false);
  for (const o of outcomes) {
    const mark = o.failure === 'updated' ? 'UPDATED' : o.passed ? 'ok' : 'FAIL';
    io.out(`${mark.padEnd(7)} ${o.integration} ${o.resource} ${o.method}: ${o.name}`);
    if (!o.passed) io.out(`${o.failure}\n`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  io.out(`${outcomes.length - failed} passed, ${failed} failed (${ms.toFixed(0)} ms)`);
  return failed > 0 || outcomes.length === 0 ? 1 : 0;
}

/**
 * The CLI never holds real credentials: missing required secrets get a placeholder so a request can be planned.
 * Optional ones stay missing, so an account giving user and password is planned as Basic, not with a made-up token.
 */
function withPlaceholderSecrets(registry: Registry, integration: string, context: Record<string, unknown>): Record<string, unknown> {
  const def = registry.integrations.get(integration);
  if (!def) throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${integration}"; known: ${[...registry.integrations.keys()].join(', ')}`);
  const out = { ...context };
  for (const [key, field] of Object.entries(def.context)) if (field.secret && field.required && out[key] === undefined) out[key] = `placeholder-${key}`;
  return out;
}

function splitResource(value: string): [string, string] {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UnimapError('UNIMAP_E_REQ_RESOURCE_NOT_FOUND', `--resource must be CATEGORY/RESOURCE, e.g. user-directory/users; got "${value}"`);
  return parts as [string, string];
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** `unimap docs`: regenerate docs/ (error catalogue and reference pages) from the catalogue, definitions and schemas. */
export function docsCommand(dirs: DirOptions, out: string, io: CliIo): number {
  const written = writeDocs(loadRegistry(dirs.mappings, dirs.schemas), out);
  io.out(`wrote ${written.length} file(s) under ${out}`);
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
  const registry = loadRegistry(dirs.mappings, dirs.schemas);
  const integration = registry.integrations.get(options.integration);
  if (!integration) throw new UnimapError('UNIMAP_E_REQ_INTEGRATION_NOT_FOUND', `unknown integration "${options.integration}"`);
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
