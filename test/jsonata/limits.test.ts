import { compileExpression } from '../../engine/jsonata/expression';
import { outcome } from './oracle';

// Bounded evaluation on both paths: too deep → D1011, too long → D1012 (jsonata's own guardrail codes).

const deep = '($f := function($n) { 1 + $f($n + 1) }; $f(0))';
const long = '$sum([1..3000].($sum([1..3000].($ * 2))))';

test.each([true, false])('recursion depth is bounded (compiled: %s)', async (native) => {
  const expression = compileExpression(deep, { native, limits: { maxDepth: 100 } });
  expect(expression.compiled).toBe(native);
  const result = await outcome(() => expression.evaluate({}));
  expect(result.ok ? 'no error' : result.code).toBe('D1011');
});

test.each([true, false])('evaluation time is bounded (compiled: %s)', async (native) => {
  const expression = compileExpression(long, { native, limits: { timeoutMs: 50 } });
  const started = Date.now();
  const result = await outcome(() => expression.evaluate({}));
  expect(result.ok ? 'no error' : result.code).toBe('D1012');
  expect(Date.now() - started).toBeLessThan(20_000);
});

test('evaluateSync: same limits, and a clear code when something asynchronous is involved', async () => {
  const expression = compileExpression(deep, { limits: { maxDepth: 100 } });
  expect(() => expression.evaluateSync!({})).toThrow(expect.objectContaining({ code: 'D1011' }));
  const viaBinding = compileExpression('$f(1)');
  expect(() => viaBinding.evaluateSync!({}, { f: async () => 2 })).toThrow(expect.objectContaining({ code: 'U0001' }));
  await expect(viaBinding.evaluate({}, { f: async () => 2 })).resolves.toBe(2);
  expect(compileExpression('"a" & "b"').evaluateSync!({})).toBe('ab');
  // a binding that replaces a function the expression calls is honoured on the synchronous path too
  const overriding = compileExpression('$str(id) & "/" & $uppercase(id)');
  expect(overriding.evaluateSync!({ id: 'x' })).toBe('x/X');
  expect(overriding.evaluateSync!({ id: 'x' }, { str: (v: string) => `<${v}>` })).toBe('<x>/X');
});
