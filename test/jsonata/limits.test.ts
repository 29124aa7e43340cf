import { compilationStats, compileExpression, setDefaultLimits } from '../../engine/jsonata/expression';
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

// jsonata runs a call in tail position on its trampoline: a tail-recursive lambda may recurse far deeper than the
// depth limit, on both paths, while the depth of real nesting stays bounded
const tailLoop = '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(100000, 0))';
const tailMutual = '($even := function($n) { $n = 0 ? true : $odd($n - 1) }; $odd := function($n) { $n = 0 ? false : $even($n - 1) }; $even(100001))';
const tailSigned = '($loop := function($n, $acc)<nn:n> { $n = 0 ? $acc : ($n % 2 = 0 ? $loop($n - 1, $acc + $n) : $loop($n - 1, $acc)) }; $loop(100000, 0))';

test.each([true, false])('100,000 tail calls answer with the default depth limit (compiled: %s)', async (native) => {
  // (the interpreter takes a while for each: one is enough there)
  const cases = [[tailLoop, 5000050000], [tailMutual, false], [tailSigned, 2500050000]] as const;
  for (const [source, expected] of native ? cases : cases.slice(0, 1)) {
    const expression = compileExpression(source, { native, limits: { timeoutMs: 30_000 } });
    expect(expression.compiled).toBe(native);
    await expect(expression.evaluate({})).resolves.toBe(expected);
  }
  // the same recursion made non-tail (`1 + …`) still ends in D1011
  const nested = compileExpression('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))', { native });
  const result = await outcome(() => nested.evaluate({}));
  expect(result.ok ? 'no error' : result.code).toBe('D1011');
}, 60_000);

test('tail calls run in constant depth on the synchronous path too', () => {
  expect(compileExpression(tailLoop).evaluateSync!({})).toBe(5000050000);
});

test('a chain of functions (`$uppercase ~> $trim`) is decided at compile time: no re-run on jsonata', async () => {
  const before = compilationStats().runtimeFallbacks;
  const expressions = ['("  ab " ~> $uppercase ~> $trim)', '($c := $uppercase ~> $trim; $c("  x "))', '($c := $substring(?, 1) ~> $uppercase; $map(["ab", "cd"], $c))'];
  const results = [];
  for (const source of expressions) {
    const expression = compileExpression(source);
    expect(expression.compiled).toBe(true);
    results.push(await expression.evaluate({}));
  }
  expect(JSON.parse(JSON.stringify(results))).toEqual(['AB', 'X', ['B', 'D']]);
  expect(compilationStats().runtimeFallbacks).toBe(before);
});

/** The code of the error at the bottom of a chain of D3121s. */
function innermost(error: unknown): unknown {
  let e = error as { code?: unknown; error?: unknown };
  while (e.code === 'D3121' && typeof e.error === 'object' && e.error !== null) e = e.error as typeof e;
  return e.code;
}

// `$eval` in tail position, as a value and partially applied runs compiled (texts included) and stays bounded
const evalDeep = ['($f := function($n) { $eval("$f($n + 1)") + 1 }; $f(0))', '($e := $eval; $f := function($n) { $e("$f($n + 1)") + 1 }; $f(0))'];
const evalLong = ['($f := function($n) { $eval("$sum([1..3000].($sum([1..3000].($ * 2))))") }; $f(0))', '($p := $eval(?); $p("$sum([1..3000].($sum([1..3000].($ * 2))))"))'];

test.each([true, false])('$eval in tail position, as a value, partially applied: D1011 and D1012 hold (compiled: %s)', async (native) => {
  const before = compilationStats().runtimeFallbacks;
  for (const source of evalDeep) {
    const expression = compileExpression(source, { native, limits: { maxDepth: 100 } });
    expect(expression.compiled).toBe(native);
    const result = await outcome(() => expression.evaluate({}));
    // jsonata reports it as every level reports an error inside $eval: D3121 around D1011
    expect({ source, code: result.ok ? 'no error' : innermost(result.error) }).toEqual({ source, code: 'D1011' });
  }
  for (const source of evalLong) {
    const expression = compileExpression(source, { native, limits: { timeoutMs: 50 } });
    const result = await outcome(() => expression.evaluate({}));
    expect({ source, code: result.ok ? 'no error' : innermost(result.error) }).toEqual({ source, code: 'D1012' });
  }
  expect(compilationStats().runtimeFallbacks).toBe(before);
}, 60_000);

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
