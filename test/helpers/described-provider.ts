import { load as loadYaml } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { compileRegistry, createEngine, type Engine, type IntegratedAccount, type Registry } from '../../engine';
import type { CompiledIntegration, CompiledMethod } from '../../engine/compile/compiled';
import { readSimulatorDescription, simulatorFromDescription, type SimulatorDescription } from '../../engine/sandbox/describe';
import { describedAccount } from '../../engine/sandbox/described/account';
import { findSimulatorDescriptions } from '../../engine/sandbox/described/find-descriptions';
import { startSimulator, type ProviderSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';

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
  return findSimulatorDescriptions(MAPPINGS)
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
  // the sandbox builds its accounts the same way, with made-up secrets instead of these
  const { context, basePath } = describedAccount(integration, description, (key) => `test-${key}-0123456789`);
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
  const baseUrl = `${sim.url}${basePath}`;
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
