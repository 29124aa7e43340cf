import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnimapError } from '../../index';
import type { HttpMethod } from '../../definition';
import { requestStates } from '../request-state';
import { singleString, type ServerContext } from '../server-context';
import { REMOTE_STATUS_HEADER } from './unified-routes';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** Provider headers worth passing back: the body's type, paging links and rate-limit state. */
const PASSED_BACK = /^(content-type|link|retry-after|x-rate-?limit-.*|ratelimit-.*|x-total-count)$/i;

/**
 * ALL /proxy/<path under the account's base URL>: the request goes to the provider with the account's auth and
 * comes back untouched (status, body, content type). Bodies are passed as bytes, whatever their type.
 */
export function registerProxyRoutes(app: FastifyInstance, context: ServerContext): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.route({
      method: METHODS,
      url: '/proxy/*',
      handler: async (request, reply) => {
        const state = request.unimap;
        state.operation = 'proxy';
        const query = { ...(request.query as Record<string, unknown>) };
        const integratedAccountId = singleString(query, 'integrated_account_id');
        for (const key of Object.keys(query)) if (key === 'integrated_account_id' || key.startsWith('truto_')) delete query[key];
        const engine = context.definitions.engine;
        const contentType = request.headers['content-type'];
        const answer = await requestStates.run(state, () => engine.proxy({
          ...(integratedAccountId === undefined ? {} : { integratedAccountId }),
          method: request.method as HttpMethod,
          segments: proxySegments(request),
          query,
          ...(typeof request.body === 'string' && request.body !== '' ? { body: request.body } : {}),
          ...(contentType === undefined ? {} : { contentType }),
        }));
        for (const [name, value] of Object.entries(answer.headers)) if (PASSED_BACK.test(name)) reply.header(name, value);
        reply.header(REMOTE_STATUS_HEADER, String(answer.status));
        return reply.code(answer.status).send(answer.stream);
      },
    });
  });
}

/** The path after /proxy/ from the raw URL, split before decoding: an encoded slash stays inside its segment. */
function proxySegments(request: FastifyRequest): string[] {
  const path = (request.raw.url ?? '').split('?')[0]!.replace(/^\/proxy\/?/, '');
  try {
    return path.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', 'the proxy path holds a malformed percent-escape');
  }
}
