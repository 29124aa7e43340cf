/**
 * One cold start, run by bench/cold-start.ts in a fresh process; prints JSON with its max RSS and CPU time.
 *   node cold-start-child.js jsonata                      load jsonata, evaluate one expression
 *   node cold-start-child.js engine <engine dir> [url id]   createEngine + one engine.get: through a replay
 *                                                           transport, or through the default (axios) transport
 *                                                           to the simulator at `url`, of the user `id`
 * The engine is required from a folder given on the command line, so a baseline build can run beside this one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type EngineModule = typeof import('../engine');

/** The Okta token the simulator started by the runner accepts. */
export const BENCH_TOKEN = 'bench-token-0123456789';

const OKTA_USER = {
  id: '00u1bench',
  status: 'ACTIVE',
  created: '2024-01-02T03:04:05.000Z',
  lastUpdated: '2024-01-02T03:04:05.000Z',
  profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com' },
};

async function jsonataOnly(): Promise<unknown> {
  const jsonata = require('jsonata') as typeof import('jsonata');
  return jsonata('$sum(items.price)').evaluate({ items: [{ price: 1 }, { price: 2 }] });
}

async function engineCall(engineDir: string, simulator: { url: string; id: string } | undefined): Promise<unknown> {
  const { createEngine } = require(join(engineDir, 'index.js')) as EngineModule;
  const body = JSON.stringify(OKTA_USER);
  const replay = {
    send: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body }),
    stream: async () => Promise.reject(new Error('not used')),
  };
  const engine = createEngine({
    accounts: [{ id: 'bench', integration: 'okta', context: { subdomain: 'acme', api_token: BENCH_TOKEN }, ...(simulator ? { base_url: simulator.url } : {}) }],
    ...(simulator ? {} : { transport: replay }),
  });
  const user = await engine.get('user-directory', 'users', simulator?.id ?? OKTA_USER.id, { integratedAccountId: 'bench' });
  if (user.first_name !== 'Ada') throw new Error(`unexpected answer ${JSON.stringify(user)}`);
  return user.id;
}

async function main(): Promise<void> {
  const [kind, engineDir, url, id] = process.argv.slice(2);
  const result = kind === 'jsonata' ? await jsonataOnly() : await engineCall(engineDir!, url && id ? { url, id } : undefined);
  const usage = process.resourceUsage();
  process.stdout.write(JSON.stringify({ result, maxRssKb: peakRssKb() ?? usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
}

/**
 * This process's peak resident set, from Linux's VmHWM: getrusage's maxRSS survives exec, so a child of a large
 * parent would report the parent's size. Undefined elsewhere.
 */
function peakRssKb(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
