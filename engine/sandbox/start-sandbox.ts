import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, openServerStore, type ServerOptions, type ServerStore, type UnimapServer } from '../server';
import { SANDBOX_PROVIDERS, type SandboxProvider } from './sandbox-providers';
import { startSimulator, type RunningSimulator } from './simulator';

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
  accounts: Array<{ id: string; integration: string; simulator: string }>;
  /** A ready-to-paste curl that creates a user through the Okta simulator. */
  curl: string;
  /** What `unimap serve --sandbox` prints. */
  banner: string;
  server: UnimapServer;
  close(): Promise<void>;
}

/**
 * The whole loop with no outside account: every bundled provider simulator on 127.0.0.1, the server on embedded
 * defaults, one sandbox account per integration (id `sandbox-<integration>`) pointing at its simulator with
 * credentials made up for this start, and a tenant key.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const temporary = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'unimap-sandbox-')) : undefined;
  const sims: RunningSimulator[] = [];
  let server: UnimapServer | undefined;
  let store: ServerStore | undefined;
  const cleanUp = async () => {
    await server?.close();
    await store?.close();
    for (const sim of sims) await sim.close();
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  };
  try {
    store = await openServerStore({ dataDir: options.dataDir ?? temporary });
    const started: Array<{ provider: SandboxProvider; sim: RunningSimulator; credentials: Record<string, string> }> = [];
    for (const provider of SANDBOX_PROVIDERS) {
      const credentials = Object.fromEntries(provider.credentials.map((name) => [name, madeUpValue(name)]));
      const sim = await startSimulator(provider.simulator, credentials);
      sims.push(sim);
      started.push({ provider, sim, credentials });
    }
    server = await createServer({
      store,
      allowedBaseUrls: sims.map((sim) => sim.url),
      ...(options.watch ? { watch: true } : {}),
      ...(options.mappings ? { mappings: options.mappings } : {}),
      ...(options.schemas ? { schemas: options.schemas } : {}),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const accounts: RunningSandbox['accounts'] = [];
    for (const { provider, sim, credentials } of started) {
      const id = `sandbox-${provider.integration}`;
      const declared = server.definitions.registry.integrations.get(provider.integration)?.context ?? {};
      const context: Record<string, unknown> = { ...provider.context };
      const secrets: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(credentials)) (declared[name]?.secret ? secrets : context)[name] = value;
      await store.accounts.upsert(SANDBOX_TENANT, id, {
        integration: provider.integration, context, secrets, base_url: `${sim.url}${provider.basePath ?? ''}`, token_url: null, overrides: null, status: 'active', last_error: null,
      });
      accounts.push({ id, integration: provider.integration, simulator: sim.url });
    }
    const { key } = await store.keys.create(SANDBOX_TENANT);
    const listened = new URL(await server.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' }));
    // A server listening on every interface is reached on loopback from the same machine.
    if (listened.hostname === '0.0.0.0' || listened.hostname === '[::]') listened.hostname = '127.0.0.1';
    const url = listened.origin;
    const curl = createUserCurl(url, key);
    return {
      url,
      key,
      accounts,
      curl,
      banner: banner(url, key, accounts, curl, options.dataDir ?? 'a temporary folder (removed on exit)'),
      server,
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function madeUpValue(name: string): string {
  if (name === 'email') return 'sandbox-admin@acme.example';
  if (name === 'username') return 'sandbox-admin';
  if (name === 'org_id') return String(randomInt(100_000_000, 999_999_999));
  return `sbx_${randomBytes(16).toString('hex')}`;
}

export function createUserCurl(url: string, key: string): string {
  const body = JSON.stringify({ first_name: 'Ada', last_name: 'Lovelace', emails: [{ email: 'ada@example.com', is_primary: true }] });
  return [
    `curl -X POST '${url}/unified/user-directory/users?integrated_account_id=sandbox-okta' \\`,
    `  -H 'Authorization: Bearer ${key}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

function banner(url: string, key: string, accounts: RunningSandbox['accounts'], curl: string, data: string): string {
  return [
    `unimap sandbox on ${url} (data: ${data})`,
    '',
    `API key (tenant "${SANDBOX_TENANT}", shown once): ${key}`,
    `Accounts: ${accounts.map((a) => a.id).join(', ')}`,
    '',
    'Create a user in the Okta simulator:',
    '',
    curl,
    '',
    `Then list them: curl '${url}/unified/user-directory/users?integrated_account_id=sandbox-okta' -H 'Authorization: Bearer ${key}'`,
    `The API: ${url}/openapi.json · Ctrl-C stops everything.`,
  ].join('\n');
}
