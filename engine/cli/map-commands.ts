import type { CompiledIntegration, CompiledMethod, Registry } from '../compile/compiled';
import { createEngine } from '../engine';
import { UnimapError } from '../errors';
import { decodeBody } from '../transport/body-codec';
import { readNamedFiles, splitResource } from './args';
import { loadRegistryForCli, type DirOptions } from './cli-registry';
import { readJsonFile, readJsonObject, readTextFile, type CliIo } from './io';

export interface MapOptions {
  integration: string;
  resource: string;
  method: string;
  input?: string;
  context?: string;
  params?: string;
  query?: string;
}

export interface MapResponseOptions extends MapOptions {
  status?: string;
  headers?: string;
  step?: string[];
  side?: string[];
}

/** Methods whose unified call carries a body; the others are planned from params and query alone. */
const WITH_BODY = new Set(['create', 'update']);

/** `unimap map request`: the first remote request the engine would send, secrets redacted; nothing is sent. */
export async function mapRequestCommand(dirs: DirOptions, options: MapOptions, io: CliIo): Promise<number> {
  const { registry } = loadRegistryForCli(dirs, io, options.integration);
  if (options.input === undefined && WITH_BODY.has(options.method)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `map request --method ${options.method} needs --input FILE with the unified body (JSON)`);
  }
  const params = readJsonObject(options.params, 'params');
  const context = withPlaceholderSecrets(registry, options.integration, readJsonObject(options.context, 'context'));
  const engine = createEngine({ mappings: registry });
  const [category, resource] = splitResource(options.resource);
  const request = await engine.planRequest({
    category, resource, method: options.method,
    account: { id: 'cli', integration: options.integration, context },
    query: readJsonObject(options.query, 'query'),
    ...(options.input === undefined || options.method === 'list' || options.method === 'get' || options.method === 'delete' ? {} : { body: readJsonFile(options.input, 'input') }),
    ...(typeof params['id'] === 'string' ? { id: params['id'] } : {}),
  });
  const decoded = request.body === undefined ? undefined : decodeBody(request.body, request.headers['Content-Type'], 'json');
  io.out(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body: decoded?.ok ? decoded.value : request.body ?? null }, null, 2));
  for (const warning of request.warnings) io.err(`warning ${warning.code}: ${warning.message}`);
  return 0;
}

/**
 * `unimap map response`: what the engine makes of a recorded answer. A 2xx answer is mapped as a live call maps it
 * (records, record, response_from, side loads), with `$status`, `$headers` and `$steps` as given; an error answer
 * (any other status, or a 2xx that error_when flags) shows what the error mapping extracts.
 */
export async function mapResponseCommand(dirs: DirOptions, options: MapResponseOptions, io: CliIo): Promise<number> {
  const { registry } = loadRegistryForCli(dirs, io, options.integration);
  if (options.input === undefined) throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', 'map response needs --input FILE with the remote body (JSON, or an .xml file read as text)');
  const body = options.input.endsWith('.xml') ? readTextFile(options.input, 'input') : readJsonFile(options.input, 'input');
  const status = options.status === undefined ? 200 : Number(options.status);
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `--status must be an HTTP status such as 404; got "${options.status}"`);
  const headers = Object.fromEntries(Object.entries(readJsonObject(options.headers, 'headers')).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const common = {
    params: readJsonObject(options.params, 'params') as Record<string, string>,
    query: readJsonObject(options.query, 'query'),
    context: readJsonObject(options.context, 'context'),
    steps: readNamedFiles(options.step, 'step'),
  };
  const error = await previewError(registry, options, { body, status, headers, ...common });
  if (error) {
    io.out(JSON.stringify(error, null, 2));
    return 0;
  }
  const engine = createEngine({ mappings: registry });
  const result = await engine.mapResponse(options.integration, {
    resource: options.resource, method: options.method, body, status, headers, ...common, side: readNamedFiles(options.side, 'side'),
  });
  io.out(JSON.stringify(result, null, 2));
  return 0;
}

interface Answer {
  body: unknown;
  status: number;
  headers: Record<string, string>;
  params: Record<string, string>;
  query: Record<string, unknown>;
  context: Record<string, unknown>;
  steps: Record<string, unknown>;
}

/** The error side of an answer, evaluated as the engine evaluates it; undefined when the answer is a success. */
async function previewError(registry: Registry, options: MapOptions, answer: Answer): Promise<Record<string, unknown> | undefined> {
  const { integration, method } = findMethod(registry, options);
  const value = typeof answer.body === 'string' ? decodeBody(answer.body, answer.headers['content-type'], method.bodyFormat) : { ok: true as const, value: answer.body };
  const decoded = value.ok ? value.value : answer.body;
  const steps = Object.fromEntries(Object.entries(answer.steps).map(([name, body]) => [name, { status: 200, headers: {}, body }]));
  const variables = { context: answer.context, params: answer.params, query: answer.query, body: {}, steps, status: answer.status, headers: answer.headers };
  const errorWhen = method.errorWhen ?? integration.errorWhen;
  const success = answer.status >= 200 && answer.status < 300;
  const flagged = success && errorWhen !== undefined && (await errorWhen.evaluate(decoded, variables)) === true;
  if (success && !flagged) return undefined;
  const mapping = method.error ?? integration.error;
  const rateLimited = answer.status === 429 || (!success && integration.rateLimitWhen !== undefined && (await integration.rateLimitWhen.evaluate(decoded, variables)) === true);
  return {
    status: answer.status,
    ...(flagged ? { error_when: true } : {}),
    ...(rateLimited ? { rate_limited: true } : {}),
    error_mapping: method.error ? 'method' : integration.error ? 'integration' : 'none (the engine guesses message, error or detail)',
    error: mapping ? (await mapping.evaluate(decoded, variables)) ?? null : null,
  };
}

function findMethod(registry: Registry, options: MapOptions): { integration: CompiledIntegration; method: CompiledMethod } {
  const integration = registry.integrations.get(options.integration)!;
  const resource = integration.resources.get(options.resource);
  if (!resource) throw new UnimapError('UNIMAP_E_REQ_RESOURCE_NOT_FOUND', `${integration.label} has no mapping for ${options.resource}; it maps ${[...integration.resources.keys()].join(', ')}`);
  const method = resource.methods.get(options.method);
  if (!method || method.unsupported !== undefined) {
    throw new UnimapError('UNIMAP_E_REQ_METHOD_NOT_SUPPORTED', `${integration.label} does not map ${options.resource} ${options.method}${method?.unsupported ? `: ${method.unsupported}` : ''}`);
  }
  return { integration, method };
}

/**
 * The CLI never holds real credentials: missing required secrets get a placeholder so a request can be planned.
 * Optional ones stay missing, so an account giving user and password is planned as Basic, not with a made-up token.
 */
function withPlaceholderSecrets(registry: Registry, integration: string, context: Record<string, unknown>): Record<string, unknown> {
  const def = registry.integrations.get(integration)!;
  const out = { ...context };
  for (const [key, field] of Object.entries(def.context)) if (field.secret && field.required && out[key] === undefined) out[key] = `placeholder-${key}`;
  return out;
}
