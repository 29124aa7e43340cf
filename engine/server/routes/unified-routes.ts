import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnimapError, type CallOutcome } from '../../index';
import { recordAccountHealth } from '../accounts/account-health';
import { requestStates } from '../request-state';
import { singleString, type ServerContext } from '../server-context';
import { shapeList, takeServerOptions, warningsHeader, WARNINGS_HEADER, type ServerQueryOptions } from './unified-shape';

type Params = { category: string; resource: string; id?: string; method?: string };
const STANDARD_METHODS = new Set(['list', 'get', 'create', 'update', 'delete']);
export const REMOTE_STATUS_HEADER = 'x-unimap-remote-status';

/** The unified API: the five methods, custom methods, each a thin call of engine.call. */
export function registerUnifiedRoutes(app: FastifyInstance, context: ServerContext): void {
  const base = '/unified/:category/:resource';
  app.get(base, (request, reply) => callUnified(context, request, reply, 'list'));
  app.post(base, (request, reply) => callUnified(context, request, reply, 'create'));
  app.get(`${base}/:id`, (request, reply) => callUnified(context, request, reply, 'get'));
  app.patch(`${base}/:id`, (request, reply) => callUnified(context, request, reply, 'update'));
  app.delete(`${base}/:id`, (request, reply) => callUnified(context, request, reply, 'delete'));
  app.post(`${base}/:method`, (request, reply) => {
    const method = (request.params as Params).method!;
    if (STANDARD_METHODS.has(method)) {
      throw new UnimapError('UNIMAP_E_SERVER_NOT_FOUND', `POST ${base}/${method} is not a route: "${method}" is a standard method (create is POST ${base}); this route calls custom methods`);
    }
    return callUnified(context, request, reply, method);
  });
}

async function callUnified(context: ServerContext, request: FastifyRequest, reply: FastifyReply, method: string): Promise<FastifyReply> {
  const params = request.params as Params;
  const state = request.unimap;
  state.operation = `${params.category}/${params.resource} ${method}`;
  const { options, engineQuery } = takeServerOptions({ ...(request.query as Record<string, unknown>) });
  const integratedAccountId = singleString(engineQuery, 'integrated_account_id');
  const takesBody = method !== 'list' && method !== 'get' && method !== 'delete';
  const engine = context.definitions.engine; // kept for the whole call: a reload never changes it half-way
  let outcome: CallOutcome;
  try {
    outcome = await requestStates.run(state, () => engine.call({
      category: params.category,
      resource: params.resource,
      method,
      ...(params.id === undefined ? {} : { id: params.id }),
      ...(takesBody ? { body: request.body ?? {} } : {}),
      ...(integratedAccountId === undefined ? {} : { integratedAccountId }),
      query: engineQuery,
    }));
  } catch (error) {
    await recordAccountHealth(context.store.accounts, state, error, engine.registry);
    throw error;
  }
  await recordAccountHealth(context.store.accounts, state, undefined, engine.registry);
  state.warnings = outcome.warnings;
  const warnings = warningsHeader(outcome.warnings);
  if (warnings !== undefined) reply.header(WARNINGS_HEADER, warnings);
  return sendOutcome(reply, outcome, method, options);
}

function sendOutcome(reply: FastifyReply, outcome: CallOutcome, method: string, options: ServerQueryOptions): FastifyReply {
  switch (outcome.kind) {
    case 'record':
      return reply.code(method === 'create' ? 201 : 200).send(outcome.result);
    case 'list':
      return reply.send(shapeList(outcome.result, options));
    case 'raw': {
      // The remote body untouched (decoded per the integration's body format); a page keeps its cursor beside it.
      const { status, headers, body, next_cursor } = outcome.result;
      reply.header(REMOTE_STATUS_HEADER, String(status));
      if (next_cursor !== undefined) return reply.send({ result: body, next_cursor });
      if (typeof body === 'string') return reply.type(headers['content-type'] ?? 'text/plain; charset=utf-8').send(body);
      return reply.send(body);
    }
    case 'stream':
      // The remote body piped through as it arrives, with its content type.
      reply.header(REMOTE_STATUS_HEADER, String(outcome.result.status));
      return reply.type(outcome.result.contentType ?? 'application/octet-stream').send(outcome.result.stream);
  }
}
