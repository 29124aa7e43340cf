/**
 * What the runtime marks on the functions the compiled code makes (lambdas, partial applications, chains): the
 * forms jsonata represents as lambda objects, with the call-site fields jsonata writes on them.
 */

/** The body of a lambda (see ./lambdas); `this` is the apply input. */
export const BODY = Symbol('lambda body');
/** The signature a lambda validates its arguments against. */
export const SIGNATURE = Symbol('lambda signature');
/** Marks a compiled lambda (so that partial application binds its parameters, not a native function's). */
export const LAMBDA = Symbol('compiled lambda');
/**
 * Where the function was last called from: jsonata writes `token` and `position` on a lambda object at each call
 * (and at each tail call), and an error leaving the lambda takes them (see leftLambda in ./functions).
 */
export const CALLED_AS = Symbol('last call token');
export const CALLED_AT = Symbol('last call position');

import { NeedsAsync, Unsupported } from './errors';

type Marked = { [BODY]?: unknown; [LAMBDA]?: true; [CALLED_AS]?: unknown; [CALLED_AT]?: number };

/** A function the compiled code made (what jsonata would hold as a lambda object). */
export function isCompiled(f: unknown): boolean {
  return typeof f === 'function' && ((f as Marked)[LAMBDA] === true || (f as Marked)[BODY] !== undefined);
}

/** Record a call of `f` as jsonata records it on its lambda objects. */
export function noteCall(f: unknown, token: unknown, position: number): void {
  if (!isCompiled(f)) return;
  (f as Marked)[CALLED_AS] = token;
  (f as Marked)[CALLED_AT] = position;
}

/**
 * An error leaving a lambda: jsonata's applyInner gives it the lambda's token when it has none and the position of
 * the lambda's last call (when there is one), so an error inside a function is reported where it was called.
 */
export function leftLambda(error: unknown, f: unknown): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Unsupported || error instanceof NeedsAsync || tailErrors.delete(error)) return error;
  const e = error as { token?: unknown; position?: unknown };
  const token = (f as Marked)[CALLED_AS];
  if (e.token === undefined && token !== undefined) e.token = token;
  const position = (f as Marked)[CALLED_AT];
  if (position) e.position = position;
  return error;
}

/**
 * Errors of a tail call made at once in a lambda's body: jsonata makes it from its trampoline, after the lambda
 * returned, so the lambda's own leftLambda passes them on untouched.
 */
const tailErrors = new WeakSet<object>();

export function fromTailCall(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) tailErrors.add(error);
  return error;
}
