/**
 * Whether a failed non-idempotent request (a create, a POST step) may have been applied by the provider.
 * A caller that retries because `retriable` said so must never create a duplicate: once the request may
 * have reached the provider and no answer says otherwise, the outcome is unknown and the error is not retriable.
 */
import { UnimapError, type RemoteFailure, type UnimapErrorOptions } from '../errors';
import { isPlainObject } from '../own-keys';

export type Outcome = 'not_applied' | 'unknown';

/** Transport failures whose request was (or was not) written to the connection; set by the transport that knows. */
const written = new WeakMap<UnimapError, boolean>();

export function markRequestWritten<E extends UnimapError>(error: E, wasWritten: boolean): E {
  written.set(error, wasWritten);
  return error;
}

export function copyOutcomeMarks<E extends UnimapError>(from: UnimapError, to: E): E {
  const mark = written.get(from);
  if (mark !== undefined) written.set(to, mark);
  return to;
}

/** Causes that mean nothing reached the provider, for transports that do not mark their errors. */
const NOTHING_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

/** What a transport failure (no HTTP answer, or an unreadable one) says about the request. */
export function transportOutcome(error: UnimapError): Outcome {
  if (error.code === 'UNIMAP_E_REQ_HOST_NOT_ALLOWED') return 'not_applied';
  const mark = written.get(error);
  if (mark !== undefined) return mark ? 'unknown' : 'not_applied';
  return typeof error.cause === 'string' && NOTHING_SENT.has(error.cause) ? 'not_applied' : 'unknown';
}

/**
 * What an HTTP answer says: a rate limit (429, or 503 with Retry-After) was refused before any work;
 * other 5xx may come after the provider applied the change. 2xx-4xx answers keep their meaning.
 */
export function answerOutcome(status: number, rateLimited: boolean, retryAfterGiven: boolean): Outcome | undefined {
  if (rateLimited || (status === 503 && retryAfterGiven)) return 'not_applied';
  return status >= 500 ? 'unknown' : undefined;
}

/** The same error, saying its outcome: unknown ones are not retriable and say why in the message. */
export function withOutcome(error: UnimapError, outcome: Outcome): UnimapError {
  const details = error.details === undefined ? { outcome } : isPlainObject(error.details) ? { ...error.details, outcome } : { outcome, details: error.details };
  if (outcome === 'not_applied') return reviseError(error, { details });
  return reviseError(error, {
    details,
    retriable: false,
    message: `${error.message} — the request may have been applied: its outcome is unknown, so this is not retriable (check whether it took effect before sending it again)`,
  });
}

/** A copy of an error with some fields changed (UnimapError is immutable); outcome marks go along. */
export function reviseError(error: UnimapError, changes: { message?: string; retriable?: boolean; details?: unknown; remote?: RemoteFailure }): UnimapError {
  const options: UnimapErrorOptions = { status: error.status, retriable: changes.retriable ?? error.retriable };
  const details = 'details' in changes ? changes.details : error.details;
  if (details !== undefined) options.details = details;
  const remote = changes.remote ?? error.remote;
  if (remote !== undefined) options.remote = remote;
  if (error.position !== undefined) options.position = error.position;
  if (error.retryAfterSeconds !== undefined) options.retryAfterSeconds = error.retryAfterSeconds;
  if (error.cause !== undefined) options.cause = error.cause;
  return copyOutcomeMarks(error, new UnimapError(error.code, changes.message ?? error.message, options));
}
