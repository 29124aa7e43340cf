import { UnimapError, isUnimapError } from '../errors';
import { redact, redactRemoteBody, redactText, toSecretSet, type SecretSource } from './redact';
import type { SecretSet } from './secret-set';

/** Causes are followed this far; a longer chain ends in a marker. */
const MAX_CAUSE_DEPTH = 5;

/**
 * The error with every secret form scrubbed from all it can show: message, stack, details (remote_code included),
 * remote (body included) and the cause chain. A UnimapError is rebuilt, as its fields are read-only; any other
 * Error has its message and stack rewritten in place (the engine wraps it later and quotes its message).
 */
export function redactError(error: unknown, secrets: SecretSource): unknown {
  return redactThrown(error, toSecretSet(secrets), 0);
}

/** For `promise.catch(...)`: rethrow whatever failed with the call's secrets scrubbed from it. */
export function rethrowRedacted(secrets: SecretSource): (error: unknown) => never {
  return (error) => {
    throw redactError(error, secrets);
  };
}

function redactThrown(error: unknown, set: SecretSet, depth: number): unknown {
  if (depth > MAX_CAUSE_DEPTH) return '[cause chain too long]';
  if (isUnimapError(error)) return rebuild(error, set, depth);
  if (error instanceof Error) {
    try {
      error.message = redactText(error.message, set);
      if (error.stack !== undefined) error.stack = redactText(error.stack, set);
      if (error.cause !== undefined) error.cause = redactThrown(error.cause, set, depth + 1);
    } catch {
      return new Error(redactText(String(error.message), set)); // a frozen error: a clean copy instead
    }
    return error;
  }
  return redact(error, set);
}

function rebuild(error: UnimapError, set: SecretSet, depth: number): UnimapError {
  const { remote } = error;
  const copy = new UnimapError(error.code, redactText(error.message, set), {
    status: error.status,
    retriable: error.retriable,
    ...(error.details === undefined ? {} : { details: redact(error.details, set) }),
    ...(remote === undefined ? {} : { remote: { ...redact(remote, set), body: redactRemoteBody(remote.body, set) } }),
    ...(error.position === undefined ? {} : { position: error.position }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    ...(error.cause === undefined ? {} : { cause: redactThrown(error.cause, set, depth + 1) }),
  });
  if (error.stack !== undefined) copy.stack = redactText(error.stack, set);
  return copy;
}
