import type { CompiledMethod, CompiledResource, Registry } from '../compile/compiled';
import type { Evaluator } from '../compile/expression';
import type { FixtureFile } from '../load/fixture-files';
import { toPointer } from '../load/yaml-source';
import { fieldsRead } from './fields-read';
import type { Problem } from './problem';

/**
 * Does a definition do what it declares? Compares `supported` with the unified fields its request mappings read,
 * `response_supported` with the fields its fixtures' outputs hold, and checks each method has a success and an
 * error fixture. Reported as warnings by `unimap validate` (errors with --strict).
 */
export function checkDeclaredVsActual(registry: Registry, fixtures: FixtureFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const integration of registry.integrations.values()) {
    for (const resource of integration.resources.values()) {
      const cases = fixtures.filter((f) => f.integration === integration.name && f.resource === resource.key).flatMap((f) => f.cases);
      for (const method of resource.methods.values()) {
        if (method.unsupported !== undefined) continue;
        const warn = (message: string, ...path: (string | number)[]) =>
          problems.push({ code: 'UNIMAP_E_DEF_DECLARED', severity: 'warning', message, position: resource.source.positionOf(toPointer([...methodPath(method), ...path])) });
        checkRequestFields(resource, method, warn);
        if (method.name === 'list') checkFilters(resource, method, warn);
        const own = cases.filter((c) => c.method === method.name);
        // an account's override adds its own fields to the output; what the definition fills is shown without one
        checkResponseFields(method, own.filter((c) => !c.overrides), warn);
        if (!own.some((c) => !c.expect.error)) warn(`${method.name} has no success fixture in mappings/${integration.name}/tests/`);
        if (!own.some((c) => c.expect.error)) warn(`${method.name} has no error fixture in mappings/${integration.name}/tests/`);
      }
    }
  }
  return problems;
}

type Warn = (message: string, ...path: (string | number)[]) => void;

function methodPath(method: CompiledMethod): string[] {
  return ['list', 'get', 'create', 'update', 'delete'].includes(method.name) ? [method.name] : ['custom', method.name];
}

function checkRequestFields(resource: CompiledResource, method: CompiledMethod, warn: Warn): void {
  const unified = new Set(resource.unified.requestFields(method.name));
  const expressions: (Evaluator | undefined)[] = [method.body, ...[...method.before, ...method.after].flatMap((s) => [s.runIf, s.body, s.query])];
  const read = new Set<string>();
  for (const expression of expressions) if (expression) for (const field of fieldsRead(expression.expression.ast())) read.add(field);
  method.supported.forEach((field, i) => {
    if (!read.has(field)) warn(`"${field}" is declared supported but no request mapping reads it`, 'supported', i);
  });
  // a body inherited from a shared file (extends) maps every attribute of a standard; the provider's `supported`
  // says which it takes, and the others are left out before the mapping runs
  const inherited = method.body?.position !== undefined && method.body.position.file !== resource.source.file;
  for (const field of read) {
    if (!inherited && unified.has(field) && !method.supported.includes(field)) warn(`the request mapping reads "${field}" but supported does not declare it`, 'body');
  }
}

/** The unified filters a list reads (its query mapping, $query in templates) against the ones it declares. */
function checkFilters(resource: CompiledResource, method: CompiledMethod, warn: Warn): void {
  const read = new Set<string>();
  const add = (fields: Set<string>) => fields.forEach((f) => read.add(f));
  if (method.query) add(fieldsRead(method.query.expression.ast(), 'query', true));
  // a list whose filter travels in the request body (a command API such as LastPass's) reads $query there
  if (method.body) add(fieldsRead(method.body.expression.ast(), 'query', false));
  for (const step of method.before) for (const e of [step.runIf, step.query, step.body]) if (e) add(fieldsRead(e.expression.ast(), 'query', false));
  const requests = [method.request, ...method.before.map((s) => s.request)].filter((r) => r !== undefined);
  const templates = requests.flatMap((r) => [r.path, ...Object.values(r.query), ...Object.values(r.headers)]);
  for (const template of templates) for (const hole of template.expressions) add(fieldsRead(hole.expression.ast(), 'query', false));
  const filters = new Set(resource.unified.filterFields.filter((f) => read.has(f) && !(f in method.queryParams)));
  if (!method.filters) {
    warn(`list does not declare filters; it reads ${[...filters].join(', ') || 'none'} (undeclared filters are not refused)`);
    return;
  }
  method.filters.forEach((f, i) => {
    if (!filters.has(f)) warn(`filter "${f}" is declared but no query mapping reads it`, 'filters', i);
  });
  for (const f of filters) if (!method.filters.includes(f)) warn(`the query mapping reads filter "${f}" but filters does not declare it`, 'filters');
}

function checkResponseFields(method: CompiledMethod, cases: { expect: { result?: unknown; error?: string }; pages?: number }[], warn: Warn): void {
  const outputs = cases.filter((c) => !c.expect.error && c.expect.result !== undefined && c.expect.result !== null).flatMap((c) => recordsOf(c.expect.result, c.pages !== undefined));
  if (outputs.length === 0 || method.name === 'delete') return;
  const seen = new Set(outputs.flatMap((record) => Object.keys(record)));
  method.responseSupported.forEach((field, i) => {
    if (!seen.has(field)) warn(`"${field}" is declared in response_supported but no fixture output of ${method.name} contains it`, 'response_supported', i);
  });
  for (const field of seen) {
    if (field !== 'remote_data' && !method.responseSupported.includes(field)) warn(`fixture outputs of ${method.name} contain "${field}", which response_supported does not declare`, 'response_supported');
  }
}

function recordsOf(result: unknown, paged: boolean): Record<string, unknown>[] {
  const pages = paged && Array.isArray(result) ? result : [result];
  return pages.flatMap((page) => {
    const list = (page as { result?: unknown }).result;
    if (Array.isArray(list)) return list as Record<string, unknown>[];
    return typeof page === 'object' && page !== null ? [page as Record<string, unknown>] : [];
  });
}
