import { compilationStats, compileExpression } from '../../engine/jsonata/expression';
import { builtinsReady } from '../../engine/jsonata/runtime/functions';
import { compare, describeOutcome } from './oracle';

// What the compiler leaves to jsonata, on purpose: each is refused when compiled (or, for `$eval`, met at run
// time) and gives jsonata's own answer. Everything else in the case table compiles (native-share.test.ts).

beforeAll(() => builtinsReady);

test.each([
  // jsonata starts a constructor's items at once: a read that is more than `$x` races a sibling's binding
  ['[$x := 1, $string($x)]', 'a variable read beside the constructor item that binds it'],
  ['[$x := 1, $x := 2]', 'one variable bound by two items of a constructor'],
  ['[[$x := 1], $x]', 'variable binding inside an array or object constructor'],
  // computed keys group the items: a value is evaluated once per group, all at once
  ['{"a" & "": $x := 1, "b": $x}', 'variable binding inside an array or object constructor'],
  // a filter on a tail call reads the call's thunk itself
  ['function($x) { ($string($x))[$ = "5"] }(5)', 'a filter other than an index on a tail call'],
  ['function($x) { ($string($x)){"a": 1} }(5)', 'grouping on a tail call'],
  // after an order-by inside a tuple stream, a filter sees jsonata's tuple objects
  ['[3, 1, 2]#$i^($)[$i > 0]', 'a filter after an order-by of a tuple stream'],
  ['$.$#$i^($)[$ > 10]', 'a filter after an order-by of a tuple stream'],
])('%s runs on jsonata (%s)', async (source, reason) => {
  const before = compilationStats().reasons[reason] ?? 0;
  expect(compileExpression(source).compiled).toBe(false);
  expect(compilationStats().reasons[reason]).toBe(before + 1);
  const result = await compare(source, {});
  if (!result.same) throw new Error(`compiled ${describeOutcome(result.native)} vs jsonata ${describeOutcome(result.oracle)}`);
});

test('a text given to $eval that binds a variable at its top level is run on jsonata (it binds in the caller\'s frame)', async () => {
  const source = '($x := 1; $eval("$x := 2"); $x)';
  expect(compileExpression(source).compiled).toBe(true);
  const before = compilationStats().runtimeFallbacks;
  await expect(compileExpression(source).evaluate({})).resolves.toBe(2);
  expect(compilationStats().runtimeFallbacks).toBe(before + 1);
});
