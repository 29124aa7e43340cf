import { join } from 'node:path';
import type { CompiledIntegration, CompiledMethod, CompiledRequest, CompiledResource, Registry } from '../compile/compiled';
import type { Evaluator } from '../compile/expression';
import { toPointer } from '../load/yaml-source';
import { shapeOf, type Shape } from './body-shape';
import { closest } from './did-you-mean';
import type { Problem } from './problem';
import { readProviderSpec, type ProviderSpec, type SpecSchema } from './provider-spec';

/**
 * Where an integration names its provider's spec (`spec:` in integration.yaml, relative to its folder), every body
 * mapping's literal keys are compared with the request schema of the operation it calls, level by level: a key the
 * spec does not know (`firstname` for `firstName`) is a warning with the nearest known key. A request no spec
 * operation matches is a warning too (a wrong path or method).
 */
export function checkSpecBodies(registry: Registry, mappingsDir: string): Problem[] {
  const problems: Problem[] = [];
  for (const integration of registry.integrations.values()) {
    const file = integration.def.spec;
    if (!file) continue;
    const spec = readProviderSpec(join(mappingsDir, integration.name), file);
    if (typeof spec === 'string') {
      problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', severity: 'warning', message: spec, position: integration.source.positionOf('/spec') });
      continue;
    }
    for (const resource of integration.resources.values()) {
      for (const method of resource.methods.values()) {
        if (method.unsupported !== undefined) continue;
        const base = methodPath(method);
        const calls: [string[], CompiledRequest | undefined, Evaluator | undefined][] = [
          [base, method.request, method.body],
          ...(['before', 'after'] as const).flatMap((key) => (key === 'before' ? method.before : method.after).map((s, i): [string[], CompiledRequest, Evaluator | undefined] => [[...base, key, String(i)], s.request, s.body])),
        ];
        for (const [path, request, body] of calls) if (request) problems.push(...checkCall(spec, file, integration, resource, path, request, body));
      }
    }
  }
  return problems;
}

function checkCall(spec: ProviderSpec, file: string, integration: CompiledIntegration, resource: CompiledResource, path: string[], request: CompiledRequest, body: Evaluator | undefined): Problem[] {
  const found = spec.requestSchema(request.method, request.path.source);
  const warn = (message: string, position = resource.source.positionOf(toPointer([...path, 'request', 'path']))): Problem => ({ code: 'UNIMAP_E_DEF_REFERENCE', severity: 'warning', message, position });
  if (!found) return [warn(`the provider spec (${file}) has no ${request.method} operation for ${request.path.source}`)];
  if (!body || !found.schema) return [];
  const problems: Problem[] = [];
  const pointer = toPointer([...path, 'body']);
  compare(shapeOf(body.expression.ast(), body.source), found.schema, spec, (key, offset, known) => {
    const hint = closest(key, known);
    const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, …` : known.join(', ');
    problems.push(warn(
      `the body writes "${key}", which ${integration.label}'s spec (${file}) does not know here${hint ? ` (did you mean "${hint}"?)` : ''}; it knows: ${list}`,
      resource.source.positionInString(pointer, offset),
    ));
  });
  return problems;
}

function compare(shape: Shape, schema: SpecSchema, spec: ProviderSpec, report: (key: string, offset: number, known: string[]) => void): void {
  const resolved = spec.resolve(schema);
  if (shape.kind === 'array') {
    if (resolved.items) compare(shape.items, resolved.items, spec, report);
    return;
  }
  if (shape.kind !== 'object') return;
  // oneOf/anyOf variants: a key any variant knows is known
  const variants = [resolved, ...[...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])].map((s) => spec.resolve(s))];
  const properties: Record<string, SpecSchema> = Object.assign({}, ...variants.map((v) => v.properties ?? {}));
  const open = variants.some((v) => v.additionalProperties === true || typeof v.additionalProperties === 'object');
  const known = Object.keys(properties);
  if (known.length === 0) return; // the spec says nothing about this object's keys
  for (const [key, written] of shape.keys) {
    const child = properties[key];
    if (child) compare(written.value, child, spec, report);
    else if (!open) report(key, written.offset, known);
  }
}

function methodPath(method: CompiledMethod): string[] {
  return ['list', 'get', 'create', 'update', 'delete'].includes(method.name) ? [method.name] : ['custom', method.name];
}
