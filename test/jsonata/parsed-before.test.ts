import { compileExpression } from '../../engine/jsonata/expression';
import { canonical, outcome } from './oracle';

// A text an earlier load parsed without errors is parsed when first used: the same results, nothing done before.
test('an expression parsed before evaluates, compiles and shows its tree as one parsed now', async () => {
  const source = '{ "id": $string(id), "names": [a, b][$ != "x"] }';
  const now = compileExpression(source);
  const later = compileExpression(source, { parsedBefore: true });
  expect(canonical(await later.evaluate({ id: 5, a: 'x', b: 'y' }))).toEqual(canonical(await now.evaluate({ id: 5, a: 'x', b: 'y' })));
  expect(later.compiled).toBe(true);
  expect(later.ast()).toEqual(now.ast());
});

test('nothing is parsed until then: a text that does not parse fails at its first use', async () => {
  expect(() => compileExpression('a +')).toThrow();
  const later = compileExpression('a +', { parsedBefore: true });
  const result = await outcome(() => later.evaluate({ a: 1 }));
  expect(result.ok ? 'no error' : result.code).toMatch(/^S0\d{3}$/);
});
