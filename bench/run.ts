/**
 * `npm run bench`: mapping speed (jsonata vs compiled vs hand-written), create body mapping, per-call engine
 * overhead against the local Okta simulator, load, listAll vs a hand-written walk, account overrides, cold start in
 * fresh processes, and the native-compilation share. One run, warm-up first; prints a table and writes
 * bench/results/latest.json. Numbers, not assertions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import axios from 'axios';
import fc from 'fast-check';
import { compileRegistry } from '../engine/compile/compile-registry';
import type { Registry } from '../engine/compile/compiled';
import { loadFixtures } from '../engine/conformance/fixture';
import { runFixtureCase } from '../engine/conformance/run-fixtures';
import { createEngine } from '../engine';
import { defaultMappingsDir, defaultSchemasDir } from '../engine/package-paths';
import { compilationStats, compileExpression, type MappingExpression } from '../engine/jsonata/expression';
import { builtinsReady } from '../engine/jsonata/runtime/functions';
import { registryExpressions } from '../engine/jsonata/compiler/collect';
import { startSimulator } from '../engine/sandbox/simulator';
import { oktaSimulator } from '../engine/sandbox/providers/okta';
import { allCases } from '../test/jsonata/cases';
import { expression as generatedExpression, usable } from '../test/jsonata/grammar';
import { HANDWRITTEN, oktaCreateBody } from './handwritten';
import { measureServerOverhead, type ServerOverhead } from './server-overhead';
import { printAccountOverrides, type AccountOverridesResult } from './account-overrides';
import { measureColdStart, printColdStart, type ColdStart } from './cold-start';
import { printListAll, type ListAllResult } from './list-all';

type Rec = Record<string, unknown>;
const PAGE = 1000;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Functions to race over the same inputs (one mapping: jsonata, compiled, hand-written). */
interface Contest {
  inputs: unknown[];
  contenders: Record<string, (input: unknown) => unknown>;
}

/**
 * Records/s of every contender of every contest, each input awaited one by one. After a warm-up, the contests take
 * turns: each round measures every contender of every contest for at least `minMs` (and one whole input list), and
 * each contender keeps its best round. Spreading a contender's rounds over the whole run keeps a slow spell of the
 * machine, which can last seconds, from landing on all of one mapping's rounds.
 */
async function throughputs(contests: Contest[], rounds = 7, minMs = 60): Promise<Record<string, number>[]> {
  for (const { inputs, contenders } of contests) {
    for (const fn of Object.values(contenders)) for (let i = 0; i < 2000; i++) await fn(inputs[i % inputs.length]);
  }
  const best = contests.map(() => ({}) as Record<string, number>);
  for (let round = 0; round < rounds; round++) {
    for (const [c, { inputs, contenders }] of contests.entries()) {
      for (const [name, fn] of Object.entries(contenders)) {
        let done = 0;
        const start = now();
        let elapsed = 0;
        while (elapsed < minMs) {
          for (const input of inputs) await fn(input);
          done += inputs.length;
          elapsed = now() - start;
        }
        best[c]![name] = Math.max(best[c]![name] ?? 0, (done / elapsed) * 1000);
      }
    }
  }
  return best;
}

/**
 * A start from nothing: a new Node process requires the engine and loads every shipped definition (best of 3).
 * Mostly the JIT warming up the YAML parser and Ajv's schema compiler, which a long-running service pays once.
 */
function newProcessLoad(): { requireMs: number; loadMs: number } {
  const script = `
    const now = () => Number(process.hrtime.bigint()) / 1e6;
    let t = now();
    const { compileRegistry } = require(${JSON.stringify(join(__dirname, '..', 'engine', 'compile', 'compile-registry'))});
    const paths = require(${JSON.stringify(join(__dirname, '..', 'engine', 'package-paths'))});
    const requireMs = now() - t;
    t = now();
    compileRegistry(paths.defaultMappingsDir(), paths.defaultSchemasDir());
    process.stdout.write(JSON.stringify({ requireMs, loadMs: now() - t }));`;
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { requireMs: number; loadMs: number });
  return runs.reduce((best, run) => (run.requireMs + run.loadMs < best.requireMs + best.loadMs ? run : best));
}

/** A benchmark script of this folder run in a fresh process with `--json`; its result. */
function isolated<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, [join(__dirname, script), '--json'], { encoding: 'utf8' })) as T;
}

/** Equal as JSON: what a caller receives (JSONata's own objects carry no prototype and sequence flags). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The records and bindings each list response mapping sees on the conformance fixtures. */
async function captureListInputs(registry: Registry): Promise<Map<string, { expression: MappingExpression; records: unknown[]; bindings: Rec }>> {
  const captured = new Map<string, { expression: MappingExpression; records: unknown[]; bindings: Rec }>();
  for (const [name, integration] of registry.integrations) {
    for (const resource of integration.resources.values()) {
      const method = resource.methods.get('list');
      const evaluator = method?.response;
      if (!evaluator) continue;
      const expression = evaluator.expression;
      const entry = { expression, records: [] as unknown[], bindings: {} as Rec };
      captured.set(`${name} ${resource.key}`, entry);
      // lists map records through evaluateNow (no Promise when none is needed), other callers through evaluate
      const seen = (input: unknown, bindings: Rec | undefined) => {
        entry.records.push(input);
        entry.bindings = bindings ?? {};
      };
      const original = expression.evaluate.bind(expression);
      (expression as { evaluate: MappingExpression['evaluate'] }).evaluate = (input, bindings) => (seen(input, bindings), original(input, bindings));
      const originalNow = expression.evaluateNow?.bind(expression);
      if (originalNow) (expression as { evaluateNow: MappingExpression['evaluateNow'] }).evaluateNow = (input, bindings) => (seen(input, bindings), originalNow(input, bindings));
    }
  }
  for (const fixture of loadFixtures(defaultMappingsDir())) {
    if (!registry.integrations.has(fixture.integration)) continue;
    for (const kase of fixture.cases) if (kase.method === 'list') await runFixtureCase(registry, fixture, kase);
  }
  return captured;
}

interface Row { mapping: string; jsonata: number; compiled: number; handwritten?: number; vsJsonata: number; vsHandwritten?: number; sameAsHandwritten?: boolean }

async function main(): Promise<void> {
  await builtinsReady;
  const results: Rec = { node: process.version, date: new Date().toISOString(), page: PAGE };

  // cold start: load + validate + compile every shipped definition (first call in this process, then the best of 5)
  let start = now();
  const compiled = compileRegistry(defaultMappingsDir(), defaultSchemasDir());
  const coldMs = now() - start;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    start = now();
    compileRegistry(defaultMappingsDir(), defaultSchemasDir());
    warm.push(now() - start);
  }
  const registry = compiled.registry;
  // code generation is lazy (first evaluation); this is what compiling every expression up front costs
  const expressionsOfRegistry = registryExpressions(registry);
  start = now();
  for (const e of expressionsOfRegistry) void e.compiled;
  const codegenMs = now() - start;
  results.coldStart = { firstMs: coldMs, bestOf5Ms: Math.min(...warm), newProcess: newProcessLoad(), integrations: registry.integrations.size, expressions: expressionsOfRegistry.length, compileAllToJsMs: codegenMs };

  // list response mappings over a 1,000-record page, and the Okta create body; all raced in one set of rounds
  const captured = await captureListInputs(registry);
  const lists = [...captured].filter(([, { records }]) => records.length > 0).map(([label, { expression, records, bindings }]) => {
    const reference = compileExpression(expression.source, { native: false });
    const native = compileExpression(expression.source);
    const hand = HANDWRITTEN[label.split(' ')[0]!];
    const contenders: Record<string, (input: unknown) => unknown> = {
      jsonata: (r) => reference.evaluate(r, bindings),
      compiled: (r) => native.evaluate(r, bindings),
    };
    if (hand) contenders.handwritten = async (r) => hand(r as Rec);
    return { label, records, bindings, native, hand, contest: { inputs: Array.from({ length: PAGE }, (_, i) => records[i % records.length]), contenders } };
  });
  const okta = registry.integrations.get('okta')!;
  const createBody = okta.resources.get('user-directory/users')!.methods.get('create')!.body!;
  const body = { first_name: 'Ada', last_name: 'Lovelace', username: 'ada', emails: [{ email: 'ada@example.com', is_primary: true }, { email: 'ada@home.example' }], phones: [{ number: '+44 20 7946 0000', type: 'mobile' }, { number: '+44 20 7946 0001', type: 'work' }] };
  const bodyNative = compileExpression(createBody.source);
  const bodyReference = compileExpression(createBody.source, { native: false });
  const bodyContest: Contest = {
    inputs: Array.from({ length: PAGE }, () => body),
    contenders: { jsonata: (b) => bodyReference.evaluate(b, {}), compiled: (b) => bodyNative.evaluate(b, {}), handwritten: async (b) => oktaCreateBody(b as Rec) },
  };
  const rates = await throughputs([...lists.map((l) => l.contest), bodyContest]);

  const rows: Row[] = [];
  for (const [i, { label, records, bindings, native, hand }] of lists.entries()) {
    const rate = rates[i]!;
    const row: Row = { mapping: `${label} list.response`, jsonata: rate.jsonata!, compiled: rate.compiled!, vsJsonata: rate.compiled! / rate.jsonata! };
    if (hand) {
      row.handwritten = rate.handwritten!;
      row.vsHandwritten = row.handwritten / row.compiled;
      let same = true;
      for (const r of records) if (!sameJson(await native.evaluate(r, bindings), hand(r as Rec))) same = false;
      row.sameAsHandwritten = same;
    }
    rows.push(row);
  }
  const bodyRate = rates[lists.length]!;
  rows.push({
    mapping: 'okta user-directory/users create.body',
    jsonata: bodyRate.jsonata!,
    compiled: bodyRate.compiled!,
    handwritten: bodyRate.handwritten!,
    vsJsonata: bodyRate.compiled! / bodyRate.jsonata!,
    vsHandwritten: bodyRate.handwritten! / bodyRate.compiled!,
    sameAsHandwritten: sameJson(await bodyNative.evaluate(body, {}), oktaCreateBody(body)),
  });
  results.mappings = rows;

  // per-call engine overhead: engine.create vs a direct axios POST to the same simulator
  const token = 'bench-token-0123456789';
  const sim = await startSimulator(oktaSimulator, { api_token: token });
  try {
    // rateLimits: false, or Okta's declared budget (100 requests a minute) would be measured instead of the engine.
    const engine = createEngine({ mappings: registry, accounts: [{ id: 'bench', integration: 'okta', context: { subdomain: 'acme', api_token: token }, base_url: sim.url }], rateLimits: false });
    const client = axios.create({ baseURL: sim.url });
    const N = 1000;
    const unified = (i: number) => ({ first_name: 'Ada', last_name: `L${i}`, emails: [{ email: `ada${i}@example.com`, is_primary: true }] });
    const raw = (i: number) => ({ profile: { firstName: 'Ada', lastName: `L${i}`, email: `direct${i}@example.com`, login: `direct${i}@example.com` } });
    for (let i = 0; i < 100; i++) {
      await engine.create('user-directory', 'users', unified(100000 + i), { integratedAccountId: 'bench' });
      await client.post('/api/v1/users?activate=true', raw(100000 + i), { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } });
    }
    const engineTimes: number[] = [];
    const axiosTimes: number[] = [];
    for (let i = 0; i < N; i++) {
      let t = now();
      await engine.create('user-directory', 'users', unified(i), { integratedAccountId: 'bench' });
      engineTimes.push(now() - t);
      t = now();
      await client.post('/api/v1/users?activate=true', raw(i), { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } });
      axiosTimes.push(now() - t);
    }
    engineTimes.sort((a, b) => a - b);
    axiosTimes.sort((a, b) => a - b);
    results.engineOverhead = {
      calls: N,
      engineCreate: { p50Ms: percentile(engineTimes, 50), p99Ms: percentile(engineTimes, 99) },
      directAxios: { p50Ms: percentile(axiosTimes, 50), p99Ms: percentile(axiosTimes, 99) },
      overheadP50Ms: percentile(engineTimes, 50) - percentile(axiosTimes, 50),
      overheadP99Ms: percentile(engineTimes, 99) - percentile(axiosTimes, 99),
    };
  } finally {
    await sim.close();
  }

  // the HTTP service: a unified get through the server vs the embedded engine vs a direct request
  results.serverOverhead = await measureServerOverhead(registry);

  // listAll vs a hand-written walk and account overrides, each in a process of its own (what ran here before would
  // tune the code they share); cold start in fresh processes vs a jsonata-only one
  results.listAll = isolated<ListAllResult>('list-all.js');
  results.accountOverrides = isolated<AccountOverridesResult>('account-overrides.js');
  results.coldStartProcesses = await measureColdStart({ rounds: 9 });

  // native compilation share: the hand-written case table and generated expressions
  const table = allCases().map((c) => c.kase.expr);
  const tableNative = table.filter((source) => compileExpression(source).compiled).length;
  const generated = fc.sample(generatedExpression.filter(usable), { numRuns: 2000, seed: 7 });
  const before = compilationStats();
  const generatedNative = generated.filter((source) => compileExpression(source).compiled).length;
  const after = compilationStats();
  const reasons: Rec = {};
  for (const [reason, count] of Object.entries(after.reasons)) {
    const delta = count - (before.reasons[reason] ?? 0);
    if (delta > 0) reasons[reason] = delta;
  }
  results.nativeShare = {
    caseTable: { total: table.length, native: tableNative, share: tableNative / table.length },
    generated: { total: generated.length, native: generatedNative, share: generatedNative / generated.length, fallbackReasons: reasons },
    shippedExpressions: { compiled: compilationStats().native, note: 'every shipped expression compiles natively (test/jsonata/shipped-mappings.test.ts)' },
  };

  print(results, rows);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nJSON written to bench/results/latest.json`);
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function print(results: Rec, rows: Row[]): void {
  console.log(`unimap bench (Node ${process.version}, ${PAGE}-record pages, records/s awaited one by one)\n`);
  const head = ['mapping', 'jsonata rec/s', 'compiled rec/s', 'hand-written rec/s', 'compiled/jsonata', 'hand-written/compiled', 'same output'];
  const body = rows.map((r) => [r.mapping, fmt(r.jsonata), fmt(r.compiled), fmt(r.handwritten), `${fmt(r.vsJsonata, 1)}x`, r.vsHandwritten === undefined ? '-' : `${fmt(r.vsHandwritten, 2)}x`, r.sameAsHandwritten === undefined ? '-' : String(r.sameAsHandwritten)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
  const o = results.engineOverhead as { engineCreate: { p50Ms: number; p99Ms: number }; directAxios: { p50Ms: number; p99Ms: number }; overheadP50Ms: number; overheadP99Ms: number; calls: number };
  console.log(`\nengine.create vs direct axios (local Okta simulator, ${o.calls} calls): engine p50 ${fmt(o.engineCreate.p50Ms, 3)} ms / p99 ${fmt(o.engineCreate.p99Ms, 3)} ms; axios p50 ${fmt(o.directAxios.p50Ms, 3)} ms / p99 ${fmt(o.directAxios.p99Ms, 3)} ms; overhead p50 ${fmt(o.overheadP50Ms, 3)} ms, p99 ${fmt(o.overheadP99Ms, 3)} ms`);
  const v = results.serverOverhead as ServerOverhead;
  console.log(`unified get through the server vs engine.get vs a direct fetch (local Okta simulator, ${v.calls} calls each, interleaved): server p50 ${fmt(v.server.p50Ms, 3)} / p99 ${fmt(v.server.p99Ms, 3)} ms; engine p50 ${fmt(v.engine.p50Ms, 3)} / p99 ${fmt(v.engine.p99Ms, 3)} ms; direct p50 ${fmt(v.direct.p50Ms, 3)} / p99 ${fmt(v.direct.p99Ms, 3)} ms; server over engine p50 +${fmt(v.serverOverEngineP50Ms, 3)} ms, p99 +${fmt(v.serverOverEngineP99Ms, 3)} ms`);
  const c = results.coldStart as { firstMs: number; bestOf5Ms: number; newProcess: { requireMs: number; loadMs: number }; integrations: number; expressions: number; compileAllToJsMs: number };
  console.log(`load (load + validate + parse ${c.integrations} integrations, ${c.expressions} distinct expressions; JavaScript generated on first use): in a new process ${fmt(c.newProcess.loadMs, 1)} ms after ${fmt(c.newProcess.requireMs, 1)} ms of require; here first ${fmt(c.firstMs, 1)} ms, then best of 5 ${fmt(c.bestOf5Ms, 1)} ms; generating JavaScript for all of them up front: ${fmt(c.compileAllToJsMs, 1)} ms`);
  printListAll(results.listAll as ListAllResult);
  printAccountOverrides(results.accountOverrides as AccountOverridesResult);
  printColdStart(results.coldStartProcesses as ColdStart);
  const s = results.nativeShare as { caseTable: { total: number; native: number; share: number }; generated: { total: number; native: number; share: number; fallbackReasons: Rec } };
  console.log(`native compilation: case table ${s.caseTable.native}/${s.caseTable.total} (${fmt(s.caseTable.share * 100, 1)}%), generated ${s.generated.native}/${s.generated.total} (${fmt(s.generated.share * 100, 1)}%); fallback reasons ${JSON.stringify(s.generated.fallbackReasons)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
