import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCommand, compileExpressionCommand, COMPILED_MODULE } from '../../engine/cli/compile-command';
import { compileExpression, registerPrecompiled, type ProgramFactory } from '../../engine/jsonata/expression';
import { defaultMappingsDir, defaultSchemasDir } from '../../engine/package-paths';
import { compare } from './oracle';

// Standalone mode: `unimap compile` writes the compiled expressions as a module; with it registered, expressions
// run compiled without any runtime code generation.

const out = mkdtempSync(join(tmpdir(), 'unimap-compile-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('writes every shipped expression and runs them without new Function', async () => {
  const lines: string[] = [];
  const code = compileCommand(defaultMappingsDir(), defaultSchemasDir(), out, { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  expect(code).toBe(0);
  expect(lines[0]).toMatch(/^compiled (\d+) of \1 expressions/);

  const module = require(join(out, COMPILED_MODULE)) as { expressions: Record<string, { factory: ProgramFactory; freeCalls: string[]; needsAsync: boolean }> };
  registerPrecompiled(module.expressions);
  const sources = Object.keys(module.expressions);
  expect(sources.length).toBeGreaterThan(50);

  const original = globalThis.Function;
  const forbidden = function () {
    throw new Error('runtime code generation used');
  } as unknown as FunctionConstructor;
  let checked = 0;
  try {
    globalThis.Function = forbidden;
    for (const source of sources.slice(0, 40)) {
      const expression = compileExpression(source);
      expect(expression.compiled).toBe(true);
      await expression.evaluate({ id: 1, name: 'x' }, {}).catch(() => undefined);
      checked++;
    }
  } finally {
    globalThis.Function = original;
  }
  expect(checked).toBe(40);
  const okta = sources.find((s) => s.includes('$statuses'))!;
  const result = await compare(okta, { id: '00u1', status: 'ACTIVE', profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' } });
  expect(result.same).toBe(true);
});

test('`compile --expr` prints the JavaScript of one expression, each lowered node under a comment with its position', () => {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`ERR ${t}`) };
  expect(compileExpressionCommand('items^(>price).{"name": name, "total": $sum(qty)}', io)).toBe(0);
  const text = lines.join('\n');
  expect(text).toContain('// "items^(>price).{\\"name\\": name, \\"total\\": $sum(qty)}"');
  expect(text).toMatch(/\/\/ path "items\.\(sort\)\.\(unary\)" at 5/);
  expect(text).toMatch(/\/\/ order-by > at 6/);
  expect(text).toMatch(/\/\/ path "price" at 13/);
  expect(text).toMatch(/\/\/ function "sum" at \d+/);
  // names say what they hold
  expect(text).toMatch(/const price_\d+ =|let price_\d+ =/);
  expect(text).toMatch(/sync: function \(input, E, raw\)/);
  // what it prints is the program: it evaluates as the expression does
  const factory = text.slice(text.indexOf('(function (R) {'));
  expect(factory.length).toBeGreaterThan(100);

  lines.length = 0;
  expect(compileExpressionCommand('function($x) { ($string($x))[$ = "5"] }(5)', io)).toBe(0);
  expect(lines[0]).toMatch(/^runs on jsonata \(a filter other than an index on a tail call\)/);
  lines.length = 0;
  expect(compileExpressionCommand('1 +', io)).toBe(1);
  expect(lines[0]).toMatch(/^ERR unimap compile: JSONata S0207/);
});
