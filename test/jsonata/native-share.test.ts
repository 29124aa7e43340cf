import fc from 'fast-check';
import { compilationStats, compileExpression } from '../../engine/jsonata/expression';
import { builtinsReady } from '../../engine/jsonata/runtime/functions';
import { allCases } from './cases';
import { CONSTRUCT_CASES } from './cases-constructs';
import { constructExpression, expression, usable } from './grammar';

// The native share per construct: how many expressions compile to JavaScript rather than run on jsonata, over the
// case table (by group) and over generated expressions, with the reasons of the rest (from compilationStats()).
// `bench/constructs.ts` prints the same table.

interface Share { total: number; native: number; reasons: Record<string, number> }

function share(sources: string[]): Share {
  const before = compilationStats();
  let native = 0;
  let total = 0;
  for (const source of sources) {
    let compiled: boolean;
    try {
      compiled = compileExpression(source).compiled;
    } catch {
      continue; // does not parse (a case about a syntax error)
    }
    total++;
    if (compiled) native++;
  }
  const after = compilationStats();
  const reasons: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after.reasons)) if (count > (before.reasons[reason] ?? 0)) reasons[reason] = count - (before.reasons[reason] ?? 0);
  return { total, native, reasons };
}

beforeAll(() => builtinsReady);

test('native share per construct, over the case table and generated expressions', () => {
  const table = allCases();
  const rows: [string, Share][] = Object.keys(CONSTRUCT_CASES).map((group) => [group, share(table.filter((c) => c.group === group).map((c) => c.kase.expr))]);
  rows.push(['case table, all groups', share(table.map((c) => c.kase.expr))]);
  rows.push(['generated constructs', share(fc.sample(constructExpression.filter(usable), { numRuns: 1000, seed: 7 }))]);
  rows.push(['generated expressions', share(fc.sample(expression.filter(usable), { numRuns: 1000, seed: 7 }))]);
  const report = rows.map(([label, s]) => `${label.padEnd(28)} ${s.native}/${s.total}${Object.keys(s.reasons).length ? `  on jsonata: ${JSON.stringify(s.reasons)}` : ''}`);
  console.log(`native compilation\n${report.join('\n')}`);

  // every expression of the case table and the generated sets compiles
  for (const [label, s] of rows) expect({ label, fallback: s.total - s.native }).toEqual({ label, fallback: 0 });
});
