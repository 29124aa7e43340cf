import type { Command } from 'commander';
import { resolve } from 'node:path';
import { UnimapError } from '../errors';
import { startSandbox } from '../sandbox/start-sandbox';
import { createServer, openServerStore, type StoreOptions, type UnimapServer } from '../server';
import type { DirOptions } from './cli-registry';
import type { CliIo } from './io';

export const DEFAULT_DATA_DIR = '.unimap';
const DEFAULT_PORT = 8080;

export interface ServeOptions {
  port?: string;
  host?: string;
  data?: string;
  watch?: boolean;
  sandbox?: boolean;
  databaseUrl?: string;
  allowBaseUrl?: string[];
  publicUrl?: string;
  returnUrl?: string[];
  redisUrl?: string;
}

const DATABASE_URL_HELP = 'a PostgreSQL database shared by every instance, instead of the embedded one under --data: '
  + 'postgres://user:password@host:5432/db (add ?schema=name for a schema of its own); default env UNIMAP_DATABASE_URL, '
  + 'which keeps a password off the command line. Needs UNIMAP_SECRET_KEY, the same on every instance';

/** `unimap serve` and `unimap keys create`, added to the program by main.ts. */
export function addServerCommands(program: Command, run: (action: () => Promise<number>) => () => Promise<void>, dirs: () => DirOptions, io: CliIo): void {
  program.command('serve').description('serve the unified API over HTTP, on an embedded database under --data or a PostgreSQL one (--database-url)')
    .option('--port <n>', `port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`)
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--data <dir>', `data folder: accounts, API keys, the key that encrypts secrets (default ${DEFAULT_DATA_DIR}; with --sandbox a temporary one)`)
    .option('--database-url <url>', DATABASE_URL_HELP)
    .option('--watch', 'reload the definitions when a mapping file changes; a broken edit is reported and the last good ones keep serving')
    .option('--sandbox', 'also start every bundled provider simulator, with an account and an API key for each, and print a curl to try')
    .option('--allow-base-url <prefix...>', 'URL prefixes callers may give an account as base_url or token_url (a staging provider, local simulators); none by default')
    .option('--public-url <url>', 'the origin providers redirect people back to after OAuth consent (<url>/oauth/callback); default env UNIMAP_PUBLIC_URL')
    .option('--redis-url <url>', 'Redis shared by every instance for the integrations\' outbound rate limits (redis://host:6379); default env UNIMAP_REDIS_URL; without it each instance keeps its own budgets')
    .option('--return-url <prefix...>', 'URL prefixes an OAuth connect flow may send people back to (your app\'s pages)')
    .action((options: ServeOptions) => run(() => serveCommand(options, dirs(), io))());
  program.command('keys').description('API keys of the HTTP service')
    .command('create').description('create an API key for a tenant and print it once (only its hash is stored)')
    .option('--tenant <tenant>', 'the tenant the key belongs to', 'default')
    .option('--data <dir>', `data folder of the server (default ${DEFAULT_DATA_DIR}); the server must not be running on it`)
    .option('--database-url <url>', DATABASE_URL_HELP)
    .action((options: KeyOptions) => run(() => createKeyCommand(options, io))());
}

/** Run until SIGINT or SIGTERM (or `stop` resolves), then finish the requests in flight and exit 0. */
export async function serveCommand(options: ServeOptions, dirs: DirOptions, io: CliIo, stop: Promise<unknown> = untilSignal()): Promise<number> {
  const port = parsePort(options.port);
  const host = options.host ?? '127.0.0.1';
  const definitions = { mappings: dirs.mappings, schemas: dirs.schemas };
  let close: () => Promise<void>;
  if (options.sandbox) {
    if (options.databaseUrl !== undefined) throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', '--sandbox runs on a store of its own (a temporary folder, or --data); leave out --database-url');
    const sandbox = await startSandbox({ port, host, ...definitions, ...(options.data ? { dataDir: options.data } : {}), ...(options.watch ? { watch: true } : {}) });
    io.out(sandbox.banner);
    close = sandbox.close;
  } else {
    const store = await openServerStore(chooseStore(options));
    let server: UnimapServer | undefined;
    let firstKey: { key: string } | undefined;
    let url: string;
    try {
      // Instances starting together on one PostgreSQL database take turns, so only one of them makes the first key.
      firstKey = await store.db.withAdvisoryLock('unimap:first-api-key', async () => ((await store.keys.countActive()) === 0 ? store.keys.create('default') : undefined));
      server = await createServer({
        store,
        ...definitions,
        ...(options.watch ? { watch: true } : {}),
        ...(options.allowBaseUrl ? { allowedBaseUrls: options.allowBaseUrl } : {}),
        ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
        oauth: { ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}), ...(options.returnUrl ? { returnUrls: options.returnUrl } : {}) },
      });
      url = await server.listen({ port, host });
    } catch (error) {
      await server?.close();
      await store.close();
      throw error;
    }
    const running = server;
    io.out(`unimap serving on ${url} (store: ${store.location}; account secrets encrypted with ${store.keySource})`);
    if (firstKey) io.out(`No API key existed: created one for tenant "default"; it is shown once:\n${firstKey.key}`);
    io.out(`The API: ${url}/openapi.json · Ctrl-C stops after the requests in flight.`);
    close = async () => {
      await running.close();
      await store.close();
    };
  }
  await stop;
  io.out('stopping: finishing the requests in flight');
  await close();
  return 0;
}

export interface KeyOptions {
  tenant: string;
  data?: string;
  databaseUrl?: string;
}

export async function createKeyCommand(options: KeyOptions, io: CliIo): Promise<number> {
  if (!/^[\w.-]{1,128}$/.test(options.tenant)) throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', '--tenant must be 1 to 128 letters, digits, dots, dashes or underscores');
  const store = await openServerStore(chooseStore(options));
  try {
    const created = await store.keys.create(options.tenant);
    io.err(`created API key ${created.id} for tenant "${created.tenant_id}"; it is shown once, only its hash is stored:`);
    io.out(created.key);
    return 0;
  } finally {
    await store.close();
  }
}

/** PostgreSQL when a URL is given (--database-url, else env UNIMAP_DATABASE_URL), else the embedded store under --data. */
function chooseStore(flags: { data?: string; databaseUrl?: string }, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = flags.databaseUrl ?? (env['UNIMAP_DATABASE_URL'] || undefined);
  if (databaseUrl === undefined) return { dataDir: resolve(flags.data ?? DEFAULT_DATA_DIR) };
  if (flags.data !== undefined) {
    throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', '--data names a folder for the embedded database, and a PostgreSQL URL is given too (--database-url or UNIMAP_DATABASE_URL); use one or the other');
  }
  return { databaseUrl, env };
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', `--port must be 0 to 65535; got "${value}"`);
  return port;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal); // a second signal then ends the process the default way
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
