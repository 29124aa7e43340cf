import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createAxiosTransport, createEngine, createOutboundLimits, loadRegistry, UnimapError, type EngineOptions, type OAuthApps, type OutboundLimits, type Registry } from '../index';
import { isOutboundLimits } from '../transport/rate-limit/outbound-limits';
import { defaultMappingsDir, defaultSchemasDir, packageRoot } from '../package-paths';
import { tenantAccountStore } from './accounts/tenant-account-store';
import { createApiKeyCheck } from './auth/api-key-check';
import { createIdempotency } from './auth/idempotency';
import { Definitions } from './definitions';
import { buildErrorReply, toServerError } from './http/error-reply';
import { parseQueryString } from './http/query-string';
import { observedTransport } from './observed-transport';
import { buildOpenApi } from './openapi/build-openapi';
import { newRequestState } from './request-state';
import { requestLogLine } from './request-log';
import { registerAccountRoutes } from './routes/account-routes';
import { registerHealthRoutes } from './routes/health-routes';
import { registerMetaRoutes } from './routes/meta-routes';
import { registerProxyRoutes } from './routes/proxy-routes';
import { registerOAuthRoutes } from './routes/oauth-routes';
import { registerUnifiedRoutes } from './routes/unified-routes';
import { readOAuthApps } from './oauth-apps';
import type { ServerContext } from './server-context';
import { openServerStore, type ServerStore } from './store/open-store';

export interface ServerOptions {
  /** Data folder for the embedded database and the secret key; undefined keeps everything in memory. */
  dataDir?: string;
  /** An already opened store (the sandbox opens it first to create its accounts). */
  store?: ServerStore;
  mappings?: string;
  schemas?: string;
  /** The definitions under `mappings`, already loaded (the sandbox loads them first to plan its accounts). */
  registry?: Registry;
  /** Reload the definitions when a file under `mappings` changes. */
  watch?: boolean;
  /** Largest request body accepted (default 1 MiB). */
  bodyLimitBytes?: number;
  /** URL prefixes a caller may give an account as base_url (the sandbox's simulators); none by default. */
  allowedBaseUrls?: string[];
  /** pino options: level and where lines go (default: info, stdout); false for no log. */
  log?: false | { level?: string; stream?: { write(line: string): void } };
  /** Passed to createEngine (the accounts, definitions and cursor key are the server's). */
  engine?: Omit<EngineOptions, 'mappings' | 'schemas' | 'accounts' | 'cursorKey'>;
  env?: NodeJS.ProcessEnv;
  /** How long a request waits for another one running with the same Idempotency-Key (default 10 s). */
  idempotencyWaitMs?: number;
  /**
   * The OAuth connect flow: the registered apps by integration, the server's public origin (providers redirect to
   * <publicUrl>/oauth/callback) and the URL prefixes a flow may return to. Defaults: env UNIMAP_OAUTH_APPS (JSON, or
   * the path of a JSON file) and UNIMAP_PUBLIC_URL; no return URLs.
   */
  oauth?: { apps?: OAuthApps; publicUrl?: string; returnUrls?: string[] };
  /**
   * Redis shared by the instances for outbound rate limits (the integrations' `rate_limit.limits`); default env
   * UNIMAP_REDIS_URL; without it each instance keeps its own budgets.
   */
  redisUrl?: string;
}

export interface UnimapServer {
  app: FastifyInstance;
  store: ServerStore;
  definitions: Definitions;
  /** Every route the server answers (method and URL pattern), as registered. */
  routes: ReadonlyArray<{ method: string; url: string }>;
  /** Start listening (127.0.0.1 and an ephemeral port unless told); the base URL. */
  listen(options?: { port?: number; host?: string }): Promise<string>;
  /** Stop taking requests, finish the ones in flight, then close the store. */
  close(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

/** The unified API as an HTTP service: a thin adapter over createEngine (see README, "The HTTP service"). */
export async function createServer(options: ServerOptions = {}): Promise<UnimapServer> {
  const env = options.env ?? process.env;
  const store = options.store ?? (await openServerStore({ dataDir: options.dataDir, env }));
  let definitions: Definitions;
  let limits: OutboundLimits | false;
  let ownLimits = false;
  try {
    const transport = observedTransport(options.engine?.transport ?? createAxiosTransport(undefined, { allowedHosts: options.engine?.allowedHosts ?? [] }));
    // Cursors signed with a key derived from the store's secret key survive restarts; UNIMAP_CURSOR_KEY still wins.
    const cursorKey = env['UNIMAP_CURSOR_KEY'] ? {} : { cursorKey: store.box.derive('next_cursor') };
    const accounts = tenantAccountStore(store.accounts, store.db, () => definitions.registry);
    const oauthApps = options.oauth?.apps ?? readOAuthApps(env);
    // One set of budgets for the life of the server: a reload's new engine keeps counting where the last one was.
    const redis = options.redisUrl ?? (env['UNIMAP_REDIS_URL'] || undefined);
    const given = options.engine?.rateLimits;
    limits = given === false || isOutboundLimits(given) ? given : createOutboundLimits({ ...given, ...(redis ? { redis } : {}) });
    ownLimits = limits !== given;
    const rateLimits = limits;
    const makeEngine = (registry: Registry) => createEngine({ ...options.engine, ...cursorKey, transport, mappings: registry, accounts, rateLimits, ...(oauthApps ? { oauthApps } : {}) });
    const dirs = { mappings: options.mappings ?? defaultMappingsDir(), schemas: options.schemas ?? defaultSchemasDir() };
    definitions = new Definitions(dirs, makeEngine, options.registry ?? loadRegistry(dirs.mappings, dirs.schemas));
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
  const context: ServerContext = {
    definitions,
    store,
    baseUrls: { allowed: options.allowedBaseUrls ?? [] },
    connect: { publicUrl: (options.oauth?.publicUrl ?? env['UNIMAP_PUBLIC_URL'])?.replace(/\/+$/, ''), returnUrls: options.oauth?.returnUrls ?? [] },
  };
  let closing = false;
  const routes: Array<{ method: string; url: string }> = [];
  const app = buildApp(context, options, () => closing, routes);
  if (options.watch) definitions.watch();
  if (options.log !== false) {
    definitions.onReload((result) => {
      if (result.ok) app.log.info({ integrations: result.integrations }, 'definitions reloaded');
      else app.log.error({ code: result.error.code }, `definitions not reloaded, the last good ones keep serving:\n${result.error.message}`);
    });
  }
  const purge = () => void Promise.all([store.idempotency.purgeExpired(), store.oauthStates.purgeExpired()]).catch((error: unknown) => app.log.warn({ err: error }, 'purging expired records failed'));
  purge();
  const purgeTimer = setInterval(purge, HOUR_MS).unref();
  await app.ready();
  return {
    app,
    store,
    definitions,
    routes,
    listen: ({ port = 0, host = '127.0.0.1' } = {}) => app.listen({ port, host }),
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(purgeTimer);
      definitions.close();
      try {
        await app.close();
      } finally {
        if (limits && ownLimits) await limits.close();
        if (!options.store) await store.close();
      }
    },
  };
}

function buildApp(context: ServerContext, options: ServerOptions, isClosing: () => boolean, routes: Array<{ method: string; url: string }>): FastifyInstance {
  const log = options.log === false ? false : { level: options.log?.level ?? 'info', ...(options.log?.stream ? { stream: options.log.stream } : {}) };
  const app = Fastify({
    logger: log,
    logController: new LogController({ disableRequestLogging: true }), // one line per request, written in onResponse
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    genReqId: (raw) => {
      const given = raw.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // Provider ids can be long (base64 tokens, URNs); find-my-way's default of 100 characters would answer 404.
    routerOptions: { querystringParser: parseQueryString, maxParamLength: 1024 },
    exposeHeadRoutes: false, // every route is in the OpenAPI document as registered, and no client sends HEAD
    return503OnClosing: false, // answered below, in the error format with Retry-After
  });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  app.decorateRequest('unimap', null as never);
  // JSON bodies; an empty one (the reference SDK sends Content-Type: application/json on DELETE) is no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `the body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  const checkKey = createApiKeyCheck(context.store.keys);
  const idempotency = createIdempotency(context.store.idempotency, options.idempotencyWaitMs);

  app.addHook('onRequest', async (request, reply) => {
    request.unimap = newRequestState(request.id);
    reply.header('x-request-id', request.id);
    if (isClosing()) throw new UnimapError('UNIMAP_E_SERVER_UNAVAILABLE', 'the server is shutting down; retry against another instance', { retryAfterSeconds: 1 });
    if ((request.routeOptions.config as { public?: boolean }).public) return;
    request.unimap.tenant = await checkKey(request.headers.authorization);
  });
  app.addHook('preHandler', idempotency.preHandler);
  app.addHook('onSend', idempotency.onSend);
  app.addHook('onSend', async (_request, reply, payload) => {
    // While closing, an answer also ends its keep-alive connection: close() waits for connections, not only requests.
    if (isClosing()) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(requestLogLine(request, reply), 'request');
  });
  app.setErrorHandler((error, request, reply) => {
    request.unimap ??= newRequestState(request.id);
    const failure = toServerError(error);
    request.unimap.failure = failure;
    if (failure.code === 'UNIMAP_E_ENGINE_INTERNAL') request.log.error({ err: failure.cause ?? error }, 'unexpected failure');
    const answer = buildErrorReply(failure, (request.params ?? {}) as { category?: string; resource?: string }, request.unimap.secrets);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((request) => {
    throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `no route answers ${request.method} ${(request.raw.url ?? '').split('?')[0]}; GET /openapi.json lists them`);
  });

  app.get('/openapi.json', { config: { public: true } }, async () => buildOpenApi(context.definitions.registry, packageVersion()));
  registerHealthRoutes(app, context, isClosing);
  registerUnifiedRoutes(app, context);
  registerMetaRoutes(app, context);
  registerProxyRoutes(app, context);
  registerAccountRoutes(app, context);
  registerOAuthRoutes(app, context);
  return app;
}

let version: string | undefined;
function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  return version;
}
