/**
 * Errors as jsonata raises them: plain objects with a `code` (S0xxx/T/D), `position`, `token`, `value` and a
 * human message. The engine reads `code`, `message`, `position` and `token`.
 */
export interface JsonataError {
  code: string;
  message: string;
  position?: number | undefined;
  token?: string | undefined;
  value?: unknown;
  value2?: unknown;
  index?: number;
  stack?: string;
  /** The error inside a D3120/D3121 (jsonata's functionEval keeps it). */
  error?: unknown;
}

const MESSAGES: Record<string, string> = {
  D1001: 'Number out of range',
  D1002: 'Cannot negate a non-numeric value',
  T1003: 'Key in object structure must evaluate to a string',
  D1004: 'Regular expression matches zero length string',
  T1005: 'Attempted to invoke a non-function (did you forget the leading $?)',
  T1006: 'Attempted to invoke a non-function',
  D1009: 'Multiple key definitions evaluate to same key',
  D1011: 'Stack overflow error: the expression nests or recurses too deeply',
  D1012: 'Expression evaluation timeout: the expression ran for too long',
  D1013: 'Object key is reserved by the implementation',
  D1014: 'String too long: a built-in function or & would produce more characters than the limit',
  T2001: 'The left side of the operator must evaluate to a number',
  T2002: 'The right side of the operator must evaluate to a number',
  T2003: 'The left side of the range operator (..) must evaluate to an integer',
  T2004: 'The right side of the range operator (..) must evaluate to an integer',
  T2006: 'The right side of the function application operator ~> must be a function',
  T2009: 'The values either side of the operator must be of the same data type',
  T2010: 'The expressions either side of the operator must evaluate to numeric or string values',
  D2014: 'The size of the sequence allocated by the range operator (..) must not exceed 1e7',
  D3001: 'Attempting to invoke string function on Infinity or NaN',
  D3010: 'Second argument of replace function cannot be an empty string',
  D3011: 'Fourth argument of replace function must evaluate to a positive number',
  D3012: 'Attempted to replace a matched string with a non-string value',
  D3020: 'Third argument of split function must evaluate to a positive number',
  T1010: 'The matcher function argument passed to function does not return the correct object structure',
  T0410: 'An argument of the function does not match its signature',
  T0411: 'The context value does not match the signature of the function',
  T0412: 'An array argument holds items of a type the signature of the function does not allow',
  T1007: 'Attempted to partially apply a non-function (did you forget the leading $?)',
  T1008: 'Attempted to partially apply a non-function',
  T2007: 'The values an order-by clause compares must be all numbers or all strings',
  T2008: 'The expressions of an order-by clause must evaluate to numbers or strings',
  T2011: 'The update clause of a transform must evaluate to an object',
  T2012: 'The delete clause of a transform must evaluate to a string or an array of strings',
  T2013: 'The $clone function used by a transform is not a function',
  D3120: 'Syntax error in the text passed to $eval',
  D3121: 'Error evaluating the text passed to $eval',
  S0303: 'The regular expression uses a feature that cannot run in linear time or is not supported',
  U0001: 'The expression needs asynchronous evaluation; call evaluate() instead of evaluateSync()',
};

/** A jsonata-shaped error object with a message. */
export function jerr(code: string, props: Partial<JsonataError> = {}): JsonataError {
  const error: JsonataError = { code, message: '', ...props } as JsonataError;
  finishMessage(error);
  return error;
}

/** Errors thrown by jsonata's own function implementations carry no message until populated. */
export function finishMessage(error: unknown): void {
  if (typeof error !== 'object' || error === null) return;
  const e = error as Partial<JsonataError>;
  if (typeof e.code !== 'string') return;
  if (typeof e.message === 'string' && e.message !== '') return;
  const base = MESSAGES[e.code] ?? `JSONata error ${e.code}`;
  let detail = '';
  try {
    if (e.value !== undefined && typeof e.value !== 'function') detail = `: ${JSON.stringify(e.value)}`;
  } catch {
    detail = '';
  }
  e.message = `${base}${detail}`;
}

/** Thrown when the compiled code meets a case it does not implement; the caller re-runs on jsonata. */
export class Unsupported extends Error {
  constructor(readonly reason: string) {
    super(`not compiled: ${reason}`);
  }
}

/** Raised by evaluateSync when a value turns out to be asynchronous. */
export class NeedsAsync extends Error {
  constructor() {
    super('asynchronous value in synchronous evaluation');
  }
}

/** Attach position/token like jsonata's evaluateBinary/evaluateFunction do (only when missing, where jsonata does). */
export function locate(error: unknown, position: number | undefined, token: string | undefined, overwrite: boolean): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Unsupported || error instanceof NeedsAsync) return error;
  const e = error as Partial<JsonataError>;
  if (overwrite) {
    if (position !== undefined) e.position = position;
    if (token !== undefined) e.token = token;
  } else {
    if (!e.position && position !== undefined) e.position = position;
    if (!e.token && token !== undefined) e.token = token;
  }
  return error;
}

/** jsonata evaluates group values concurrently: when one but the last fails, the winning error is jsonata's to pick. */
export function concurrentError(error: unknown): unknown {
  if (error instanceof Unsupported || error instanceof NeedsAsync) return error;
  return new Unsupported('an error among concurrently evaluated group values');
}
