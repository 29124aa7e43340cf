import fc from 'fast-check';
import { builtinsReady } from '../../engine/jsonata/runtime/functions';
import { constructExpression, expression, rootInput, usable } from './grammar';
import { compare, describeOutcome } from './oracle';

// Differential property test: random expressions from the grammar on random JSON inputs, evaluated by the
// compiled code and by jsonata: identical results or identical error codes.

beforeAll(() => builtinsReady);

test.each([
  ['generated expressions', expression, 1500, 0.97],
  // order-by, grouping, partial application, chains, lambdas called at once, signatures, %, @, #, transforms, $eval
  ['the constructs beyond paths and calls', constructExpression, 1000, 0.97],
] as const)('compiled = jsonata on %s and inputs', async (_label, arbitrary, runs, share) => {
  let total = 0;
  let native = 0;
  await fc.assert(
    fc.asyncProperty(arbitrary.filter(usable), fc.array(rootInput, { minLength: 1, maxLength: 3 }), async (source, inputs) => {
      total++;
      for (const input of inputs) {
        const result = await compare(source, input);
        if (result.compiled && input === inputs[0]) native++;
        if (!result.same) throw new Error(`${source}\ninput ${JSON.stringify(input)}\ncompiled ${describeOutcome(result.native)} (async ${describeOutcome(result.nativeAsync)})\njsonata ${describeOutcome(result.oracle)}`);
      }
    }),
    { numRuns: Number(process.env.DIFF_RUNS ?? runs), seed: Number(process.env.DIFF_SEED ?? 20261123), endOnFailure: true },
  );
  expect(native / total).toBeGreaterThan(share);
}, 120_000);
