/**
 * What the HTTP service adds to a call: one unified get of the same Okta user, three ways, interleaved —
 * through the server (fetch → Fastify → API key → tenant-scoped account from PGlite → engine → simulator), on the
 * embedded engine (engine.get → simulator), and as a direct fetch to the simulator. Loopback only, bounded loops.
 */
import type { Registry } from '../engine';
import { createEngine } from '../engine';
import { oktaSimulator } from '../engine/sandbox/providers/okta';
import { startSimulator } from '../engine/sandbox/simulator';
import { createServer } from '../engine/server';

export interface Timing {
  p50Ms: number;
  p99Ms: number;
}

export interface ServerOverhead {
  calls: number;
  server: Timing;
  engine: Timing;
  direct: Timing;
  /** server − engine: the HTTP hop and the server's own work (auth, account lookup and decryption, routing, logging off). */
  serverOverEngineP50Ms: number;
  serverOverEngineP99Ms: number;
  /** engine − direct: the engine's own work (mapping, checks), as the per-call engine overhead above. */
  engineOverDirectP50Ms: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50Ms: at(50), p99Ms: at(99) };
}

export async function measureServerOverhead(registry: Registry, calls = 1000, warmUp = 100): Promise<ServerOverhead> {
  const token = 'bench-server-token-0123456789';
  const sim = await startSimulator(oktaSimulator, { api_token: token });
  // rateLimits: false, or Okta's declared budget (100 requests a minute) would be measured instead of the overhead.
  const server = await createServer({ allowedBaseUrls: [sim.url], log: false, engine: { rateLimits: false } });
  try {
    const url = await server.listen();
    const account = { integration: 'okta', context: { subdomain: 'acme' }, secrets: { api_token: token }, base_url: sim.url, token_url: null, overrides: null, status: 'active' as const, last_error: null };
    await server.store.accounts.insert('bench', 'bench-okta', account);
    const { key } = await server.store.keys.create('bench');
    const engine = createEngine({ mappings: registry, accounts: [{ id: 'bench-okta', integration: 'okta', context: { subdomain: 'acme', api_token: token }, base_url: sim.url }], rateLimits: false });
    const user = await engine.create('user-directory', 'users', { first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com' }] }, { integratedAccountId: 'bench-okta' });
    const through = `${url}/unified/user-directory/users/${user.id}?integrated_account_id=bench-okta`;
    const direct = `${sim.url}/api/v1/users/${user.id}`;
    const contenders: Record<'server' | 'engine' | 'direct', () => Promise<unknown>> = {
      server: async () => check(await fetch(through, { headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' } })),
      engine: () => engine.get('user-directory', 'users', user.id!, { integratedAccountId: 'bench-okta' }),
      direct: async () => check(await fetch(direct, { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } })),
    };
    const samples = { server: [] as number[], engine: [] as number[], direct: [] as number[] };
    for (let i = 0; i < warmUp + calls; i++) {
      for (const name of ['server', 'engine', 'direct'] as const) {
        const start = now();
        await contenders[name]();
        if (i >= warmUp) samples[name].push(now() - start);
      }
    }
    const result = { server: timing(samples.server), engine: timing(samples.engine), direct: timing(samples.direct) };
    return {
      calls,
      ...result,
      serverOverEngineP50Ms: result.server.p50Ms - result.engine.p50Ms,
      serverOverEngineP99Ms: result.server.p99Ms - result.engine.p99Ms,
      engineOverDirectP50Ms: result.engine.p50Ms - result.direct.p50Ms,
    };
  } finally {
    await server.close();
    await sim.close();
  }
}

async function check(response: Response): Promise<unknown> {
  if (response.status !== 200) throw new Error(`bench call answered ${response.status}: ${await response.text()}`);
  return response.json();
}
