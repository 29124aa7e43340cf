/**
 * Per-construct bench: the constructs compiled beyond plain paths and calls (order-by, grouping, partial
 * application, chains, lambdas called at once, signatures, `%`, `@`/`#`, transforms, `$eval`, tail calls), each
 * on its own cases, compiled vs the jsonata interpreter (the bounded one the engine falls back to) in the same run,
 * contenders taking turns; then the native share per construct over the case table and generated expressions.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/constructs.js
 *
 * Prints a table and writes bench/results/constructs.json. Numbers, not assertions.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { compilationStats, compileExpression, type MappingExpression } from '../engine/jsonata/expression';
import { builtinsReady } from '../engine/jsonata/runtime/functions';
import { allCases } from '../test/jsonata/cases';
import { CONSTRUCT_CASES } from '../test/jsonata/cases-constructs';
import { constructExpression, usable } from '../test/jsonata/grammar';

const CATEGORIES = ['hats', 'coats', 'gloves', 'scarves'];
const record = {
  items: Array.from({ length: 20 }, (_, i) => ({
    name: ` Item ${(i * 7) % 20} `, category: CATEGORIES[i % 4], price: ((i * 37) % 50) + 0.5, qty: (i % 5) + 1, tags: [`t${i % 3}`, `u${i % 2}`],
  })),
  orders: Array.from({ length: 10 }, (_, i) => ({ id: `o${i}`, item: ` Item ${(i * 3) % 20} ` })),
  formula: 'price * qty',
};

/** Representative expressions per construct (each evaluated on `record`). */
const BENCH: Record<string, string[]> = {
  'order-by': ['items^(>price, name).name', 'items^(category, >qty)[0].name'],
  grouping: ['items{category: $sum(price)}', 'items{category: {"n": $count(name), "max": $max(price)}}'],
  'partial application': ['$map(items.name, $substring(?, 1, 4))', '($first := $substring(?, 1, 1); items.$first(name))'],
  'function chains': ['items.(name ~> $uppercase ~> $trim)', '($c := $trim ~> $uppercase; items.$c(name))'],
  'immediately invoked lambdas': ['items.(function($p) { $p.price * $p.qty }($))', 'function($l) { $sum($l.price) }(items)'],
  signatures: ['($total := function($p, $q)<nn:n> { $p * $q }; items.$total(price, qty))', '($up := function($s)<s-:s> { $uppercase($s) }; items.name.$up())'],
  parent: ['items.tags.{"tag": $, "of": %.name}', 'items.tags[%.qty > 2]'],
  'focus and index': ['items#$i.{"i": $i, "n": name}', 'orders@$o.$$.items@$p[$o.item = $p.name].{"o": $o.id, "price": $p.price}'],
  transform: ['$ ~> |items|{"total": price * qty}, ["qty"]|', 'items ~> |$[price > 20]|{"expensive": true}|'],
  eval: [
    'items.$eval("price * qty")', '($f := formula; items.$eval($f))',
    // in tail position (applied where the lambda is called) and as a value
    '($line := function($p) { $eval(formula, $p) }; $map(items, $line))', '($run := $eval; items.$run("price * qty"))',
  ],
  'tail calls': ['($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(500, 0))', '($fact := function($n, $acc) { $n <= 1 ? $acc : $fact($n - 1, $acc * $n) }; items.$fact(qty, 1))'],
};

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Evaluations per second of each contender, best of `rounds` rounds of at least `minMs` each, taking turns. */
async function rates(contenders: Record<string, () => unknown>, rounds = 5, minMs = 40): Promise<Record<string, number>> {
  for (const fn of Object.values(contenders)) for (let i = 0; i < 200; i++) await fn();
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      let done = 0;
      const start = now();
      let elapsed = 0;
      while (elapsed < minMs) {
        for (let i = 0; i < 20; i++) await fn();
        done += 20;
        elapsed = now() - start;
      }
      best[name] = Math.max(best[name] ?? 0, (done / elapsed) * 1000);
    }
  }
  return best;
}

function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

interface Row { construct: string; expression: string; native: boolean; jsonata: number; compiled: number; ratio: number }

/** The share of a construct's expressions that compile natively, and the reasons of those that do not. */
function share(sources: string[]): { total: number; native: number; reasons: Record<string, number> } {
  const before = compilationStats();
  let native = 0;
  let total = 0;
  for (const source of sources) {
    let expression: MappingExpression;
    try {
      expression = compileExpression(source);
    } catch {
      continue;
    }
    total++;
    if (expression.compiled) native++;
  }
  const after = compilationStats();
  const reasons: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after.reasons)) if (count > (before.reasons[reason] ?? 0)) reasons[reason] = count - (before.reasons[reason] ?? 0);
  return { total, native, reasons };
}

async function main(): Promise<void> {
  await builtinsReady;
  const rows: Row[] = [];
  const contests = Object.entries(BENCH).flatMap(([construct, sources]) => sources.map((source) => ({ construct, source })));
  for (const { construct, source } of contests) {
    const compiled = compileExpression(source);
    const reference = compileExpression(source, { native: false });
    const input = structuredClone(record);
    const same = isDeepStrictEqual(plain(await compiled.evaluate(structuredClone(record))), plain(await reference.evaluate(structuredClone(record))));
    if (!same) throw new Error(`different results for ${source}`);
    // a transform clones its argument: each contender gets the same record (never changed by either)
    const rate = await rates({ jsonata: () => reference.evaluate(input), compiled: () => compiled.evaluate(input) });
    rows.push({ construct, expression: source, native: compiled.compiled, jsonata: rate.jsonata!, compiled: rate.compiled!, ratio: rate.compiled! / rate.jsonata! });
  }

  const table = allCases();
  const generated = fc.sample(constructExpression.filter(usable), { numRuns: 2000, seed: 7 });
  const shares: Record<string, unknown> = {};
  for (const construct of Object.keys(CONSTRUCT_CASES)) shares[construct] = share(table.filter((c) => c.group === construct).map((c) => c.kase.expr));
  shares['case table (all groups)'] = share(table.map((c) => c.kase.expr));
  shares['generated constructs'] = share(generated);

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(`unimap constructs bench (Node ${process.version}; evaluations/s of one record, best of 5 rounds)\n`);
  const head = ['construct', 'expression', 'jsonata/s', 'compiled/s', 'compiled/jsonata'];
  const body = rows.map((r) => [r.construct, r.expression.length > 60 ? `${r.expression.slice(0, 57)}...` : r.expression, fmt(r.jsonata), fmt(r.compiled), `${fmt(r.ratio, 1)}x${r.native ? '' : ' (on jsonata)'}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  console.log('\nnative compilation per construct:');
  for (const [construct, s] of Object.entries(shares) as [string, { total: number; native: number; reasons: Record<string, number> }][]) {
    const reasons = Object.keys(s.reasons).length > 0 ? ` — on jsonata: ${JSON.stringify(s.reasons)}` : '';
    console.log(`  ${construct.padEnd(30)} ${s.native}/${s.total} (${fmt((s.native / s.total) * 100, 1)}%)${reasons}`);
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'constructs.json'), `${JSON.stringify({ node: process.version, date: new Date().toISOString(), rows, shares }, null, 2)}\n`);
  console.log('\nJSON written to bench/results/constructs.json');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
