/**
 * Per-account overrides compiled once per expression text: 10,000 Okta accounts that all carry the same response
 * override (each its own overrides object, as read from a database) against 10,000 accounts without one.
 *   first call   engine.get through a replay transport, the first call of every account (when its override is
 *                looked up and bound), the two engines taking turns 500 accounts at a time; µs per account
 *   memory       heap retained per account once every account made its first call (a child process with
 *                --expose-gc, one per variant)
 *   node dist-bench/bench/account-overrides.js [--json]   (--json: the result on stdout only, as run.ts reads it)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, loadRegistry, type Engine, type IntegratedAccount, type Registry } from '../engine';
import { packageRoot } from '../engine/package-paths';

const ACCOUNTS = 10_000;
const CHUNK = 500;
const OVERRIDE = '{ "cost_center": profile.costCenter, "title": $uppercase(profile.title) }';
const OKTA_USER = JSON.stringify({
  id: '00u1bench',
  status: 'ACTIVE',
  created: '2024-01-02T03:04:05.000Z',
  profile: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', login: 'ada@example.com', title: 'engineer', costCenter: 'R&D' },
});

export interface AccountOverridesResult {
  accounts: number;
  firstCallMicros: { none: number; override: number; ratio: number };
  retainedBytesPerAccount?: { none: number; override: number; extra: number };
}

type Variant = 'none' | 'override';

function accounts(variant: Variant): IntegratedAccount[] {
  return Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: `acct-${i}`,
    integration: 'okta',
    context: { subdomain: 'acme', api_token: `token-${i}-0123456789` },
    ...(variant === 'override' ? { overrides: { 'user-directory/users': { get: { response: OVERRIDE } } } } : {}),
  }));
}

function engineFor(registry: Registry, variant: Variant): Engine {
  return createEngine({
    mappings: registry,
    accounts: accounts(variant),
    transport: { send: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: OKTA_USER }), stream: () => Promise.reject(new Error('not used')) },
    rateLimits: false,
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const firstCall = (engine: Engine, i: number) => engine.get('user-directory', 'users', '00u1bench', { integratedAccountId: `acct-${i}` });

async function firstCallTimes(registry: Registry): Promise<{ none: number; override: number }> {
  const engines = { none: engineFor(registry, 'none'), override: engineFor(registry, 'override') };
  // warm both paths on accounts outside the measured range
  const warm = engineFor(registry, 'override');
  for (let i = 0; i < 200; i++) await firstCall(warm, i);
  const total = { none: 0, override: 0 };
  for (let start = 0; start < ACCOUNTS; start += CHUNK) {
    const order: Variant[] = (start / CHUNK) % 2 === 0 ? ['none', 'override'] : ['override', 'none'];
    for (const variant of order) {
      const t = now();
      for (let i = start; i < start + CHUNK; i++) await firstCall(engines[variant], i);
      total[variant] += now() - t;
    }
  }
  const override = await firstCall(engines.override, 0);
  if (override['cost_center'] !== 'R&D' || override['title'] !== 'ENGINEER') throw new Error(`the override did not apply: ${JSON.stringify(override)}`);
  return { none: (total.none / ACCOUNTS) * 1000, override: (total.override / ACCOUNTS) * 1000 };
}

/** Heap retained by an engine whose accounts all made their first call (run with --expose-gc). */
async function retainedHere(registry: Registry, variant: Variant): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const warm = engineFor(registry, variant);
  for (let i = 0; i < 50; i++) await firstCall(warm, i);
  gc();
  const before = process.memoryUsage().heapUsed;
  const engine = engineFor(registry, variant);
  for (let i = 0; i < ACCOUNTS; i++) await firstCall(engine, i);
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (!(await firstCall(engine, 0))) throw new Error('engine released early');
  return bytes / ACCOUNTS;
}

function retainedInChild(variant: Variant): number | undefined {
  try {
    return Number(execFileSync(process.execPath, ['--expose-gc', __filename, '--retained', variant], { encoding: 'utf8' }));
  } catch {
    return undefined;
  }
}

export async function measureAccountOverrides(registry: Registry): Promise<AccountOverridesResult> {
  const times = await firstCallTimes(registry);
  const none = retainedInChild('none');
  const override = retainedInChild('override');
  return {
    accounts: ACCOUNTS,
    firstCallMicros: { ...times, ratio: times.override / times.none },
    ...(none !== undefined && override !== undefined ? { retainedBytesPerAccount: { none, override, extra: override - none } } : {}),
  };
}

export function printAccountOverrides(r: AccountOverridesResult): void {
  const memory = r.retainedBytesPerAccount ? `; retained per account ${r.retainedBytesPerAccount.override.toFixed(0)} B vs ${r.retainedBytesPerAccount.none.toFixed(0)} B (+${r.retainedBytesPerAccount.extra.toFixed(0)} B for the override)` : '';
  console.log(`account overrides (${r.accounts} accounts, one override text): first call ${r.firstCallMicros.override.toFixed(1)} µs vs ${r.firstCallMicros.none.toFixed(1)} µs without (${r.firstCallMicros.ratio.toFixed(2)}x)${memory}`);
}

if (require.main === module) {
  const registry = loadRegistry();
  const retained = process.argv.indexOf('--retained');
  const done = retained > 0
    ? retainedHere(registry, process.argv[retained + 1] === 'override' ? 'override' : 'none').then((bytes) => void process.stdout.write(String(bytes)))
    : measureAccountOverrides(registry).then((result) => {
      if (process.argv.includes('--json')) return void process.stdout.write(JSON.stringify(result));
      printAccountOverrides(result);
      const dir = join(packageRoot(), 'bench', 'results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'account-overrides.json'), `${JSON.stringify({ node: process.version, date: new Date().toISOString(), ...result }, null, 2)}\n`);
    });
  done.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
