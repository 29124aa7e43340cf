import { compileRegistry } from '../../engine/compile/compile-registry';
import type { Evaluator } from '../../engine/compile/expression';
import { loadFixtures } from '../../engine/conformance/fixture';
import { runFixtureCase } from '../../engine/conformance/run-fixtures';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { compileExpression, type MappingExpression } from '../../engine/jsonata/expression';
import { describeOutcome, outcome, sameOutcome } from './oracle';

// Every expression of every shipped definition compiles natively, and on the conformance fixtures every
// evaluation the engine makes gives what jsonata gives for the same input and bindings.

const { registry } = compileRegistry(defaultMappingsDir(), defaultSchemasDir());

function collect(value: unknown, out: Set<Evaluator>, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const v of value.values()) collect(v, out, seen);
    return;
  }
  const candidate = value as Partial<Evaluator>;
  if (typeof candidate.source === 'string' && typeof candidate.evaluate === 'function' && candidate.expression && typeof candidate.expression.ast === 'function') {
    out.add(candidate as Evaluator);
    return;
  }
  for (const v of Object.values(value)) collect(v, out, seen);
}

const evaluators = new Set<Evaluator>();
collect(registry.integrations, evaluators);
const expressions = [...new Set([...evaluators].map((e) => e.expression))];

test('the registry holds the shipped expressions', () => {
  expect(expressions.length).toBeGreaterThan(50);
});

test('every shipped expression compiles natively (no jsonata fallback)', () => {
  const fallback = expressions.filter((e) => !e.compiled).map((e) => e.source);
  expect(fallback).toEqual([]);
});

const oracles = new Map<string, MappingExpression>();
const mismatches: string[] = [];
let compared = 0;

for (const expression of expressions) {
  const original = expression.evaluate.bind(expression);
  (expression as { evaluate: MappingExpression['evaluate'] }).evaluate = async (input, bindings) => {
    let oracle = oracles.get(expression.source);
    if (!oracle) oracles.set(expression.source, (oracle = compileExpression(expression.source, { native: false })));
    const native = await outcome(() => original(input, bindings));
    const reference = await outcome(() => oracle!.evaluate(input, bindings));
    compared++;
    if (!sameOutcome(native, reference)) {
      mismatches.push(`${expression.source.replace(/\s+/g, ' ').slice(0, 120)}\n  compiled: ${describeOutcome(native)}\n  jsonata:  ${describeOutcome(reference)}`);
    }
    if (native.ok) return native.value;
    throw native.error;
  };
}

const fixtures = loadFixtures(defaultMappingsDir()).filter((f) => registry.integrations.has(f.integration));

describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
  test.each(fixture.cases.map((c) => [`${c.method}: ${c.name}`, c] as const))('%s: compiled = jsonata on every evaluation', async (_name, kase) => {
    const before = mismatches.length;
    await runFixtureCase(registry, fixture, kase);
    expect(mismatches.slice(before)).toEqual([]);
  });
});

test('fixtures exercised the compiled expressions', () => {
  expect(compared).toBeGreaterThan(100);
});
