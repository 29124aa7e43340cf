import { STATUS_CODES } from 'node:http';
import { UnimapError, isUnimapError } from '../../index';
import { redact } from '../../secrets/redact';
import type { SecretSet } from '../../secrets/secret-set';
import { insightFor } from './insight';

/** An error answer: status, headers and the JSON body the reference API and its SDK read. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Fastify's own failures (body parsing, limits) in the catalogue's terms. */
const FASTIFY_CODES: Record<string, [UnimapError['code'], string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['UNIMAP_E_SERVER_BODY_TOO_LARGE', 'the request body is larger than this server accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNIMAP_E_SERVER_UNSUPPORTED_MEDIA_TYPE', 'this route reads application/json bodies'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['UNIMAP_E_SERVER_INVALID_REQUEST', 'the Content-Length header does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['UNIMAP_E_REQ_INVALID_JSON', 'the body is empty although Content-Type says JSON'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['UNIMAP_E_REQ_INVALID_JSON', 'the body is not valid JSON'],
  FST_ERR_BAD_URL: ['UNIMAP_E_SERVER_INVALID_REQUEST', 'the URL is not well-formed (a bad percent-escape?)'],
  FST_ERR_INVALID_URL: ['UNIMAP_E_SERVER_INVALID_REQUEST', 'the URL is not well-formed'],
};

/** Whatever a route threw, as a UnimapError; anything unforeseen is an internal error (logged by the caller). */
export function toServerError(error: unknown): UnimapError {
  if (isUnimapError(error)) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const known = FASTIFY_CODES[code];
  if (known) return new UnimapError(known[0], known[1]);
  if (error instanceof SyntaxError && (error as { statusCode?: unknown }).statusCode === 400) return new UnimapError('UNIMAP_E_REQ_INVALID_JSON', `the body is not valid JSON: ${error.message}`);
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new UnimapError('UNIMAP_E_SERVER_INVALID_REQUEST', error instanceof Error ? error.message : 'the request is not usable', { status });
  }
  return new UnimapError('UNIMAP_E_ENGINE_INTERNAL', 'an unexpected failure in the server; it is logged with the request id', { cause: error });
}

/**
 * The answer for an error: `{ statusCode, error, code, message, details?, remote?, insight?, retriable }`.
 * `error` is the status's reason phrase, as Fastify and the reference API write it. Two statuses are adjusted for
 * clients that retry on their own: 409 (retried blindly by ofetch, which the reference SDK uses) becomes 422 —
 * the remote status stays in `remote.status` — and every 429 or 503 carries Retry-After in whole seconds ≥ 1.
 */
export function buildErrorReply(error: UnimapError, route: { category?: string | undefined; resource?: string | undefined }, secrets: SecretSet): ErrorReply {
  const status = error.status === 409 ? 422 : error.status;
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? 1)));
  if (error.code === 'UNIMAP_E_SERVER_UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
  const json = error.toJSON();
  const insight = insightFor(error, route);
  const body: Record<string, unknown> = {
    ...json,
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    ...(insight === undefined ? {} : { insight }),
  };
  // The engine scrubs its errors already; this pass covers what the server adds (insight quotes remote text).
  return { status, headers, body: secrets.size > 0 ? redact(body, secrets) : body };
}
