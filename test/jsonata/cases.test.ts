import { allCases } from './cases';
import { compare, describeOutcome } from './oracle';
import { builtinsReady } from '../../engine/jsonata/runtime/functions';

// Compiled vs jsonata on every case of the table: identical results or identical error codes.
const cases = allCases();
let native = 0;

beforeAll(() => builtinsReady);

describe.each(cases.map((c) => [`${c.group} #${c.index}: ${c.kase.expr}`, c] as const))('%s', (_label, { kase }) => {
  test('matches jsonata', async () => {
    const result = await compare(kase.expr, kase.input, kase.bindings);
    if (result.compiled) native++;
    if (!result.same) throw new Error(`compiled ${describeOutcome(result.native)} (async ${describeOutcome(result.nativeAsync)}) vs jsonata ${describeOutcome(result.oracle)}`);
    for (const [field, wanted] of [['position', kase.position], ['token', kase.token]] as const) {
      if (wanted === undefined) continue;
      const where = (o: typeof result.oracle) => (o.ok ? 'no error' : (o.error as Record<string, unknown>)[field]);
      expect({ jsonata: where(result.oracle), compiled: where(result.native), async: where(result.nativeAsync) }).toEqual({ jsonata: wanted, compiled: wanted, async: wanted });
    }
    if (kase.error !== undefined) {
      expect(result.oracle.ok ? 'no error' : result.oracle.code).toBe(kase.error);
    } else if ('expect' in kase) {
      expect(result.oracle.ok).toBe(true);
      if (result.oracle.ok) expect(JSON.parse(JSON.stringify(result.oracle.value ?? null))).toEqual(kase.expect);
    }
  });
});

afterAll(() => {
  // the native share of the table (also printed by the bench); not a timing assertion
  expect(native / cases.length).toBeGreaterThan(0.99);
});
