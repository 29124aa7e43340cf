import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { answerAuthorize } from './authorize';
import { HoldGate } from './hold-gate';
import { importJwtKeys } from './jwt-bearer';
import { answerTokenRequest, type TokenAnswer, type TokenEndpointSettings } from './token-endpoint';
import { TokenStore } from './token-store';
import type { OAuthProviderOptions, RunningOAuthProvider, TokenFault, TokenRequestLog } from './types';

/**
 * A local OAuth 2.0 authorization server on 127.0.0.1: an authorization endpoint that consents at once and a token
 * endpoint for the code (with PKCE), refresh, client credentials and JWT bearer grants, answering as the providers
 * configured through the options do, errors included. Tokens live in memory; the test controls the clock, the
 * token endpoint's timing (hold) and its failures (failNext).
 */
export async function startOAuthProvider(options: OAuthProviderOptions): Promise<RunningOAuthProvider> {
  const now = options.now ?? Date.now;
  const clients = new Map(options.clients.map((client) => [client.client_id, client]));
  const rotate = options.refreshTokens?.rotate ?? false;
  const tokens = new TokenStore(now, options.accessTokenTtlSeconds ?? 3600, options.refreshTokens?.ttlSeconds);
  const authorizePath = options.paths?.authorize ?? '/authorize';
  const tokenPath = options.paths?.token ?? '/token';
  const subject = options.subject ?? 'user-1';
  const settings: TokenEndpointSettings = {
    clients,
    clientAuth: options.clientAuth ?? 'either',
    bodyFormats: options.bodyFormats ?? ['form'],
    grantAliases: options.grantAliases ?? {},
    requiredParams: options.requiredParams ?? {},
    jwtAudience: options.jwtAudience,
    omitExpiresIn: options.omitExpiresIn ?? false,
    extraTokenFields: options.extraTokenFields,
    grants: {
      tokens,
      now,
      refresh: {
        rotate,
        reuseDetection: rotate && (options.refreshTokens?.reuseDetection ?? true),
        graceMs: rotate ? (options.refreshTokens?.graceSeconds ?? 0) * 1000 : 0,
      },
    },
    jwtKeys: await importJwtKeys(options.clients),
  };
  const tokenRequests: TokenRequestLog[] = [];
  const faults: TokenFault[] = [];
  const gate = new HoldGate();
  let origin = '';

  const send = (reply: FastifyReply, answer: Pick<TokenAnswer, 'status' | 'headers' | 'body'>) =>
    reply.code(answer.status).headers(answer.headers).send(answer.body);
  const log = (answer: Pick<TokenAnswer, 'status' | 'grant_type' | 'client_id' | 'error'>, abandoned: boolean) => {
    const entry: TokenRequestLog = { grant_type: answer.grant_type, status: answer.status, at: now() };
    if (answer.client_id !== undefined) entry.client_id = answer.client_id;
    if (answer.error !== undefined) entry.error = answer.error;
    if (abandoned) entry.abandoned = true;
    tokenRequests.push(entry);
  };

  const app = Fastify({ logger: false });
  // The token endpoint reads the raw body itself: form, JSON or anything else, each answered the OAuth way.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // What Fastify refuses before a handler runs (a body without a content type, one too large) is still an OAuth answer.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode < 500 ? 400 : 500;
    const body = { error: status === 400 ? 'invalid_request' : 'server_error', error_description: error.message };
    if (request.routeOptions.url === tokenPath) log({ status, grant_type: '', error: body.error }, false);
    return send(reply, { status, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body });
  });

  app.get(authorizePath, async (request, reply) => {
    const answer = answerAuthorize(rawQuery(request), { clients, tokens, requirePkce: options.requirePkce ?? false, subject });
    if (answer.kind === 'redirect') return reply.redirect(answer.location, 302);
    return reply.code(400).header('cache-control', 'no-store').send(answer.body);
  });

  app.post(tokenPath, async (request, reply) => {
    let clientGone = false;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) clientGone = true;
    });
    await gate.pass(async () => {
      const fault = faults.shift();
      if (fault) {
        if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        const error = (fault.body as { error?: unknown } | undefined)?.error;
        log({ status: fault.status, grant_type: grantTypeOf(request), ...(typeof error === 'string' ? { error } : {}) }, clientGone);
        reply.code(fault.status).headers(fault.headers ?? {}).send(fault.body ?? '');
        return;
      }
      const answer = await answerTokenRequest({
        contentType: request.headers['content-type'],
        authorization: request.headers.authorization,
        rawBody: typeof request.body === 'string' ? request.body : '',
        tokenUrl: `${origin}${request.url.split('?')[0]}`,
      }, settings);
      log(answer, clientGone);
      send(reply, answer);
    }, () => clientGone);
    return reply;
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    url: origin,
    authorizeUrl: `${origin}${authorizePath}`,
    tokenUrl: `${origin}${tokenPath}`,
    tokenRequests,
    refreshCount: () => tokenRequests.filter((entry) => entry.grant_type === 'refresh_token' && entry.status === 200).length,
    introspect: (accessToken) => tokens.introspect(accessToken),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    issue(client_id, seed = {}) {
      if (!clients.has(client_id)) throw new TypeError(`issue(): no client ${client_id} is registered`);
      const family = tokens.openFamily({ client_id, subject: seed.subject ?? subject, scope: seed.scope });
      const access = tokens.issueAccessToken(family, family.scope, seed.expired ? 0 : undefined);
      return { access_token: access.token, refresh_token: tokens.issueRefreshToken(family), expires_in: access.expiresIn };
    },
    revoke(token) {
      const family = tokens.familyOf(token);
      if (family !== undefined) tokens.revokeFamily(family);
    },
    hold: () => gate.hold(),
    failNext: (fault) => void faults.push(fault),
    async close() {
      // Held requests are answered first: the server cannot close while they wait.
      gate.release();
      await app.close();
    },
  };
}

const rawQuery = (request: FastifyRequest) => {
  const index = request.url.indexOf('?');
  return index < 0 ? '' : request.url.slice(index + 1);
};

/** The grant type of a request answered by a fault, for the log (the fault replaces reading it properly). */
function grantTypeOf(request: FastifyRequest): string {
  if (typeof request.body !== 'string') return '';
  try {
    const params: unknown = request.headers['content-type']?.includes('json') ? JSON.parse(request.body) : Object.fromEntries(new URLSearchParams(request.body));
    const grant = (params as { grant_type?: unknown } | null)?.grant_type;
    return typeof grant === 'string' ? grant : '';
  } catch {
    return '';
  }
}
