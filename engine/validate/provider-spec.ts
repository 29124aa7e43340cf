import { load as loadYaml } from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A provider's own API description (OpenAPI 3 or Swagger 2, JSON or YAML), read only as far as the checks need:
 * the request body schema of an operation found by HTTP method and path.
 */
export interface ProviderSpec {
  /** The schema of the JSON request body of `method path`; `undefined` when the spec has no such operation. */
  requestSchema(method: string, path: string): { schema: SpecSchema | undefined } | undefined;
  /** Resolve a `$ref` (local ones only) and merge `allOf`. */
  resolve(schema: SpecSchema): SpecSchema;
}

export interface SpecSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SpecSchema>;
  additionalProperties?: boolean | SpecSchema;
  items?: SpecSchema;
  allOf?: SpecSchema[];
  oneOf?: SpecSchema[];
  anyOf?: SpecSchema[];
}

type Operation = { requestBody?: { $ref?: string; content?: Record<string, { schema?: SpecSchema }> }; parameters?: { in?: string; schema?: SpecSchema; $ref?: string }[] };
type SpecDocument = { paths?: Record<string, Record<string, Operation>>; [key: string]: unknown };

/** Read a spec file; a message when it cannot be used. */
export function readProviderSpec(folder: string, file: string): ProviderSpec | string {
  const path = join(folder, file);
  if (!existsSync(path)) return `spec file ${file} not found (the path is relative to the integration folder)`;
  let document: SpecDocument;
  try {
    document = loadYaml(readFileSync(path, 'utf8')) as SpecDocument;
  } catch (error) {
    return `spec file ${file} is not JSON or YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  if (!document || typeof document !== 'object' || typeof document.paths !== 'object') return `spec file ${file} has no "paths": only OpenAPI 3 and Swagger 2 documents are read`;
  return createSpec(document);
}

function createSpec(document: SpecDocument): ProviderSpec {
  const pointer = (ref: string): unknown => {
    if (!ref.startsWith('#/')) return undefined;
    return ref.slice(2).split('/').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);
  };
  const deref = <T extends { $ref?: string }>(value: T | undefined, depth = 0): T | undefined =>
    value?.$ref && depth < 20 ? deref(pointer(value.$ref) as T | undefined, depth + 1) : value;
  const resolve = (schema: SpecSchema, depth = 0): SpecSchema => {
    const own = deref(schema) ?? {};
    if (!own.allOf || depth > 20) return own;
    const parts = own.allOf.map((s) => resolve(s, depth + 1));
    return { ...own, properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), own.properties ?? {}) as Record<string, SpecSchema> };
  };
  return {
    resolve,
    requestSchema(method, path) {
      const operation = findOperation(document, method.toLowerCase(), path);
      if (!operation) return undefined;
      const body = deref(operation.requestBody);
      const media = body?.content ? body.content['application/json'] ?? Object.values(body.content)[0] : undefined;
      const swagger = operation.parameters?.map((p) => deref(p)).find((p) => p?.in === 'body');
      return { schema: media?.schema ?? swagger?.schema };
    },
  };
}

/**
 * The operation for a request path written as a template (`/api/v1/users/{{ $params.id }}`): the spec's `{param}`
 * segments match any segment, and the shorter path may be the tail of the longer one, since a base URL or a spec's
 * server may hold the leading segments (`/api/3`).
 */
function findOperation(document: SpecDocument, method: string, templatePath: string): Operation | undefined {
  const wanted = segments(templatePath.replace(/\{\{[\s\S]*?\}\}/g, '{}'));
  let best: { operation: Operation; score: number } | undefined;
  for (const [specPath, item] of Object.entries(document.paths ?? {})) {
    const operation = item?.[method];
    if (!operation) continue;
    const have = segments(specPath);
    const n = Math.min(have.length, wanted.length);
    // a spec parameter takes any segment; a template hole only a parameter (it holds a value, never a fixed name)
    const tailMatches = Array.from({ length: n }, (_, i) => [have[have.length - 1 - i]!, wanted[wanted.length - 1 - i]!]).every(([spec, template]) => spec === template || isParam(spec));
    if (!tailMatches) continue;
    const score = n * 2 + (have.length === wanted.length ? 1 : 0);
    if (!best || score > best.score) best = { operation, score };
  }
  return best?.operation;
}

function segments(path: string): string[] {
  const pathname = /^https?:\/\//.test(path) ? path.replace(/^https?:\/\/[^/]+/, '') : path;
  return pathname.split('?')[0]!.split('/').filter((s) => s !== '');
}

function isParam(segment: string): boolean {
  return /^\{[^}]*\}$/.test(segment);
}
