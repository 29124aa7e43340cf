/**
 * Cold start, side by side: fresh Node processes, taking turns round after round (the order rotates), each
 * contender keeping its best wall time (spawn to exit) and its max RSS in that run.
 *   jsonata            loads jsonata and evaluates one expression: the floor
 *   engine             createEngine (shipped mappings) + one engine.get through a replay transport
 *   engine, no record  the same with an empty record of checked definitions: the first start after an install or an edit
 *   engine + axios     the same get through the default axios transport to the local Okta simulator
 *   baseline           (--baseline <dir>) another build's engine folder, as `engine`
 * `node dist-bench/bench/cold-start.js [--rounds 15] [--baseline <dist engine dir>]`; run.ts includes it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../engine';
import { packageRoot } from '../engine/package-paths';
import { oktaSimulator } from '../engine/sandbox/providers/okta';
import { startSimulator } from '../engine/sandbox/simulator';
import { BENCH_TOKEN } from './cold-start-child';

export interface ColdRun {
  bestMs: number;
  medianMs: number;
  /** Max RSS of the best run. */
  maxRssMb: number;
  /** The least CPU time (user + system, all threads) of any run: steadier than wall time on a busy machine. */
  bestCpuMs: number;
}

export interface ColdStart {
  rounds: number;
  runs: Record<string, ColdRun>;
  /** Each contender's best wall time, RSS and CPU time over the jsonata-only process's. */
  ratios: Record<string, { time: number; rss: number; cpu: number }>;
}

interface Contender {
  args: string[];
  env?: Record<string, string>;
}

const CHILD = join(__dirname, 'cold-start-child.js');
const ENGINE_DIR = join(__dirname, '..', 'engine');

type ChildRun = { ms: number; maxRssKb: number; cpuMs: number };

function runChild({ args, env }: Contender): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [CHILD, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited with ${code}: ${err}`));
      else resolve({ ms, ...(JSON.parse(out) as { maxRssKb: number; cpuMs: number }) });
    });
  });
}

export async function measureColdStart(options: { rounds?: number; baseline?: string } = {}): Promise<ColdStart> {
  const rounds = options.rounds ?? 15;
  const sim = await startSimulator(oktaSimulator, { api_token: BENCH_TOKEN });
  const scratch = mkdtempSync(join(tmpdir(), 'unimap-cold-'));
  let fresh = 0;
  try {
    const seeding = createEngine({ accounts: [{ id: 'seed', integration: 'okta', context: { subdomain: 'acme', api_token: BENCH_TOKEN }, base_url: sim.url }] });
    const user = await seeding.create('user-directory', 'users', { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] }, { integratedAccountId: 'seed' });
    const contenders: Record<string, () => Contender> = {
      jsonata: () => ({ args: ['jsonata'] }),
      engine: () => ({ args: ['engine', ENGINE_DIR] }),
      'engine, no record': () => {
        const dir = join(scratch, String(fresh++));
        mkdirSync(dir);
        return { args: ['engine', ENGINE_DIR], env: { UNIMAP_CACHE_DIR: dir } };
      },
      'engine + axios': () => ({ args: ['engine', ENGINE_DIR, sim.url, user.id!] }),
      ...(options.baseline ? { baseline: () => ({ args: ['engine', options.baseline!] }) } : {}),
    };
    const names = Object.keys(contenders);
    const samples = new Map<string, ChildRun[]>(names.map((name) => [name, []]));
    // round 0 warms the file cache and writes the record of checked definitions; it is not counted
    for (let round = 0; round <= rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length]!;
        const run = await runChild(contenders[name]!());
        if (round > 0) samples.get(name)!.push(run);
      }
    }
    const runs: Record<string, ColdRun> = {};
    for (const [name, list] of samples) {
      const sorted = [...list].sort((a, b) => a.ms - b.ms);
      runs[name] = { bestMs: sorted[0]!.ms, medianMs: sorted[Math.floor(sorted.length / 2)]!.ms, maxRssMb: sorted[0]!.maxRssKb / 1024, bestCpuMs: Math.min(...list.map((run) => run.cpuMs)) };
    }
    const floor = runs['jsonata']!;
    const ratios = Object.fromEntries(names.filter((n) => n !== 'jsonata').map((name) => [name, { time: runs[name]!.bestMs / floor.bestMs, rss: runs[name]!.maxRssMb / floor.maxRssMb, cpu: runs[name]!.bestCpuMs / floor.bestCpuMs }]));
    return { rounds, runs, ratios };
  } finally {
    await sim.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function printColdStart(cold: ColdStart): void {
  console.log(`cold start (fresh processes, interleaved, best of ${cold.rounds}; ratios over the jsonata-only process)`);
  for (const [name, run] of Object.entries(cold.runs)) {
    const ratio = cold.ratios[name];
    const vs = ratio ? `  ${ratio.time.toFixed(2)}x time, ${ratio.rss.toFixed(2)}x RSS, ${ratio.cpu.toFixed(2)}x CPU` : '';
    console.log(`  ${name.padEnd(18)} best ${run.bestMs.toFixed(0).padStart(5)} ms  median ${run.medianMs.toFixed(0).padStart(5)} ms  max RSS ${run.maxRssMb.toFixed(1).padStart(6)} MB  CPU ${run.bestCpuMs.toFixed(0).padStart(5)} ms${vs}`);
  }
}

if (require.main === module) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const rounds = arg('--rounds');
  const baseline = arg('--baseline');
  measureColdStart({ ...(rounds ? { rounds: Number(rounds) } : {}), ...(baseline ? { baseline } : {}) })
    .then((cold) => {
      printColdStart(cold);
      const dir = join(packageRoot(), 'bench', 'results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cold-start.json'), `${JSON.stringify({ node: process.version, date: new Date().toISOString(), ...cold }, null, 2)}\n`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
