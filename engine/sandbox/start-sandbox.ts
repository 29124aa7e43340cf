import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '../engine';
import { defaultMappingsDir, defaultSchemasDir } from '../package-paths';
import { createServer, openServerStore, type ServerOptions, type ServerStore, type UnimapServer } from '../server';
import { splitBySecrecy } from '../server/accounts/secret-context';
import { createUserCurl, sandboxBanner, type SandboxAccount } from './sandbox-banner';
import { planSandbox, type SandboxAccountPlan } from './sandbox-plan';
import { startSimulator, type RunningSimulator } from './simulator';

export { createUserCurl, listPath, type SandboxAccount } from './sandbox-banner';

export const SANDBOX_TENANT = 'sandbox';

export interface SandboxOptions {
  port?: number;
  host?: string;
  /** Keep accounts and keys here; by default a temporary folder removed on close. */
  dataDir?: string;
  watch?: boolean;
  mappings?: string;
  schemas?: string;
  log?: ServerOptions['log'];
}

export interface RunningSandbox {
  url: string;
  /** An API key of the sandbox tenant, made at this start. */
  key: string;
  /** One per integration served that has a simulator, in name order. */
  accounts: SandboxAccount[];
  /** Integrations served without an account, each with its reason (a description that does not read). */
  skipped: string[];
  /** A ready-to-paste curl that creates a user through the Okta simulator (undefined when Okta is not served). */
  curl: string | undefined;
  /** What `unimap serve --sandbox` prints. */
  banner: string;
  server: UnimapServer;
  close(): Promise<void>;
}

/**
 * The whole loop with no outside account: a provider simulator on 127.0.0.1 for every integration served (the ones
 * written as code and every description under the mappings folder), the server on embedded defaults, one sandbox
 * account per integration (id `sandbox-<integration>`) pointing at its simulator with credentials made up for this
 * start, and a tenant key.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const startedAt = performance.now();
  const mappings = options.mappings ?? defaultMappingsDir();
  const schemas = options.schemas ?? defaultSchemasDir();
  const temporary = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'unimap-sandbox-')) : undefined;
  const sims: RunningSimulator[] = [];
  let server: UnimapServer | undefined;
  let opening: Promise<ServerStore> | undefined;
  let starting: Promise<unknown> | undefined;
  const cleanUp = async () => {
    await server?.close();
    // A failure may come while the store opens or simulators start: each is closed once it is up.
    await (await opening?.catch(() => undefined))?.close();
    await starting?.catch(() => undefined);
    await Promise.all(sims.map((sim) => sim.close()));
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  };
  try {
    // The embedded database takes seconds to open: the accounts are planned and the simulators started meanwhile.
    opening = openServerStore({ dataDir: options.dataDir ?? temporary });
    // Planned from the definitions the server is about to serve: what each integration's context declares.
    const registry = loadRegistry(mappings, schemas);
    const plan = planSandbox(mappings, registry);
    const simulators = startSimulators(plan.accounts, sims);
    starting = simulators;
    const [store, { running, failed }] = await Promise.all([opening, simulators]);
    server = await createServer({
      store,
      mappings,
      schemas,
      registry,
      allowedBaseUrls: sims.map((sim) => sim.url),
      ...(options.watch ? { watch: true } : {}),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const declared = server.definitions.registry.integrations;
    const accounts: SandboxAccount[] = [];
    for (const { plan: account, sim } of running) {
      const id = `sandbox-${account.integration}`;
      const { context, secrets } = splitBySecrecy(declared.get(account.integration), account.context);
      await store.accounts.upsert(SANDBOX_TENANT, id, {
        integration: account.integration, context, secrets, base_url: `${sim.url}${account.basePath}`, token_url: null, overrides: null, status: 'active', last_error: null,
      });
      accounts.push({ id, integration: account.integration, simulator: sim.url, resource: account.resource, listQuery: account.listQuery });
    }
    const { key } = await store.keys.create(SANDBOX_TENANT);
    const listened = new URL(await server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' }));
    // A server listening on every interface is reached on loopback from the same machine.
    if (listened.hostname === '0.0.0.0' || listened.hostname === '[::]') listened.hostname = '127.0.0.1';
    const url = listened.origin;
    const okta = accounts.find((a) => a.integration === 'okta');
    const curl = okta ? createUserCurl(url, key, okta.id) : undefined;
    // The printed list must work when pasted as is: Okta's, else one whose list needs no query parameter.
    const example = okta ?? accounts.find((a) => Object.keys(a.listQuery).length === 0);
    const skipped = [...plan.skipped, ...failed];
    const facts = { url, key, tenant: SANDBOX_TENANT, data: options.dataDir ?? 'a temporary folder (removed on exit)', accounts, skipped, startedInMs: performance.now() - startedAt };
    return { url, key, accounts, skipped, curl, banner: sandboxBanner(facts, curl, example), server, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * Start every planned simulator concurrently (each is a Fastify server on its own port). One that does not start
 * (a description whose routes Fastify refuses) is reported and left out; the others serve on.
 */
async function startSimulators(plans: readonly SandboxAccountPlan[], sims: RunningSimulator[]): Promise<{ running: Array<{ plan: SandboxAccountPlan; sim: RunningSimulator }>; failed: string[] }> {
  const results = await Promise.allSettled(plans.map(async (plan) => {
    const sim = await startSimulator(plan.simulator, plan.context);
    sims.push(sim);
    plan.seed?.(sim.store);
    return { plan, sim };
  }));
  const running: Array<{ plan: SandboxAccountPlan; sim: RunningSimulator }> = [];
  const failed: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') running.push(result.value);
    else failed.push(`${plans[index]!.integration}: its simulator did not start (${result.reason instanceof Error ? result.reason.message : String(result.reason)})`);
  });
  return { running, failed };
}
