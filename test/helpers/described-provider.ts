import { load as loadYaml } from 'js-yaml';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRegistry, createEngine, type Engine, type IntegratedAccount, type Registry } from '../../engine';
import type { CompiledIntegration, CompiledMethod } from '../../engine/compile/compiled';
import { startSimulator, type ProviderSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { readSimulatorDescription, simulatorFromDescription, type SimulatorDescription } from '../simulators/describe';

const MAPPINGS = 'mappings';
const SCHEMAS = 'schemas';

/** A simulator description of a provider that is not SCIM, found under mappings/<integration>/tests/. */
export interface DescribedProvider {
  integration: string;
  file: string;
  /** category/resource, as the description names it. */
  resource: string;
  /** Whether the description says how the provider answers past its rate limit. */
  rateLimited: boolean;
}

/** Every non-SCIM description in the mappings folder: integrations added later are found without a list to keep. */
export function findDescribedProviders(): DescribedProvider[] {
  return readdirSync(MAPPINGS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_') && existsSync(join(MAPPINGS, entry.name, 'tests')))
    .flatMap((entry) => readdirSync(join(MAPPINGS, entry.name, 'tests'))
      .filter((name) => name.endsWith('.simulator.yaml'))
      .map((name) => ({ integration: entry.name, file: join(MAPPINGS, entry.name, 'tests', name) })))
    .flatMap(({ integration, file }) => {
      // read without the schema check here: a broken description fails its own tests, not the collection of all
      const raw = loadYaml(readFileSync(file, 'utf8')) as { scim?: unknown; resource?: string; rate_limit?: unknown } | undefined;
      return raw && !raw.scim ? [{ integration, file, resource: raw.resource ?? '', rateLimited: raw.rate_limit !== undefined }] : [];
    });
}

/** The described integrations' definitions, compiled once; one that does not compile is reported by its tests. */
export function compileDescribed(providers: DescribedProvider[]): { registry: Registry; problems: string[] } {
  const { registry, problems } = compileRegistry(MAPPINGS, SCHEMAS, undefined, { only: [...new Set(providers.map((p) => p.integration))] });
  return { registry, problems: problems.filter((p) => p.severity !== 'warning').map((p) => `${p.position.file}:${p.position.line}: ${p.message}`) };
}

/** A provider's simulator started from its description, an engine whose accounts point at it, and the definition's methods. */
export interface ProviderRun {
  description: SimulatorDescription;
  integration: CompiledIntegration;
  sim: RunningSimulator;
  engine: Engine;
  category: string;
  resource: string;
  /** The unified query every call sends (the definition's required query parameters). */
  query: Record<string, unknown>;
  /** How many requests the simulator refused past its rate-limit budget. */
  limitedAnswers(): number;
  /** A definition method the description also routes, or undefined. */
  method(name: 'list' | 'get' | 'create' | 'update' | 'delete'): CompiledMethod | undefined;
  close(): Promise<void>;
}

export const GOOD_ACCOUNT = 'described-good';
export const WRONG_ACCOUNT = 'described-wrong';

/**
 * Start a provider from its description, with its rate limit only when a (tiny) budget is given. The
 * account's context fills the integration's declared keys: the description's values, then declared defaults, then
 * test values for secrets. The simulator's credentials are that context, so {name} in the auth rule is a context key.
 */
export async function startProviderRun(provider: DescribedProvider, registry: Registry, options: { budget?: { requests: number; window_seconds: number }; maxRetryWaitMs?: number } = {}): Promise<ProviderRun> {
  const { rate_limit: signal, ...described } = readSimulatorDescription(provider.file);
  // the provider's rate-limit answer only with a budget given: other tests must not depend on how fast they run
  const description: SimulatorDescription = signal && options.budget ? { ...described, rate_limit: { ...signal, ...options.budget } } : described;
  const integration = registry.integrations.get(provider.integration);
  if (!integration) throw new Error(`${provider.integration} did not compile; see the definition problems`);
  const context = contextFor(integration, description);
  const simulator = simulatorFromDescription(provider.integration, description);
  let limited = 0;
  const counted: ProviderSimulator = {
    ...simulator,
    authenticate(request, credentials) {
      const denied = simulator.authenticate(request, credentials);
      if (denied && description.rate_limit && denied.status === (description.rate_limit.status ?? 429)) limited += 1;
      return denied;
    },
  };
  const sim = await startSimulator(counted, context);
  const baseUrl = `${sim.url}${description.account?.base_path ?? basePathOf(integration)}`;
  const wrong = Object.fromEntries(Object.entries(context).map(([key, value]) => [key, integration.context[key]?.secret ? `wrong-${key}-0123456789` : value]));
  const accounts: IntegratedAccount[] = [
    { id: GOOD_ACCOUNT, integration: provider.integration, context, base_url: baseUrl },
    { id: WRONG_ACCOUNT, integration: provider.integration, context: wrong, base_url: baseUrl },
  ];
  const engine = createEngine({ mappings: registry, accounts, maxRetryWaitMs: options.maxRetryWaitMs ?? 3000 });
  const [category = '', resource = ''] = provider.resource.split('/');
  const methods = integration.resources.get(provider.resource)?.methods;
  return {
    description,
    integration,
    sim,
    engine,
    category,
    resource,
    query: description.account?.query ?? {},
    limitedAnswers: () => limited,
    method(name) {
      const found = methods?.get(name);
      return found && !found.unsupported && description.routes[name] ? found : undefined;
    },
    close: () => sim.close(),
  };
}

function contextFor(integration: CompiledIntegration, description: SimulatorDescription): Record<string, string> {
  const given = description.account?.context ?? {};
  const context: Record<string, string> = {};
  for (const [key, field] of Object.entries(integration.context)) {
    if (given[key] !== undefined) context[key] = given[key]!;
    else if (field.default !== undefined) context[key] = String(field.default);
    else if (field.secret) context[key] = `test-${key}-0123456789`;
    else if (field.required) throw new Error(`${integration.name}: give account.context.${key} in the simulator description (a test value the integration accepts)`);
  }
  return { ...given, ...context };
}

/** The path of the integration's base_url (https://api.meraki.com/api/v1 → /api/v1), where the account's base_url points too. */
function basePathOf(integration: CompiledIntegration): string {
  const path = String(integration.def.base_url ?? '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  if (path.includes('{{')) throw new Error(`${integration.name}: its base_url path is a template; give account.base_path in the simulator description`);
  return path.replace(/\/$/, '');
}
