import { UNIFIED_METHODS, type ContextFieldDef, type IntegrationDef, type MethodDef, type PaginationDef, type RequestDef, type ResourceDef, type StepDef } from '../definition';
import type { DefinitionFiles } from '../load/definition-files';
import { loadDefinitionSources, type IntegrationSources } from '../load/load-definitions';
import { toPointer, type YamlSource } from '../load/yaml-source';
import { ALL_CHECKS, CHECKED_BEFORE, type DefinitionChecks } from '../validate/definition-checks';
import { mergeRepeatedProblems } from '../validate/merge-repeats';
import { linesOf, type Problem, type SourceLines } from '../validate/problem';
import { compileAt, type Evaluator, type ParsedExpressions } from './expression';
import { compileTemplate, type Template } from './template';
import { loadUnifiedSchemas, type UnifiedSchema } from './unified-schemas';
import type { CompiledIntegration, CompiledMethod, CompiledPagination, CompiledRequest, CompiledResource, CompiledStep, Registry } from './compiled';
import { compileOAuth2 } from './compile-oauth';

export interface CompileResult {
  registry: Registry;
  problems: Problem[];
  /** Files by path, so problems can be rendered with the offending line (a file that did not parse has its text only). */
  sources: Map<string, YamlSource | SourceLines>;
  /** Integrations left out of the registry because their definitions have errors. */
  failed: string[];
}

export interface CompileOptions {
  /** Load only these integrations (folder names); the others are not read. */
  only?: readonly string[];
  /** Read definition files through this reader (default: from disk). */
  files?: DefinitionFiles;
  /** Unified schemas loaded before (an integration compiled on first use shares its registry's). */
  unifiedSchemas?: Map<string, UnifiedSchema>;
  /** The texts were checked without errors by an earlier load with this engine (load/checked-definitions.ts). */
  checkedBefore?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_PAGES = 1000;

/**
 * Load → validate → compile every definition under `mappingsDir`. Problems are collected, never thrown here,
 * so `unimap validate` can report all of them; integrations with errors are left out of the registry.
 */
export function compileRegistry(mappingsDir: string, schemasDir: string, cwd?: string, options: CompileOptions = {}): CompileResult {
  const unifiedSchemas = options.unifiedSchemas ?? loadUnifiedSchemas(schemasDir);
  const loaded = loadDefinitionSources(mappingsDir, cwd, options.only, options.files);
  const problems = [...loaded.problems];
  const sources = new Map<string, YamlSource | SourceLines>([...loaded.unparsed].map(([file, text]) => [file, linesOf(text)]));
  const integrations = new Map<string, CompiledIntegration>();
  const failed = new Set(loaded.failed);
  // YAML anchors and shared idioms repeat expressions (a list and a get response): parse each text once per load
  const parsed: ParsedExpressions = Object.assign(new Map(), { checkedBefore: options.checkedBefore === true });
  for (const found of loaded.integrations) {
    const files = [found.integration, ...found.resources.values()];
    for (const source of files) sources.set(source.file, source);
    // the shared files a definition extends: problems inside them are reported there
    const shared = files.flatMap((source) => source.extended ?? []);
    for (const source of shared) if (!sources.has(source.file)) sources.set(source.file, source);
    const own: Problem[] = [];
    const compiled = compileIntegration(found, unifiedSchemas, own, parsed, options.checkedBefore ? CHECKED_BEFORE : ALL_CHECKS);
    problems.push(...mergeRepeatedProblems(own, (file) => [...files, ...shared].find((s) => s.file === file)));
    if (compiled && !own.some((p) => p.severity !== 'warning') && !failed.has(found.name)) integrations.set(compiled.name, compiled);
    else failed.add(found.name);
  }
  return { registry: Object.freeze({ integrations, unifiedSchemas }), problems, sources, failed: [...failed].sort() };
}

/** Compiles expressions and templates of one file, recording positioned problems. */
class FileCompiler {
  constructor(readonly source: YamlSource, readonly problems: Problem[], readonly parsed: ParsedExpressions) {}

  expr(path: (string | number)[], text: string | undefined): Evaluator | undefined {
    return text === undefined ? undefined : compileAt(text, { source: this.source, pointer: toPointer(path) }, this.problems, this.parsed);
  }

  template(path: (string | number)[], text: string): Template {
    const pointer = toPointer(path);
    return compileTemplate(
      text,
      (hole, offset) => compileAt(hole, { source: this.source, pointer, offset }, this.problems, this.parsed) ?? NEVER_EVALUATOR,
      (problem) => this.problems.push({ code: 'UNIMAP_E_DEF_JSONATA', message: problem.message, position: this.source.positionInString(pointer, problem.offset) }),
    );
  }

  templates(path: (string | number)[], map: Record<string, string> | undefined): Record<string, Template> {
    const out: Record<string, Template> = {};
    for (const [key, text] of Object.entries(map ?? {})) out[key] = this.template([...path, key], String(text));
    return out;
  }

  request(path: (string | number)[], def: RequestDef): CompiledRequest {
    return {
      method: def.method,
      path: this.template([...path, 'path'], def.path),
      query: this.templates([...path, 'query'], def.query),
      headers: this.templates([...path, 'headers'], def.headers),
    };
  }
}

/** Stands in for an expression that failed to parse; the registry holding it is never used. */
const NEVER_EVALUATOR: Evaluator = { source: '', position: undefined, expression: { source: '', compiled: false, ast: () => undefined, evaluate: async () => undefined }, evaluate: async () => undefined };

function compileIntegration(found: IntegrationSources, unifiedSchemas: Map<string, UnifiedSchema>, problems: Problem[], parsed: ParsedExpressions, checks: DefinitionChecks): CompiledIntegration | undefined {
  const shape = checks.integrationShape(found.integration);
  problems.push(...shape);
  if (shape.length > 0) return undefined;
  const def = found.integration.value as IntegrationDef;
  const fc = new FileCompiler(found.integration, problems, parsed);
  problems.push(...checks.integration(def, found.name, found.integration));

  const defaultPagination = compilePagination(def.pagination ?? { type: 'none' }, ['pagination'], fc);
  const resources = new Map<string, CompiledResource>();
  for (const [key, source] of found.resources) {
    const resource = compileResource(key, source, def, defaultPagination, unifiedSchemas, problems, parsed, checks);
    if (resource) resources.set(key, resource);
  }
  const auth = def.auth ?? { type: 'none' as const };
  return {
    name: def.name,
    label: def.label,
    def,
    source: found.integration,
    baseUrl: fc.template(['base_url'], def.base_url),
    context: Object.fromEntries(
      Object.entries(def.oauth2 ? withTokenKeys(def.context ?? {}) : def.context ?? {}).map(([key, field]) => [key, field.pattern ? { ...field, regex: new RegExp(field.pattern) } : field]),
    ),
    auth: {
      type: auth.type,
      headers: auth.type === 'header' ? fc.templates(['auth', 'headers'], auth.headers) : {},
      query: auth.type === 'query' ? fc.templates(['auth', 'query'], auth.query) : {},
      username: auth.type === 'basic' ? fc.template(['auth', 'username'], auth.username) : undefined,
      password: auth.type === 'basic' ? fc.template(['auth', 'password'], auth.password) : undefined,
      body: auth.type === 'body' ? fc.templates(['auth', 'body'], auth.body) : {},
    },
    oauth2: def.oauth2 && compileOAuth2(def.oauth2, fc),
    headers: fc.templates(['headers'], def.headers),
    rateLimit: def.rate_limit ?? {},
    rateLimitWhen: fc.expr(['rate_limit', 'when'], def.rate_limit?.when),
    timeoutMs: def.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: def.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    error: fc.expr(['error'], def.error),
    errorWhen: fc.expr(['error_when'], def.error_when),
    resources,
  };
}

/**
 * The context keys the engine writes for an OAuth integration: the tokens are secrets whatever the definition says
 * (a forgotten `secret: true` must not show a refresh token to mappings or logs), expires_at is plain.
 */
function withTokenKeys(context: Record<string, ContextFieldDef>): Record<string, ContextFieldDef> {
  return {
    ...context,
    access_token: { ...context['access_token'], secret: true },
    refresh_token: { ...context['refresh_token'], secret: true },
    expires_at: context['expires_at'] ?? { description: 'When the access token expires (ISO 8601), written by the engine.' },
  };
}

function compileResource(
  key: string,
  source: YamlSource,
  integration: IntegrationDef,
  defaultPagination: CompiledPagination,
  unifiedSchemas: Map<string, UnifiedSchema>,
  problems: Problem[],
  parsed: ParsedExpressions,
  checks: DefinitionChecks,
): CompiledResource | undefined {
  const shape = checks.resourceShape(source);
  problems.push(...shape);
  if (shape.length > 0) return undefined;
  const unified = unifiedSchemas.get(key);
  if (!unified) {
    problems.push({
      code: 'UNIMAP_E_DEF_REFERENCE',
      message: `no unified schema for "${key}"; expected schemas/unified/${key}.schema.json (known: ${[...unifiedSchemas.keys()].join(', ')})`,
      position: source.positionOf(''),
    });
    return undefined;
  }
  const def = source.value as ResourceDef;
  const fc = new FileCompiler(source, problems, parsed);
  const methods = new Map<string, CompiledMethod>();
  const entries: [string, MethodDef, (string | number)[]][] = [
    ...UNIFIED_METHODS.filter((m) => def[m]).map((m): [string, MethodDef, string[]] => [m, def[m]!, [m]]),
    ...Object.entries(def.custom ?? {}).map(([m, d]): [string, MethodDef, string[]] => [m, d, ['custom', m]]),
  ];
  for (const [name, methodDef, path] of entries) {
    problems.push(...checks.method(name, methodDef, unified, source, path));
    methods.set(name, compileMethod(name, methodDef, path, fc, integration, defaultPagination));
  }
  const [category, resource] = key.split('/') as [string, string];
  return { key, category, resource, source, unified, methods };
}

function compileMethod(
  name: string,
  def: MethodDef,
  path: (string | number)[],
  fc: FileCompiler,
  integration: IntegrationDef,
  defaultPagination: CompiledPagination,
): CompiledMethod {
  const at = (...rest: (string | number)[]) => [...path, ...rest];
  const bodyFormat = def.body_format ?? integration.body_format ?? 'json';
  const steps = (key: 'before' | 'after' | 'side_load') =>
    (def[key] ?? []).map((step: StepDef, i: number): CompiledStep => ({
      name: step.name,
      runIf: fc.expr(at(key, i, 'run_if'), step.run_if),
      request: fc.request(at(key, i, 'request'), step.request),
      query: fc.expr(at(key, i, 'query'), step.query),
      body: fc.expr(at(key, i, 'body'), step.body),
      bodyFormat: step.body_format ?? bodyFormat,
      ignoreStatus: step.ignore_status ?? [],
      takesRemoteData: step.remote_data ?? false,
    }));
  const source = fc.source;
  return {
    name,
    get position() {
      return source.positionOf(toPointer(path));
    },
    unsupported: def.unsupported,
    request: def.request ? fc.request(at('request'), def.request) : undefined,
    query: fc.expr(at('query'), def.query),
    queryParams: def.query_params ?? {},
    filters: def.filters,
    body: fc.expr(at('body'), def.body),
    bodyFormat,
    records: fc.expr(at('records'), def.records),
    record: fc.expr(at('record'), def.record),
    response: fc.expr(at('response'), def.response),
    responseFrom: def.response_from,
    runIf: fc.expr(at('run_if'), def.run_if),
    required: def.required ?? [],
    supported: def.supported ?? [],
    responseSupported: def.response_supported ?? [],
    error: fc.expr(at('error'), def.error),
    errorWhen: fc.expr(at('error_when'), def.error_when),
    before: steps('before'),
    after: steps('after'),
    sideLoad: steps('side_load'),
    static: def.static,
    partial: fc.expr(at('partial'), def.partial),
    idempotent: def.idempotent ?? (def.request ? ['GET', 'PUT', 'DELETE'].includes(def.request.method) : true),
    pagination: def.pagination ? compilePagination(def.pagination, at('pagination'), fc) : defaultPagination,
  };
}

function compilePagination(def: PaginationDef, path: (string | number)[], fc: FileCompiler): CompiledPagination {
  const expr = (key: string, text: string | undefined) => fc.expr([...path, key], text);
  return {
    def,
    nextUrl: def.type === 'next_url' ? expr('next_url', def.next_url) : undefined,
    cursor: def.type === 'cursor' ? expr('cursor', def.cursor) : undefined,
    hasMore: def.type !== 'none' && def.stop?.has_more ? fc.expr([...path, 'stop', 'has_more'], def.stop.has_more) : undefined,
    maxPages: def.type === 'none' ? 1 : def.max_pages ?? DEFAULT_MAX_PAGES,
  };
}
