import type { CompiledMethod, CompiledResource, Registry } from '../compile/compiled';
import type { Evaluator } from '../compile/expression';
import type { FixtureFile } from '../load/fixture-files';
import { toPointer, type YamlSource } from '../load/yaml-source';
import { decodeBody } from '../transport/body-codec';
import { closest } from './did-you-mean';
import { remoteNamesRead } from './expression-names';
import type { Problem } from './problem';

/**
 * A response mapping that reads a remote field no recorded answer contains (`jobtitle` for `jobTitle`) maps
 * nothing, silently. The fixtures' remote answers are the evidence of what the provider sends: every field a
 * response, record or records mapping reads must appear in one of them, else it is a warning naming the nearest
 * field they do contain. Resources without fixtures are not judged.
 */
export function checkRemoteFields(registry: Registry, fixtures: FixtureFile[], options: { judgeShared?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const knownOf = new Map<CompiledResource, Set<string>>();
  for (const integration of registry.integrations.values()) {
    for (const resource of integration.resources.values()) {
      knownOf.set(resource, knownRemoteFields(fixtures.filter((f) => f.integration === integration.name && f.resource === resource.key), resource));
    }
  }
  for (const integration of registry.integrations.values()) {
    for (const resource of integration.resources.values()) {
      const known = knownOf.get(resource)!;
      if (known.size === 0) continue;
      for (const method of resource.methods.values()) {
        if (method.unsupported !== undefined) continue;
        for (const [key, evaluator] of [['records', method.records], ['record', method.record], ['response', method.response]] as const) {
          if (!evaluator) continue;
          // a mapping inherited from a shared file (extends) reads the attributes of a standard, not all of which
          // every provider sends: it is judged by the answers of every definition that shares it
          const shared = evaluator.position && evaluator.position.file !== resource.source.file ? evaluator.position.file : undefined;
          if (shared && options.judgeShared === false) continue;
          const judgedBy = shared ? sharedKnown(knownOf, shared) : known;
          problems.push(...unknownNames(evaluator, resource.source, [...methodPath(method), key], judgedBy, shared ? 'the fixtures of the definitions that extend it' : `${integration.name}'s fixtures`));
        }
      }
    }
  }
  return problems;
}

/** The remote fields known to the fixtures of every resource built on the shared file. */
function sharedKnown(knownOf: Map<CompiledResource, Set<string>>, file: string): Set<string> {
  const known = new Set<string>();
  for (const [resource, names] of knownOf) if ((resource.source.extended ?? []).some((s) => s.file === file)) names.forEach((n) => known.add(n));
  return known;
}

function unknownNames(evaluator: Evaluator, source: YamlSource, path: string[], known: Set<string>, evidence: string): Problem[] {
  const pointer = toPointer(path);
  const reported = new Set<string>();
  const problems: Problem[] = [];
  for (const { name, offset } of remoteNamesRead(evaluator.expression.ast(), evaluator.source)) {
    // once per name and expression: the first read is where to look
    if (known.has(name) || reported.has(name)) continue;
    reported.add(name);
    const hint = closest(name, known);
    problems.push({
      code: 'UNIMAP_E_DEF_REFERENCE',
      severity: 'warning',
      message: `the mapping reads the remote field "${name}", which no answer in ${evidence} contains${hint ? ` (did you mean "${hint}"?)` : '; add a fixture case whose answer has it, or fix the name'}`,
      position: source.positionInString(pointer, offset),
    });
  }
  return problems;
}

/** Every key at any depth of the fixtures' remote answers (decoded as the method's body format) and of their remote_data. */
function knownRemoteFields(fixtures: FixtureFile[], resource: CompiledResource): Set<string> {
  const known = new Set<string>();
  const format = [...resource.methods.values()][0]?.bodyFormat ?? 'json';
  for (const fixture of fixtures) {
    for (const kase of fixture.cases) {
      for (const exchange of kase.exchanges) {
        const body = exchange.response.body;
        if (typeof body !== 'string') collectKeys(body, known);
        else {
          const decoded = decodeBody(body, exchange.response.headers?.['content-type'] ?? exchange.response.headers?.['Content-Type'], format);
          if (decoded.ok) collectKeys(decoded.value, known);
        }
      }
      collectRemoteData(kase.expect.result, known);
    }
  }
  return known;
}

function collectRemoteData(result: unknown, known: Set<string>): void {
  if (Array.isArray(result)) return result.forEach((item) => collectRemoteData(item, known));
  if (!result || typeof result !== 'object') return;
  const record = result as Record<string, unknown>;
  if ('remote_data' in record) collectKeys(record['remote_data'], known);
  if (Array.isArray(record['result'])) collectRemoteData(record['result'], known);
}

function collectKeys(value: unknown, known: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((item) => collectKeys(item, known));
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    known.add(key);
    collectKeys(child, known);
  }
}

function methodPath(method: CompiledMethod): string[] {
  return ['list', 'get', 'create', 'update', 'delete'].includes(method.name) ? [method.name] : ['custom', method.name];
}
