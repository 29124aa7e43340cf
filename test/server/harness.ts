import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type ProviderSimulator, type RunningSimulator, type SimulatorCredentials } from '../../engine/sandbox/simulator';
import { createServer, type ServerOptions, type UnimapServer } from '../../engine/server';
import { SdkClient, type ClientOptions } from './sdk-client';

export interface TestProvider {
  name: string;
  simulator: ProviderSimulator;
  credentials: SimulatorCredentials;
  /** The account body (integration and context) for the simulator at `url`. */
  account: (url: string) => { integration: string; context: Record<string, unknown>; base_url: string };
}

export interface RunningServer {
  url: string;
  server: UnimapServer;
  dataDir: string;
  sims: Map<string, RunningSimulator>;
  /** Log lines written by the server, parsed. */
  logs: Array<Record<string, any>>;
  /** API keys by tenant. */
  keys: Map<string, string>;
  client(tenant: string, options?: Partial<ClientOptions>): SdkClient;
  /** Create an account through the API for `provider` (by name) in `tenant`; its id. */
  addAccount(tenant: string, provider: string, contextChanges?: Record<string, unknown>): Promise<string>;
  restart(options?: Partial<ServerOptions>): Promise<void>;
  stop(): Promise<void>;
}

/** Start provider simulators and the real server on an ephemeral 127.0.0.1 port, with a fresh data folder and two tenants. */
export async function startServer(providers: TestProvider[], options: Partial<ServerOptions> & { tenants?: string[] } = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'unimap-server-'));
  const sims = new Map<string, RunningSimulator>();
  for (const provider of providers) sims.set(provider.name, await startSimulator(provider.simulator, provider.credentials));
  const logs: Array<Record<string, any>> = [];
  const stream = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, any>) };
  const make = (extra: Partial<ServerOptions> = {}) => createServer({
    dataDir,
    allowedBaseUrls: [...sims.values()].map((sim) => sim.url),
    log: { level: 'info', stream },
    engine: { maxRetryWaitMs: 0 },
    ...options,
    ...extra,
  });
  let server: UnimapServer;
  let url: string;
  try {
    server = await make();
    url = await server.listen();
  } catch (error) {
    for (const sim of sims.values()) await sim.close();
    if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const keys = new Map<string, string>();
  for (const tenant of options.tenants ?? ['acme', 'globex']) keys.set(tenant, (await server.store.keys.create(tenant)).key);
  const running: RunningServer = {
    get url() {
      return url;
    },
    get server() {
      return server;
    },
    dataDir,
    sims,
    logs,
    keys,
    client: (tenant, clientOptions = {}) => new SdkClient({ baseUrl: url, token: keys.get(tenant) ?? 'no-such-key', ...clientOptions }),
    async addAccount(tenant, name, contextChanges = {}) {
      const provider = providers.find((p) => p.name === name)!;
      const body = provider.account(sims.get(name)!.url);
      const answer = await running.client(tenant).integratedAccount.create({ ...body, context: { ...body.context, ...contextChanges } });
      if (answer.status !== 201) throw new Error(`account for ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.id as string;
    },
    async restart(extra = {}) {
      await server.close();
      server = await make(extra);
      url = await server.listen();
    },
    async stop() {
      await server.close();
      for (const sim of sims.values()) await sim.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return running;
}
