import fc from 'fast-check';
import { builtinsReady } from '../../engine/jsonata/runtime/functions';
import { expression, rootInput, usable } from './grammar';
import { compare, describeOutcome } from './oracle';

// Differential property test: random expressions from the grammar on random JSON inputs, evaluated by the
// compiled code and by jsonata: identical results or identical error codes.

beforeAll(() => builtinsReady);

test('compiled = jsonata on generated expressions and inputs', async () => {
  let total = 0;
  let native = 0;
  await fc.assert(
    fc.asyncProperty(expression.filter(usable), fc.array(rootInput, { minLength: 1, maxLength: 3 }), async (source, inputs) => {
      total++;
      for (const input of inputs) {
        const result = await compare(source, input);
        if (result.compiled && input === inputs[0]) native++;
        if (!result.same) throw new Error(`${source}\ninput ${JSON.stringify(input)}\ncompiled ${describeOutcome(result.native)} (async ${describeOutcome(result.nativeAsync)})\njsonata ${describeOutcome(result.oracle)}`);
      }
    }),
    { numRuns: Number(process.env.DIFF_RUNS ?? 1500), seed: 20261123, endOnFailure: true },
  );
  expect(native / total).toBeGreaterThan(0.9);
}, 120_000);
