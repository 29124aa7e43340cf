import { compileExpression, setDefaultLimits } from '../../engine/jsonata/expression';
import { DEFAULT_LIMITS } from '../../engine/jsonata/runtime/guard';
import { mappingError } from '../../engine/compile/expression';
import { outcome } from './oracle';

// Bounded evaluation on both paths: too deep → D1011, too long → D1012 (jsonata's own guardrail codes), too long a
// string → D1014. test/security/mapping-limits.test.ts holds the hostile inputs.

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

test.each([true, false])('strings past maxStringLength fail with D1014, the process alive (compiled: %s)', async (native) => {
  const expression = compileExpression('$pad("x", width)', { native, limits: { maxStringLength: 100 } });
  await expect(expression.evaluate({ width: 100 })).resolves.toHaveLength(100);
  const result = await outcome(() => expression.evaluate({ width: 500_000_000 }));
  expect(result.ok ? 'no error' : result.code).toBe('D1014');
});

test('evaluateSync keeps the string limit and the time budget inside built-ins', () => {
  expect(() => compileExpression('$pad("", 2e9)').evaluateSync!({})).toThrow(expect.objectContaining({ code: 'D1014' }));
  const slow = compileExpression('$count($zip([1..10000000], [1..10000000], [1..10000000]))', { limits: { timeoutMs: 50 } });
  expect(() => slow.evaluateSync!({})).toThrow(expect.objectContaining({ code: 'D1012' }));
});

test('a D1014 or D1012 failure surfaces as UNIMAP_E_MAP_EVALUATION with the JSONata code', async () => {
  const failure = await outcome(() => compileExpression('$join([1..100].($pad("", 200000)))').evaluate({}));
  const error = mappingError(failure.ok ? undefined : failure.error, 'mapping');
  expect(error).toMatchObject({ code: 'UNIMAP_E_MAP_EVALUATION', details: { jsonata_code: 'D1014' } });
});

test('setDefaultLimits applies to expressions compiled afterwards', async () => {
  setDefaultLimits({ maxStringLength: 10 });
  try {
    const result = await outcome(() => compileExpression('"0123456789" & "x"').evaluate({}));
    expect(result.ok ? 'no error' : result.code).toBe('D1014');
  } finally {
    setDefaultLimits(DEFAULT_LIMITS);
  }
  await expect(compileExpression('"0123456789" & "x"').evaluate({})).resolves.toBe('0123456789x');
});
