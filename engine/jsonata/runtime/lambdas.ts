/**
 * Lambdas as the compiled code makes them: JavaScript functions, called with the context of the call as `this`
 * (jsonata's `input` of apply: what a `-` parameter takes and a tail-called built-in sees). A lambda whose body
 * ends in a call, or that has a signature, is made of two functions: the one callers get (checks the signature,
 * counts the depth, runs tail calls in a loop) and its body (`BODY`), which returns a TailCall instead of making
 * its last call. jsonata does the same with thunks and a trampoline, so a tail-recursive lambda runs in constant
 * stack and depth, while real nesting still ends in D1011.
 */
import { jerr, NeedsAsync, Unsupported } from './errors';
import { isFn, isLambdaObject } from './values';
import { applyAsync, applySync, call, callA, isPromise, nativeFocus, type Env, type JFunction } from './functions';
import type { Signature } from './signature';
import { SYNC_FORM, type BuiltinObject } from './bounded-builtins';
import jsonata from 'jsonata';

/** The body of a lambda (see above); `this` is the apply input. */
export const BODY = Symbol('lambda body');
/** The signature a lambda validates its arguments against. */
export const SIGNATURE = Symbol('lambda signature');
/** Marks a compiled lambda (so that partial application binds its parameters, not a native function's). */
export const LAMBDA = Symbol('compiled lambda');

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Compiled = Fn & { [BODY]?: Fn; [SIGNATURE]?: Signature; [LAMBDA]?: true };

/** A call in tail position, made by the trampoline of the lambda that returned it. */
export class TailCall {
  constructor(readonly proc: unknown, readonly args: unknown[], readonly name: string | undefined, readonly position: number) {}
}

function bodyOf(proc: unknown): Fn | undefined {
  return typeof proc === 'function' ? (proc as Compiled)[BODY] : undefined;
}

function located(error: unknown, name: string | undefined, position: number): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Unsupported || error instanceof NeedsAsync) return error;
  const e = error as { position?: unknown; token?: unknown };
  if (!e.position) e.position = position;
  if (!e.token) e.token = name;
  return error;
}

/** Run tail calls until one gives a value: lambdas' bodies in this loop, anything else as an ordinary call. */
export function trampoline(env: Env, result: unknown, input: unknown): unknown {
  while (result instanceof TailCall) {
    const { proc, args, name, position } = result;
    const body = bodyOf(proc);
    if (body === undefined) return call(env, proc, args, input, name ?? '', position, 0);
    env.g.tick(1);
    try {
      const sig = (proc as Compiled)[SIGNATURE];
      result = body.apply(input, sig === undefined ? args : sig.validate(args, input, env.g));
    } catch (error) {
      throw located(error, name, position);
    }
  }
  return result;
}

export async function trampolineA(env: Env, first: unknown, input: unknown): Promise<unknown> {
  let result = first;
  while (result instanceof TailCall) {
    const { proc, args, name, position } = result;
    const body = bodyOf(proc);
    if (body === undefined) return callA(env, proc, args, input, name ?? '', position, 0);
    env.g.tick(1);
    if (env.g.due) await env.g.pause();
    try {
      const sig = (proc as Compiled)[SIGNATURE];
      result = await body.apply(input, sig === undefined ? args : sig.validate(args, input, env.g));
    } catch (error) {
      throw located(error, name, position);
    }
  }
  return result;
}

/** jsonata's trampoline sets properties on a tail call's procedure: undefined or null fails with a TypeError. */
export function tailProcedure(proc: unknown): void {
  if (proc === undefined || proc === null) throw new TypeError(`Cannot set properties of ${String(proc)} (setting 'token')`);
}

/** The placeholder `?` of a partial application, among the evaluated arguments. */
export const HOLE = Symbol('?');

/** Give a function jsonata's arity (what higher-order built-ins read to decide how many arguments to pass). */
function withLength<T extends Fn>(fn: T, length: number): T {
  Object.defineProperty(fn, 'length', { value: length });
  return fn;
}

/**
 * `$f(a, ?, c)`: the arguments are evaluated (left to right, `?` kept as HOLE) before the procedure; then
 * jsonata's partialApplyProcedure or partialApplyNativeFunction. T1007 when the procedure is a bare name that
 * resolves to nothing at the context but to a function among the variables (the missing `$`), T1008 for anything
 * that is not a function.
 */
export function partial(env: Env, proc: unknown, args: unknown[], async: boolean, name: string | undefined, position: number, named: unknown): unknown {
  if (proc === undefined && named) {
    throw jerr('T1007', { position, token: name });
  }
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (typeof proc === 'function' && ((proc as Compiled)[LAMBDA] === true || (proc as Compiled)[BODY] !== undefined)) return partialLambda(env, proc as Compiled, args, async);
  if (proc !== null && typeof proc === 'object' && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction & BuiltinObject;
    return partialNative(env, fn.implementation as Fn, async ? undefined : fn[SYNC_FORM], args, async);
  }
  if (typeof proc === 'function') return partialNative(env, proc as Fn, undefined, args, async);
  throw jerr('T1008', { position, token: name });
}

/**
 * A compiled lambda with some parameters bound: the parameters given `?` stay parameters (in order), the others
 * take their argument (undefined past the last one). The signature is not checked again, as in jsonata (its
 * partially applied lambda has none).
 */
function partialLambda(env: Env, fn: Compiled, args: unknown[], async: boolean): Fn {
  const count = fn.length;
  const holes: number[] = [];
  const bound = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    if (args[i] === HOLE) holes.push(i);
    else bound[i] = args[i];
  }
  const fill = (supplied: unknown[]): unknown[] => {
    const full = bound.slice();
    holes.forEach((at, j) => (full[at] = supplied[j]));
    return full;
  };
  const body = fn[BODY];
  let applied: Compiled;
  if (body === undefined) {
    applied = async ? async function (this: unknown, ...supplied: unknown[]) { return fn.apply(this, fill(supplied)); }
      : function (this: unknown, ...supplied: unknown[]) { return fn.apply(this, fill(supplied)); };
  } else if (async) {
    applied = async function (this: unknown, ...supplied: unknown[]) {
      env.g.enter();
      try {
        return await trampolineA(env, await body.apply(this, fill(supplied)), this);
      } finally {
        env.g.leave();
      }
    };
  } else {
    applied = function (this: unknown, ...supplied: unknown[]) {
      env.g.enter();
      try {
        return trampoline(env, body.apply(this, fill(supplied)), this);
      } finally {
        env.g.leave();
      }
    };
  }
  applied[LAMBDA] = true;
  return withLength(applied, holes.length);
}

/** The parameter names jsonata reads from a native function's source (parsed by jsonata, cached per function). */
const nativeParams = new WeakMap<Fn, { names: string[]; lookups: string[] }>();

function paramsOf(native: Fn): { names: string[]; lookups: string[] } {
  let known = nativeParams.get(native);
  if (known === undefined) {
    const inParens = /\(([^)]*)\)/.exec(native.toString())?.[1] ?? '';
    const lookups = inParens.split(',').map((part) => part.trim());
    // jsonata parses `function($a, $b){ _ }` built from them: a name it cannot parse fails as jsonata fails
    const lambda = jsonata(`function(${lookups.map((part) => `$${part}`).join(', ')}){ _ }`).ast() as { arguments: { value: string }[] };
    known = { names: lambda.arguments.map((a) => a.value), lookups };
    nativeParams.set(native, known);
  }
  return known;
}

/**
 * A native function (a built-in's implementation, or a function from the bindings) with some arguments bound:
 * called without signature validation, `this` holding no context (jsonata's applyNativeFunction).
 */
function partialNative(env: Env, native: Fn, syncForm: Fn | undefined, args: unknown[], async: boolean): Fn {
  const { names, lookups } = paramsOf(native);
  const holes: number[] = [];
  const values = new Map<string, unknown>();
  names.forEach((param, i) => {
    if (args[i] === HOLE) holes.push(i);
    else values.set(param, args[i]);
  });
  const argumentsFor = (supplied: unknown[]): unknown[] => {
    const frame = new Map(values);
    holes.forEach((at, j) => frame.set(names[at]!, supplied[j]));
    return lookups.map((name) => frame.get(name));
  };
  const focus = nativeFocus(env);
  const target = syncForm ?? native;
  const applied: Compiled = async
    ? async function (...supplied: unknown[]) { return await native.apply(focus, argumentsFor(supplied)); }
    : function (...supplied: unknown[]) {
      const result = target.apply(focus, argumentsFor(supplied));
      if (isPromise(result)) {
        result.catch(() => undefined);
        throw new NeedsAsync();
      }
      return result;
    };
  applied[LAMBDA] = true;
  return withLength(applied, holes.length);
}

/**
 * `f ~> g` for two functions: jsonata's `function($f, $g) { function($x){ $g($f($x)) } }`, its two calls located
 * where jsonata's text of that lambda puts them (errors name `f` and `g`).
 */
const CHAIN = (() => {
  // the inner lambda's body is a tail call: jsonata wraps it in a thunk
  type Call = { position: number; procedure: { position: number }; arguments: { position: number }[] };
  const outer = jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast() as unknown as { body: { body: { body: Call } } };
  const call = outer.body.body.body;
  return { inner: call.arguments[0]!.position, outer: call.procedure.position };
})();

export function chain(env: Env, f: unknown, g: unknown, async: boolean): Fn {
  const composed: Compiled = async
    ? async function (this: unknown, x: unknown) {
      env.g.enter();
      try {
        const value = await callA(env, f, [x], null, 'f', CHAIN.inner, 0);
        return await callA(env, g, [collapse(value)], this, 'g', CHAIN.outer, 0);
      } finally {
        env.g.leave();
      }
    }
    : function (this: unknown, x: unknown) {
      env.g.enter();
      try {
        const value = call(env, f, [x], null, 'f', CHAIN.inner, 0);
        return call(env, g, [collapse(value)], this, 'g', CHAIN.outer, 0);
      } finally {
        env.g.leave();
      }
    };
  composed[LAMBDA] = true;
  return composed;
}

function collapse(v: unknown): unknown {
  if (Array.isArray(v) && (v as { sequence?: boolean }).sequence === true && !(v as { tupleStream?: boolean }).tupleStream) {
    if (v.length === 0) return undefined;
    if (v.length === 1 && !(v as { keepSingleton?: boolean }).keepSingleton) return v[0];
  }
  return v;
}

/** `x ~> f` where f is a function value: applied to x (composed when x is a function too). */
export function applyTo(env: Env, lhs: unknown, fn: unknown, position: number): unknown {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) return chain(env, lhs, fn, false);
  return applySync(env, fn, [lhs], null);
}

export async function applyToA(env: Env, lhs: unknown, fn: unknown, position: number): Promise<unknown> {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) return chain(env, lhs, fn, true);
  return applyAsync(env, fn, [lhs], null);
}
