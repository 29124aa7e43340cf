/**
 * engine.listAll vs a hand-written walk over the same replayed pages with the same compiled mapping: Okta users,
 * `PAGES` pages of `PAGE_SIZE` records linked by Link headers, served from memory by one transport both use. The
 * hand-written walk is what a caller would write without the engine: send, parse, map each record with the
 * definition's own expression (same bindings; its own compiled instance, so neither tunes the other's program),
 * drop empty lists, add remote_data, follow the next link.
 * Time: records/s, the two taking turns, best of `rounds`. Garbage: bytes allocated per record, measured in a child
 * process (`--expose-gc`, a young generation large enough that no collection runs during a walk; samples a
 * collection interrupted are dropped, the median of the rest is kept).
 *   node dist-bench/bench/list-all.js [--json]         both, printed and written to bench/results/list-all.json
 *                                                      (--json: the result on stdout only, as run.ts reads it)
 *   node --cpu-prof dist-bench/bench/list-all.js --only engine|handwritten    one walker, 50 walks, to profile
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { compileExpression, createEngine, loadRegistry, type Engine, type Registry, type Transport } from '../engine';
import type { RemoteRequest } from '../engine';
import { parseLinkHeader } from '../engine/transport/link-header';
import { packageRoot } from '../engine/package-paths';

const PAGES = 10;
const PAGE_SIZE = 200;
const TOKEN = 'bench-token-0123456789';
const BASE = 'https://acme.okta.com';

export interface ListAllResult {
  records: number;
  engineRecordsPerSecond: number;
  handwrittenRecordsPerSecond: number;
  /** engine time per record over the hand-written walk's. */
  timeRatio: number;
  engineBytesPerRecord?: number;
  handwrittenBytesPerRecord?: number;
  bytesRatio?: number;
  sameOutput: boolean;
}

type Rec = Record<string, unknown>;

function oktaUser(i: number): Rec {
  const profile: Rec = { firstName: `Ada${i}`, lastName: 'Lovelace', email: `ada${i}@example.com`, login: `ada${i}@example.com` };
  if (i % 2 === 0) profile['secondEmail'] = `ada${i}@home.example`;
  if (i % 3 === 0) profile['mobilePhone'] = `+44 20 7946 ${String(i).padStart(4, '0')}`;
  if (i % 5 === 0) Object.assign(profile, { title: 'Engineer', timezone: 'Europe/London', preferredLanguage: 'en-GB', userType: 'Employee' });
  return {
    id: `00u${String(i).padStart(8, '0')}`,
    status: i % 7 === 0 ? 'SUSPENDED' : 'ACTIVE',
    created: '2013-07-02T21:36:25.344Z',
    activated: i % 4 === 0 ? null : '2013-07-02T21:36:25.344Z',
    statusChanged: '2013-07-02T21:36:25.344Z',
    lastLogin: i % 3 === 0 ? null : '2013-07-02T21:40:00.000Z',
    lastUpdated: '2013-07-02T21:36:25.344Z',
    profile,
    _links: { self: { href: `${BASE}/api/v1/users/00u${i}` } },
  };
}

/** Pages as Okta serves them: a JSON array and a Link header to the next page (after = the last id). */
function pagedTransport(): Transport {
  const pages = Array.from({ length: PAGES }, (_, p) => Array.from({ length: PAGE_SIZE }, (_, i) => oktaUser(p * PAGE_SIZE + i)));
  const bodies = pages.map((page) => JSON.stringify(page));
  const byAfter = new Map<string, number>(pages.map((page, p) => [String(page[page.length - 1]!['id']), p + 1]));
  return {
    async send(request: RemoteRequest) {
      const after = new URL(request.url).searchParams.get('after');
      const p = after === null ? 0 : byAfter.get(after) ?? PAGES;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (p + 1 < PAGES) headers['link'] = `<${BASE}/api/v1/users?after=${String(pages[p]![PAGE_SIZE - 1]!['id'])}&limit=${PAGE_SIZE}>; rel="next"`;
      return { status: 200, headers, body: bodies[p] ?? '[]' };
    },
    stream: () => Promise.reject(new Error('not used')),
  };
}

interface Walkers {
  engine: () => AsyncIterable<Rec>;
  handwritten: () => AsyncIterable<Rec>;
}

function walkers(registry: Registry): Walkers {
  const transport = pagedTransport();
  const engine: Engine = createEngine({
    mappings: registry,
    transport,
    accounts: [{ id: 'bench', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN } }],
    // Okta's outbound budget (100 requests a minute) would make walks wait: replayed pages need none
    rateLimits: false,
  });
  // the definition's list mapping, compiled again for this walker: the two run the same generated code, but do not
  // share one program's type feedback (each otherwise tunes the other's runs)
  const mapping = compileExpression(registry.integrations.get('okta')!.resources.get('user-directory/users')!.methods.get('list')!.response!.source);
  async function* handwritten(): AsyncIterable<Rec> {
    let url: string | undefined = `${BASE}/api/v1/users?limit=${PAGE_SIZE}`;
    while (url) {
      const response = await transport.send({ method: 'GET', url, headers: { Authorization: `SSWS ${TOKEN}`, Accept: 'application/json' }, timeoutMs: 30_000 });
      const bindings = { context: { subdomain: 'acme' }, params: {}, query: {}, body: {}, steps: {}, status: response.status, headers: response.headers };
      for (const record of JSON.parse(response.body) as Rec[]) {
        const mapped = (await mapping.evaluate(record, bindings)) as Rec;
        const out: Rec = {};
        for (const key of Object.keys(mapped)) {
          const value = mapped[key];
          if (!(Array.isArray(value) && value.length === 0)) out[key] = value;
        }
        out['remote_data'] = record;
        yield out;
      }
      url = parseLinkHeader(response.headers['link'])['next'];
    }
  }
  return { engine: () => engine.listAll('user-directory', 'users', { integratedAccountId: 'bench' }), handwritten };
}

async function drain(walk: AsyncIterable<Rec>, keep?: Rec[]): Promise<number> {
  let n = 0;
  for await (const record of walk) {
    keep?.push(record);
    n++;
  }
  return n;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * Records/s of each walker, taking turns (the first one alternates): each turn walks for at least `minMs`, and each
 * walker keeps its best turn of `rounds`.
 */
async function timeWalkers(walk: Walkers, rounds: number, minMs = 40): Promise<{ engine: number; handwritten: number }> {
  for (let i = 0; i < 5; i++) for (const run of [walk.engine, walk.handwritten]) await drain(run());
  const best = { engine: 0, handwritten: 0 };
  for (let round = 0; round < rounds; round++) {
    const order: ('engine' | 'handwritten')[] = round % 2 === 0 ? ['engine', 'handwritten'] : ['handwritten', 'engine'];
    for (const name of order) {
      const start = now();
      let n = 0;
      while (now() - start < minMs) n += await drain(walk[name]());
      best[name] = Math.max(best[name], (n / (now() - start)) * 1000);
    }
  }
  return best;
}

/** Bytes allocated per record by each walker (run in a child with --expose-gc and a large young generation). */
async function allocationsHere(walk: Walkers): Promise<{ engine: number; handwritten: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) for (const run of [walk.engine, walk.handwritten]) await drain(run());
  const collections: number[] = [];
  const observer = new PerformanceObserver((list) => collections.push(...list.getEntries().map((entry) => entry.startTime)));
  observer.observe({ entryTypes: ['gc'] });
  const walks: { name: 'engine' | 'handwritten'; from: number; to: number; perRecord: number }[] = [];
  for (let round = 0; round < 7; round++) {
    for (const name of ['engine', 'handwritten'] as const) {
      gc();
      const from = performance.now();
      const before = process.memoryUsage().heapUsed;
      const n = await drain(walk[name]());
      walks.push({ name, from, to: performance.now(), perRecord: (process.memoryUsage().heapUsed - before) / n });
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  observer.disconnect();
  // a collection during a walk frees part of what it allocated: such a sample says nothing
  const samples = { engine: [] as number[], handwritten: [] as number[] };
  for (const w of walks) if (!collections.some((at) => at >= w.from && at <= w.to)) samples[w.name].push(w.perRecord);
  const median = (list: number[]) => (list.length === 0 ? NaN : [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
  return { engine: median(samples.engine), handwritten: median(samples.handwritten) };
}

function allocationsInChild(): { engine: number; handwritten: number } | undefined {
  try {
    const out = execFileSync(process.execPath, ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256', __filename, '--allocations'], { encoding: 'utf8' });
    return JSON.parse(out) as { engine: number; handwritten: number };
  } catch {
    return undefined;
  }
}

export async function measureListAll(registry: Registry, rounds = 15): Promise<ListAllResult> {
  const walk = walkers(registry);
  const fromEngine: Rec[] = [];
  const fromHand: Rec[] = [];
  await drain(walk.engine(), fromEngine);
  await drain(walk.handwritten(), fromHand);
  const sameOutput = isDeepStrictEqual(JSON.parse(JSON.stringify(fromEngine)), JSON.parse(JSON.stringify(fromHand)));
  const rates = await timeWalkers(walk, rounds);
  const bytes = allocationsInChild();
  return {
    records: fromEngine.length,
    engineRecordsPerSecond: rates.engine,
    handwrittenRecordsPerSecond: rates.handwritten,
    timeRatio: rates.handwritten / rates.engine,
    ...(bytes ? { engineBytesPerRecord: bytes.engine, handwrittenBytesPerRecord: bytes.handwritten, bytesRatio: bytes.engine / bytes.handwritten } : {}),
    sameOutput,
  };
}

export function printListAll(r: ListAllResult): void {
  const bytes = r.bytesRatio === undefined ? '' : `; allocated per record ${r.engineBytesPerRecord!.toFixed(0)} B vs ${r.handwrittenBytesPerRecord!.toFixed(0)} B (${r.bytesRatio.toFixed(2)}x)`;
  console.log(`listAll vs a hand-written walk (Okta, ${r.records} records in ${PAGES} replayed pages, same mapping): ${r.engineRecordsPerSecond.toFixed(0)} vs ${r.handwrittenRecordsPerSecond.toFixed(0)} records/s, time ${r.timeRatio.toFixed(2)}x${bytes}; same output: ${r.sameOutput}`);
}

if (require.main === module) {
  const registry = loadRegistry();
  const only = process.argv.indexOf('--only');
  if (only > 0) {
    // one walker over and over, for a profiler (node --cpu-prof dist-bench/bench/list-all.js --only engine)
    const walk = walkers(registry)[process.argv[only + 1] === 'handwritten' ? 'handwritten' : 'engine'];
    void (async () => {
      for (let i = 0; i < 50; i++) await drain(walk());
    })();
  } else if (process.argv.includes('--allocations')) {
    allocationsHere(walkers(registry))
      .then((bytes) => process.stdout.write(JSON.stringify(bytes)))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  } else {
    measureListAll(registry)
      .then((result) => {
        if (process.argv.includes('--json')) return void process.stdout.write(JSON.stringify(result));
        printListAll(result);
        const dir = join(packageRoot(), 'bench', 'results');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'list-all.json'), `${JSON.stringify({ node: process.version, date: new Date().toISOString(), ...result }, null, 2)}\n`);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  }
}
