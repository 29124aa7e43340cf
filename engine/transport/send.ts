import type { CompiledIntegration } from '../compile/compiled';
import type { Evaluator } from '../compile/expression';
import type { BodyFormat } from '../definition';
import { UnimapError, isUnimapError } from '../errors';
import { redact } from '../accounts/resolve-context';
import { decodeBody, type DecodeResult } from './body-codec';
import type { RemoteRequest, RemoteResponse, Transport } from './transport';

export interface DecodedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface SendOptions {
  transport: Transport;
  integration: CompiledIntegration;
  /** Method-level error hooks override the integration's. */
  error: Evaluator | undefined;
  errorWhen: Evaluator | undefined;
  bodyFormat: BodyFormat;
  idempotent: boolean;
  maxRetryWaitMs: number;
  secrets: readonly string[];
  ignoreStatus?: readonly number[];
}

const DEFAULT_MAX_RETRIES = 2;
const RETRY_STATUSES = new Set([429, 503]);
const MAX_ERROR_BODY_CHARS = 4000;

/** Send with retries for idempotent calls, decode the body, and turn remote failures into typed errors. */
export async function sendChecked(request: RemoteRequest, options: SendOptions): Promise<DecodedResponse> {
  const response = await sendWithRetries(request, options);
  const decoded = decodeBody(response.body, response.headers['content-type'], options.bodyFormat);
  const ignored = options.ignoreStatus?.includes(response.status) ?? false;
  if (response.status >= 400 && !ignored) throw await remoteError(response, decoded, options);
  if (!decoded.ok) {
    throw new UnimapError('UNIMAP_E_REMOTE_INVALID_BODY', `${options.integration.label} answered ${response.status} with a body that is not ${options.bodyFormat} (content-type ${response.headers['content-type'] ?? 'none'})`, {
      remote: { status: response.status, body: redact(truncate(response.body), options.secrets) },
    });
  }
  const errorWhen = options.errorWhen ?? options.integration.errorWhen;
  if (!ignored && errorWhen && (await errorWhen.evaluate(decoded.value, { status: response.status, headers: response.headers })) === true) {
    throw await remoteError(response, decoded, options);
  }
  return { status: response.status, headers: response.headers, body: decoded.value };
}

async function sendWithRetries(request: RemoteRequest, options: SendOptions): Promise<RemoteResponse> {
  const maxRetries = options.idempotent ? options.integration.rateLimit.max_retries ?? DEFAULT_MAX_RETRIES : 0;
  for (let attempt = 0; ; attempt++) {
    let response: RemoteResponse;
    try {
      response = await options.transport.send(request);
    } catch (error) {
      if (attempt < maxRetries && isUnimapError(error) && error.code === 'UNIMAP_E_REMOTE_NETWORK') {
        await sleep(backoffMs(attempt));
        continue;
      }
      throw error;
    }
    if (!(RETRY_STATUSES.has(response.status) || (await isRateLimited(response, options))) || attempt >= maxRetries) return response;
    const waitMs = retryWaitMs(response, options.integration);
    if (waitMs > options.maxRetryWaitMs) return response;
    await sleep(Math.max(waitMs, backoffMs(attempt)));
  }
}

/** A 429, or an answer the integration's rate_limit.when says is a rate limit (Google's 403 rateLimitExceeded). */
async function isRateLimited(response: RemoteResponse, options: SendOptions, decoded?: DecodeResult): Promise<boolean> {
  if (response.status === 429) return true;
  const when = options.integration.rateLimitWhen;
  if (!when || response.status < 400) return false;
  decoded ??= decodeBody(response.body, response.headers['content-type'], options.bodyFormat);
  if (!decoded.ok) return false;
  try {
    return (await when.evaluate(decoded.value, { status: response.status, headers: response.headers })) === true;
  } catch {
    return false; // a broken rule must not hide the remote failure
  }
}

/** Milliseconds the provider asks us to wait: Retry-After (seconds or HTTP date), else a reset epoch header. */
function retryWaitMs(response: RemoteResponse, integration: CompiledIntegration): number {
  const now = Date.now();
  const retryAfter = response.headers[(integration.rateLimit.retry_after_header ?? 'retry-after').toLowerCase()];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const at = Number.isFinite(seconds) ? now + seconds * 1000 : Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = integration.rateLimit.reset_header ? Number(response.headers[integration.rateLimit.reset_header.toLowerCase()]) : NaN;
  if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  return 1000;
}

/** What callers are told: whole seconds, at least 1 (the HTTP surface's Retry-After contract). */
function retryAfterSeconds(response: RemoteResponse, integration: CompiledIntegration): number {
  return Math.max(1, Math.ceil(retryWaitMs(response, integration) / 1000));
}

async function remoteError(response: RemoteResponse, decoded: DecodeResult, options: SendOptions): Promise<UnimapError> {
  const { integration } = options;
  const body = decoded.ok ? decoded.value : response.body;
  const expression = options.error ?? integration.error;
  let extracted: { message?: unknown; code?: unknown } | undefined;
  if (expression && body !== undefined) {
    try {
      extracted = (await expression.evaluate(body, { status: response.status, headers: response.headers })) as typeof extracted;
    } catch {
      extracted = undefined; // a broken error mapping must not hide the remote failure itself
    }
  }
  const remoteMessage = typeof extracted?.message === 'string' && extracted.message ? extracted.message : guessMessage(body) ?? `HTTP ${response.status}`;
  const remoteCode = extracted?.code === undefined || extracted.code === null ? '' : ` [${String(extracted.code)}]`;
  const remote = { status: response.status, body: redact(typeof body === 'string' ? truncate(body) : body, options.secrets) };
  const message = redact(`${integration.label} answered ${response.status}${remoteCode}: ${remoteMessage}`, options.secrets);
  if (await isRateLimited(response, options, decoded)) {
    const retryAfter = retryAfterSeconds(response, integration);
    return new UnimapError('UNIMAP_E_REMOTE_RATE_LIMITED', message, { remote, retryAfterSeconds: retryAfter });
  }
  const serverSide = response.status >= 500;
  return new UnimapError('UNIMAP_E_REMOTE_HTTP', message, {
    remote,
    status: serverSide || response.status < 400 ? 502 : response.status,
    retriable: serverSide,
    details: extracted?.code === undefined ? undefined : { remote_code: extracted.code },
  });
}

/** Without an error mapping (or when it finds nothing), the fields most APIs use. */
function guessMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? truncate(body, 200) : undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'error', 'detail', 'title', 'description']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value;
    if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') return (value as { message: string }).message;
  }
  return undefined;
}

function truncate(text: string, max = MAX_ERROR_BODY_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function backoffMs(attempt: number): number {
  return 100 * 2 ** attempt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
