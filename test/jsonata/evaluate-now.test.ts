import { compileExpression } from '../../engine/jsonata/expression';
import { canonical, outcome } from './oracle';

// evaluateNow is evaluate without its Promise when none is needed (lists map every record of a page through it):
// the same value or the same error, synchronously when the compiled code completes in its first slice.
async function settle(run: () => unknown): Promise<unknown> {
  const result = await outcome(async () => run());
  return result.ok ? canonical(result.value) : ['error', result.code];
}

// (every row has its bindings: a row shorter than the test's parameters makes jest pass a `done` callback)
const cases: [string, unknown, Record<string, unknown>][] = [
  ['{ "id": $string(id), "names": [a, b] }', { id: 5, a: 'x', b: 'y' }, {}],
  ['$sum(items.price)', { items: [{ price: 1 }, { price: 2 }] }, {}],
  ['$uppercase(name) & $suffix', { name: 'ada' }, { suffix: '!' }],
  ['$number("x") + 1', {}, {}],
  ['$undefinedFunction(1)', {}, {}],
  ['items[price > 1]', { items: [{ price: 1 }, { price: 2 }] }, {}],
];

test.each(cases)('%s: the same outcome as evaluate', async (source, input, bindings) => {
  for (const native of [true, false]) {
    const expression = compileExpression(source, { native });
    const expected = await settle(() => expression.evaluate(input, bindings));
    expect(await settle(() => expression.evaluateNow!(input, bindings))).toEqual(expected);
  }
});

test('no Promise for compiled code that completes synchronously; a Promise when something is asynchronous', async () => {
  const sync = compileExpression('{ "a": a + 1 }');
  await sync.evaluate({ a: 1 }); // built-ins are ready
  const value = sync.evaluateNow!({ a: 1 });
  expect(value).not.toBeInstanceOf(Promise);
  expect(canonical(value)).toEqual(canonical({ a: 2 }));
  const slow = compileExpression('$later(a)');
  const later = slow.evaluateNow!({ a: 1 }, { later: async (n: number) => n * 10 });
  expect(later).toBeInstanceOf(Promise);
  expect(await later).toBe(10);
  const interpreted = compileExpression('a + 1', { native: false }).evaluateNow!({ a: 1 });
  expect(interpreted).toBeInstanceOf(Promise);
  expect(await interpreted).toBe(2);
});
