import type { FastifyReply, FastifyRequest } from 'fastify';
import { redact } from '../secrets/redact';

/**
 * The one log line of a request: who (tenant, account, integration), what (the unified operation, HTTP method and
 * path), what the provider answered, how long it took and what the write contract warned about. Values are
 * scrubbed of the account's secrets by value, whatever field they turn up in; headers are never logged.
 */
export function requestLogLine(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const state = request.unimap;
  const line = {
    tenant: state.tenant,
    account: state.account?.id,
    integration: state.account?.integration,
    operation: state.operation,
    method: request.method,
    path: (request.raw.url ?? '').split('?')[0],
    status: reply.statusCode,
    remote_status: state.remoteStatus,
    remote_calls: state.remoteCalls,
    duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    ...(state.failure ? { error: state.failure.code } : {}),
    ...(state.warnings.length > 0 ? { warnings: state.warnings.map((w) => ({ code: w.code, field: w.field, message: w.message })) } : {}),
  };
  return state.secrets.size > 0 ? redact(line, state.secrets) : line;
}
