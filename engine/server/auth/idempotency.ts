import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UnimapError } from '../../index';
import type { IdempotencyRepository } from '../store/idempotency-repository';

/** Answer headers kept with a stored answer (the body's type and the write contract's warnings). */
const KEPT_HEADERS = ['content-type', 'x-unimap-warnings', 'x-unimap-remote-status'];
const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Idempotency-Key on POST and PATCH, per tenant, for 24 hours: the same key with the same request (method, path,
 * query, body) answers what the first one answered, without calling the provider again; the same key with another
 * request is refused (400). While the first request runs, a second one waits for its answer — a 409 here would be
 * retried blindly by the reference SDK's HTTP client — and after `waitMs` is told to retry (429, Retry-After).
 * Answers a retry could improve (rate limits, retriable failures) and streams are not stored.
 */
export function createIdempotency(repository: IdempotencyRepository, waitMs = 10_000) {
  async function preHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (request.method !== 'POST' && request.method !== 'PATCH') return undefined;
    const header = request.headers['idempotency-key'];
    const tenant = request.unimap.tenant;
    if (header === undefined || tenant === undefined) return undefined;
    if (typeof header !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(header)) {
      throw new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID');
    }
    const fingerprint = fingerprintOf(request);
    const until = Date.now() + waitMs;
    for (;;) {
      const claim = await repository.claim(tenant, header, fingerprint);
      if (claim.kind === 'claimed') {
        request.unimap.idempotencyKey = header;
        return undefined;
      }
      if (claim.kind === 'mismatch') {
        throw new UnimapError('UNIMAP_E_SERVER_IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with another request (method, path, query or body) in the last 24 hours');
      }
      if (claim.kind === 'replay') {
        const { status, headers, body } = claim.answer;
        return reply.code(status).headers(headers).header(REPLAYED_HEADER, 'true').send(body);
      }
      if (Date.now() >= until) {
        throw new UnimapError('UNIMAP_E_SERVER_IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running', { retryAfterSeconds: 1 });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const key = request.unimap.idempotencyKey;
    const tenant = request.unimap.tenant;
    if (key === undefined || tenant === undefined) return payload;
    request.unimap.idempotencyKey = undefined;
    const storable = typeof payload === 'string' || Buffer.isBuffer(payload) || payload === null || payload === undefined;
    if (!storable || request.unimap.failure?.retriable) {
      await repository.release(tenant, key);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body = payload === null || payload === undefined ? '' : String(payload);
    await repository.complete(tenant, key, { status: reply.statusCode, headers, body });
    return payload;
  }

  return { preHandler, onSend };
}

/** The request a key stands for: method, path, query and body, in a canonical JSON form (key order ignored). */
function fingerprintOf(request: FastifyRequest): string {
  const path = (request.raw.url ?? '').split('?')[0];
  return createHash('sha256').update(canonical([request.method, path, request.query ?? {}, request.body ?? null])).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
