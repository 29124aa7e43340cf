import type { CompiledIntegration } from '../compile/compiled';
import type { Evaluator } from '../compile/expression';
import type { BodyFormat } from '../definition';
import { UnimapError, isUnimapError } from '../errors';
import { redact, redactRemoteBody, redactRemoteText, redactText, type SecretSource } from '../secrets/redact';
import { decodeBody, type DecodeResult } from './body-codec';
import { leavesTimeFor, sendWithinDeadline, withinDeadline, type CallDeadline } from './deadline';
import { capErrorBody, capSerialised, capText, MAX_ERROR_BODY_CHARS, MAX_ERROR_MESSAGE_CHARS } from './error-body';
import { answerOutcome, reviseError, transportOutcome, withOutcome } from './outcome';
import type { Readable } from 'node:stream';
import type { AnswerScope } from '../call-scope';
import type { RemoteRequest, RemoteResponse, StreamedResponse, Transport } from './transport';

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
  secrets: SecretSource;
  ignoreStatus?: readonly number[];
  /** The unified call's deadline: each attempt gets at most what is left, and no retry starts that it cannot cover. */
  deadline?: CallDeadline;
  /** The call's variables for error, error_when and rate_limit.when ($context, $params, $query, … $status, $headers). */
  scope: AnswerScope;
  /**
   * Waits for room in the integration's outbound budgets (rate_limit.limits) before each request, a retry too;
   * throws UNIMAP_E_REMOTE_OUTBOUND_LIMIT when none comes before the deadline (transport/rate-limit/).
   */
  admit?: () => Promise<void>;
}

const DEFAULT_MAX_RETRIES = 2;
const RETRY_STATUSES = new Set([429, 503]);

/** Send with retries for idempotent calls, decode the body, and turn remote failures into typed errors. */
export async function sendChecked(request: RemoteRequest, options: SendOptions): Promise<DecodedResponse> {
  const { response, decoded: seen, rateLimited } = await sendWithRetries(request, options);
  const decoded = seen ?? decodeBody(response.body, response.headers['content-type'], options.bodyFormat);
  const ignored = options.ignoreStatus?.includes(response.status) ?? false;
  // Redirects are never followed (they could carry credentials elsewhere), so only 2xx is success.
  if ((response.status < 200 || response.status >= 300) && !ignored) throw await remoteError(response, decoded, options, rateLimited);
  // A 2xx that rate_limit.when says is a rate limit is one (Marketo's 606 at HTTP 200), whatever error_when says.
  if (rateLimited && !ignored) throw await remoteError(response, decoded, options, true);
  // A JSON integration's success is JSON: an XML or form answer (a proxy's page, a wrong endpoint) is no record.
  if (!decoded.ok || (options.bodyFormat === 'json' && (decoded.as === 'xml' || decoded.as === 'form'))) {
    throw new UnimapError('UNIMAP_E_REMOTE_INVALID_BODY', `${options.integration.label} answered ${response.status} with a body that is not ${options.bodyFormat} (content-type ${response.headers['content-type'] ?? 'none'})`, {
      remote: { status: response.status, body: truncate(redactRemoteText(response.body, options.secrets)) },
    });
  }
  const errorWhen = options.errorWhen ?? options.integration.errorWhen;
  if (!ignored && errorWhen && (await evaluateHook(errorWhen, decoded.value, response, options)) === true) {
    throw await remoteError(response, decoded, options, rateLimited);
  }
  return { status: response.status, headers: response.headers, body: decoded.value };
}

const STREAM_ERROR_BODY_BYTES = 64 * 1024;

/**
 * truto_response_format=stream: a 2xx body is handed over as it arrives; any other status is read (at most
 * 64 KiB) and reported like any remote failure, so a redirect or an error page never passes for the data.
 */
export async function sendStreamed(request: RemoteRequest, options: SendOptions): Promise<StreamedResponse> {
  await options.admit?.();
  // What the wait for room used is no longer the request's to spend.
  const streamed = await options.transport.stream(withinDeadline(request, options.deadline));
  if (streamed.status >= 200 && streamed.status < 300) return streamed;
  const body = await readStart(streamed.stream, STREAM_ERROR_BODY_BYTES);
  const response: RemoteResponse = { status: streamed.status, headers: streamed.headers, body };
  throw await remoteError(response, decodeBody(body, response.headers['content-type'], options.bodyFormat), options);
}

async function readStart(stream: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= maxBytes) break;
    }
  } catch {
    // an error body that fails half-way still tells the status
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** The last answer of a send, with what reading it already established (so nothing is decoded or evaluated twice). */
interface SentAnswer {
  response: RemoteResponse;
  /** The decoded body, when rate_limit.when had to read it. */
  decoded?: DecodeResult;
  /** A 429, or an answer rate_limit.when says is a rate limit. */
  rateLimited: boolean;
}

async function sendWithRetries(request: RemoteRequest, options: SendOptions): Promise<SentAnswer> {
  const maxRetries = options.idempotent ? options.integration.rateLimit.max_retries ?? DEFAULT_MAX_RETRIES : 0;
  await options.admit?.();
  for (let attempt = 0; ; attempt++) {
    let response: RemoteResponse;
    try {
      response = await sendWithinDeadline((r) => options.transport.send(r), request, options.deadline);
    } catch (error) {
      // Only a failed connection is retried: an oversized, undecodable or timed-out answer would come back the same.
      if (attempt < maxRetries && isUnimapError(error) && error.code === 'UNIMAP_E_REMOTE_NETWORK' && leavesTimeFor(options.deadline, backoffMs(attempt))) {
        await sleep(backoffMs(attempt));
        if (await admitRetry(options)) continue;
      }
      throw settleTransportError(error, options);
    }
    const answer = await readRateLimit(response, options);
    if (!(RETRY_STATUSES.has(response.status) || answer.rateLimited) || attempt >= maxRetries) return answer;
    const waitMs = retryWaitMs(response, options.integration);
    // A wait longer than allowed, or than the call has left, is not started: the last answer is the result.
    if (waitMs > options.maxRetryWaitMs || !leavesTimeFor(options.deadline, Math.max(waitMs, backoffMs(attempt)))) return answer;
    await sleep(Math.max(waitMs, backoffMs(attempt)));
    if (!(await admitRetry(options))) return answer;
  }
}

/**
 * A retry draws on the outbound budgets like any request (the provider counts it). When they have no room before
 * the deadline, the retry is not sent and the last outcome stands, as for a Retry-After the deadline cannot cover.
 */
async function admitRetry(options: SendOptions): Promise<boolean> {
  try {
    await options.admit?.();
    return true;
  } catch (error) {
    if (isUnimapError(error) && error.code === 'UNIMAP_E_REMOTE_OUTBOUND_LIMIT') return false;
    throw error;
  }
}

/**
 * A transport failure as the caller sees it: what it kept of the answer redacted, then cut to the error size;
 * for a non-idempotent request, whether it may have been applied.
 */
function settleTransportError(error: unknown, options: SendOptions): unknown {
  if (!isUnimapError(error)) return error; // e.g. a replaying transport's mismatch: not a remote failure
  let settled: UnimapError = error;
  if (error.remote && typeof error.remote.body === 'string') {
    settled = reviseError(error, { remote: { status: error.remote.status, body: capErrorBody(redactRemoteText(error.remote.body, options.secrets)) } });
  }
  return options.idempotent ? settled : withOutcome(settled, transportOutcome(settled));
}

/**
 * A 429, or an answer the integration's rate_limit.when says is a rate limit, at any status: Google's 403
 * rateLimitExceeded, Marketo's HTTP 200 with error 606. Only an integration with `when` decodes the body here.
 */
async function readRateLimit(response: RemoteResponse, options: SendOptions, decoded?: DecodeResult): Promise<SentAnswer> {
  if (response.status === 429) return { response, ...(decoded ? { decoded } : {}), rateLimited: true };
  const when = options.integration.rateLimitWhen;
  if (!when) return { response, ...(decoded ? { decoded } : {}), rateLimited: false };
  decoded ??= decodeBody(response.body, response.headers['content-type'], options.bodyFormat);
  const rateLimited = (await evaluateHook(when, decoded.ok ? decoded.value : response.body, response, options)) === true;
  return { response, decoded, rateLimited };
}

/**
 * Run an error or rate-limit hook over an answer with the call's variables. A hook that fails is a definition
 * error at its file:line (reported with the remote answer it was reading), never silently skipped.
 */
async function evaluateHook(hook: Evaluator, body: unknown, response: RemoteResponse, options: SendOptions): Promise<unknown> {
  try {
    return await hook.evaluate(body, options.scope.answer(response));
  } catch (error) {
    if (!isUnimapError(error) || error.code !== 'UNIMAP_E_MAP_EVALUATION') throw error;
    throw new UnimapError('UNIMAP_E_MAP_EVALUATION', `${error.message} (while reading ${options.integration.label}'s ${response.status} answer)`, {
      ...(error.position ? { position: error.position } : {}),
      details: error.details,
      remote: { status: response.status, body: capErrorBody(redactRemoteBody(body, options.secrets)) },
    });
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

async function remoteError(response: RemoteResponse, decoded: DecodeResult, options: SendOptions, rateLimitedAnswer?: boolean): Promise<UnimapError> {
  const { integration } = options;
  // Redacted before anything reads, cuts or shows it: a secret cut in half by truncation no longer matches.
  const body = redactRemoteBody(decoded.ok ? decoded.value : response.body, options.secrets);
  const expression = options.error ?? integration.error;
  // The error mapping runs on every failed answer, empty or not: some APIs give the reason only in a header.
  const extracted = expression ? (await evaluateHook(expression, body, response, options)) as { message?: unknown; code?: unknown; status?: unknown } | undefined : undefined;
  const remoteMessage = capText(typeof extracted?.message === 'string' && extracted.message ? extracted.message : guessMessage(body) ?? `HTTP ${response.status}`, MAX_ERROR_MESSAGE_CHARS);
  const remoteCode = extracted?.code === undefined || extracted.code === null ? '' : ` [${String(extracted.code)}]`;
  const remote = { status: response.status, body: capErrorBody(body) };
  const rateLimited = rateLimitedAnswer ?? (await readRateLimit(response, options, decoded)).rateLimited;
  // What the answer means when its HTTP status does not say (a 200 whose body says "not found"); remote.status stays real.
  const meant = rateLimited ? undefined : mappedStatus(extracted?.status, response.status);
  const status = meant ?? response.status;
  const message = redactText(`${integration.label} answered ${response.status}${meant ? ` (taken as ${meant})` : ''}${remoteCode}: ${remoteMessage}`, options.secrets);
  const error = rateLimited
    ? new UnimapError('UNIMAP_E_REMOTE_RATE_LIMITED', message, { remote, retryAfterSeconds: retryAfterSeconds(response, integration) })
    : new UnimapError('UNIMAP_E_REMOTE_HTTP', message, {
      remote,
      // as for a real status: 4xx passed through, 5xx (and anything outside 4xx) answered as 502
      status: status >= 500 || status < 400 ? 502 : status,
      retriable: status >= 500,
      details: extracted?.code === undefined ? undefined : { remote_code: redact(extracted.code, options.secrets) },
    });
  if (options.idempotent) return error;
  // A non-idempotent request answered 5xx may have been applied; a rate limit (429, 503 with Retry-After) was not.
  const retryAfterGiven = response.headers[(integration.rateLimit.retry_after_header ?? 'retry-after').toLowerCase()] !== undefined;
  const outcome = answerOutcome(status, rateLimited, retryAfterGiven);
  return outcome ? withOutcome(error, outcome) : error;
}

/** The error mapping's `status` when it is an HTTP error status (400–599) other than the one answered, else undefined. */
function mappedStatus(value: unknown, answered: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599 && value !== answered ? value : undefined;
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
  return capSerialised(text, max);
}

function backoffMs(attempt: number): number {
  return 100 * 2 ** attempt;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
