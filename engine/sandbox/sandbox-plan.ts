import { randomBytes, randomInt } from 'node:crypto';
import type { CompiledIntegration, Registry } from '../compile/compiled';
import { readSimulatorDescription, seedRecords, simulatorFromDescription } from './describe';
import { describedAccount } from './described/account';
import { findSimulatorDescriptions } from './described/find-descriptions';
import type { SimulatorDescription } from './described/types';
import type { RecordStore } from './record-store';
import { SANDBOX_PROVIDERS, type SandboxProvider } from './sandbox-providers';
import type { ProviderSimulator } from './simulator';

/** One sandbox account to make (`sandbox-<integration>`) and the simulator it points at. */
export interface SandboxAccountPlan {
  integration: string;
  simulator: ProviderSimulator;
  /** The account's whole context, made-up secrets included; the simulator checks these values as its credentials. */
  context: Record<string, string>;
  /** Where the account's base_url points under the simulator's origin. */
  basePath: string;
  /** The resource a list call tries (category/resource), and the unified query that list needs. */
  resource: string;
  listQuery: Record<string, unknown>;
  /** Records put in the simulator once it runs: for a provider whose API cannot create them. */
  seed?(store: RecordStore): void;
}

export interface SandboxPlan {
  accounts: SandboxAccountPlan[];
  /** Why an integration served has no sandbox account (a description that does not read, no simulator at all). */
  skipped: string[];
}

/** Records seeded into a simulator whose provider cannot create any, so its list shows something. */
const SEEDED_RECORDS = 3;

/**
 * One account per integration the registry serves: the simulators written as code first, then every description
 * under the mappings folder (found by listing it, so an integration added as data needs no code here).
 */
export function planSandbox(mappingsDir: string, registry: Registry): SandboxPlan {
  const accounts: SandboxAccountPlan[] = [];
  const skipped = new Map<string, string>();
  const planned = new Set<string>();
  for (const provider of SANDBOX_PROVIDERS) {
    const integration = registry.integrations.get(provider.integration);
    if (!integration) continue;
    accounts.push(planCoded(provider, integration));
    planned.add(provider.integration);
  }
  for (const { integration: name, file } of findSimulatorDescriptions(mappingsDir)) {
    const integration = registry.integrations.get(name);
    // One account per integration: the simulator written as code, or the first description, serves it.
    if (!integration || planned.has(name)) continue;
    try {
      accounts.push(planDescribed(integration, readSimulatorDescription(file)));
      planned.add(name);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!skipped.has(name)) skipped.set(name, message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);
    }
  }
  for (const name of registry.integrations.keys()) {
    if (!planned.has(name) && !skipped.has(name)) skipped.set(name, `no simulator (describe one in mappings/${name}/tests/<category>.<resource>.simulator.yaml)`);
  }
  return {
    accounts: accounts.sort((a, b) => a.integration.localeCompare(b.integration)),
    skipped: [...skipped].filter(([name]) => !planned.has(name)).map(([name, reason]) => `${name}: ${reason}`),
  };
}

function planCoded(provider: SandboxProvider, integration: CompiledIntegration): SandboxAccountPlan {
  const credentials = Object.fromEntries(provider.credentials.map((name) => [name, madeUpValue(name)]));
  return {
    integration: provider.integration,
    simulator: provider.simulator,
    context: { ...provider.context, ...credentials },
    basePath: provider.basePath ?? '',
    resource: firstListedResource(integration),
    listQuery: provider.listQuery ?? {},
  };
}

function planDescribed(integration: CompiledIntegration, description: SimulatorDescription): SandboxAccountPlan {
  const account = describedAccount(integration, description, madeUpValue);
  const cannotCreate = !description.scim && !description.routes.create;
  return {
    integration: integration.name,
    simulator: simulatorFromDescription(integration.name, description),
    context: account.context,
    basePath: account.basePath,
    resource: description.resource,
    listQuery: account.query,
    ...(cannotCreate ? { seed: (store: RecordStore) => void seedRecords(description, store, SEEDED_RECORDS) } : {}),
  };
}

/** The integration's first resource with a list (every shipped one has a single resource). */
function firstListedResource(integration: CompiledIntegration): string {
  for (const [key, resource] of integration.resources) {
    const list = resource.methods.get('list');
    if (list && !list.unsupported) return key;
  }
  return integration.resources.keys().next().value ?? '';
}

/** A credential made up for this start: plausible where a provider checks a shape, random elsewhere. */
function madeUpValue(name: string): string {
  if (name === 'email') return 'sandbox-admin@acme.example';
  if (name === 'username') return 'sandbox-admin';
  if (name === 'org_id') return String(randomInt(100_000_000, 999_999_999));
  return `sbx_${randomBytes(16).toString('hex')}`;
}
