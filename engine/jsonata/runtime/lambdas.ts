/**
 * Lambdas as the compiled code makes them: JavaScript functions, called with the context of the call as `this`
 * (jsonata's `input` of apply: what a `-` parameter takes and a tail-called built-in sees). A lambda whose body
 * ends in a call, or that has a signature, is made of two functions: the one callers get (checks the signature,
 * counts the depth, runs tail calls in a loop) and its body (`BODY`), which returns a TailCall instead of making
 * its last call. jsonata does the same with thunks and a trampoline, so a tail-recursive lambda runs in constant
 * stack and depth, while real nesting still ends in D1011.
 *
 * jsonata applies a tail call with the input and environment of the call that ran the lambda: the trampoline
 * here gets that call's variables (`caller`, see CallSite in ./functions) for a tail call of `$eval`.
 */
import { jerr, NeedsAsync, Unsupported } from './errors';
import { isFn, isLambdaObject } from './values';
import { applyAsync, applySync, builtinObject, call, call1, call2, call3, callA, isEval, isPromise, nativeFocus, takeCaller, WRAPS, type CallerVars, type Env, type JFunction } from './functions';
import { runText } from './eval';
import type { Signature } from './signature';
import { SYNC_FORM, type BuiltinObject } from './bounded-builtins';
import { DIRECT_1, GENERIC } from './direct';
import { BODY, CALLED_AS, CALLED_AT, fromTailCall, isCompiled, LAMBDA, leftLambda, SIGNATURE } from './marks';
import jsonata from 'jsonata';

export { BODY, SIGNATURE, LAMBDA } from './marks';
/** Marks the functions made here (partial applications, chains), which jsonata represents otherwise. */
const MADE = Symbol('made by the runtime');

type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Compiled = Fn & { [BODY]?: Fn; [SIGNATURE]?: Signature; [LAMBDA]?: true; [MADE]?: true; [CALLED_AS]?: unknown; [CALLED_AT]?: number };

/** A call in tail position, made by the trampoline of the lambda that returned it. */
export class TailCall {
  constructor(readonly proc: unknown, readonly args: unknown[], readonly name: string | undefined, readonly position: number) {}
}

function bodyOf(proc: unknown): Fn | undefined {
  return typeof proc === 'function' ? (proc as Compiled)[BODY] : undefined;
}

/** jsonata's trampoline names a tail-called lambda (when the call names it by a variable) and places it. */
function noteTailCall(proc: Compiled, name: string | undefined, position: number): void {
  if (name !== undefined) proc[CALLED_AS] = name;
  proc[CALLED_AT] = position;
}

/** Run tail calls until one gives a value: lambdas' bodies in this loop, anything else as an ordinary call. */
export function trampoline(env: Env, result: unknown, input: unknown, caller?: CallerVars): unknown {
  while (result instanceof TailCall) {
    const { proc, args, name, position } = result;
    const body = bodyOf(proc);
    if (body === undefined) return tailCall(env, proc, args, input, name, position, caller);
    env.g.tick(1);
    noteTailCall(proc as Compiled, name, position);
    try {
      const sig = (proc as Compiled)[SIGNATURE];
      result = body.apply(input, sig === undefined ? args : sig.validate(args, input, env.g));
    } catch (error) {
      throw leftLambda(error, proc);
    }
  }
  return result;
}

export async function trampolineA(env: Env, first: unknown, input: unknown, caller?: CallerVars): Promise<unknown> {
  let result = first;
  while (result instanceof TailCall) {
    const { proc, args, name, position } = result;
    const body = bodyOf(proc);
    if (body === undefined) return tailCallA(env, proc, args, input, name, position, caller);
    env.g.tick(1);
    if (env.g.due) await env.g.pause();
    noteTailCall(proc as Compiled, name, position);
    try {
      const sig = (proc as Compiled)[SIGNATURE];
      result = await body.apply(input, sig === undefined ? args : sig.validate(args, input, env.g));
    } catch (error) {
      throw leftLambda(error, proc);
    }
  }
  return result;
}

/** Higher-order built-ins that call a function argument through its `apply` (jsonata's own lambdas have one). */
const APPLYING = ['map', 'filter', 'single', 'reduce', 'each', 'sift'];
/** Built-ins that only look at a function argument as a function (its type, its truth, its count). */
const OPAQUE = ['string', 'type', 'exists', 'count', 'boolean', 'not'];

/** A compiled lambda with neither signature nor tail call: what runs it does not depend on `this`. */
const isPlainLambda = (f: unknown): boolean => typeof f === 'function' && (f as Compiled)[LAMBDA] === true && (f as Compiled)[BODY] === undefined && (f as Compiled)[MADE] === undefined;
/** A function from the bindings, or the closure an argument was wrapped in: jsonata has the same JavaScript function. */
const isForeign = (f: unknown): boolean => typeof f === 'function' && !isCompiled(f);

/**
 * Whether a tail call of `proc` (not a compiled lambda with a body) with function arguments may be made as an
 * ordinary call. jsonata's trampoline passes function arguments as they are, not wrapped as an ordinary call
 * wraps them: a built-in then gets jsonata's lambda object (which only the higher-order built-ins can call, through
 * its `apply`), a partial application or a built-in function object (which none can). The cases that behave the
 * same either way are made here; anything else is left to jsonata.
 */
function rawArgumentsAgree(proc: unknown, args: unknown[]): boolean {
  // a plain lambda binds them to its parameters, and calls them as jsonata would call its own
  if (isPlainLambda(proc)) return true;
  // the closure a function argument was wrapped in hands them on to that function, as jsonata's closure does
  const wrapped = typeof proc === 'function' ? (proc as { [WRAPS]?: unknown })[WRAPS] : undefined;
  if (wrapped !== undefined) return (isCompiled(wrapped) && (wrapped as Compiled)[MADE] === undefined) || rawArgumentsAgree(wrapped, args);
  if (isForeign(proc)) return args.every((arg) => !isFn(arg) || isForeign(arg));
  if (OPAQUE.some((name) => builtinObject(name) === proc)) return true;
  if (!APPLYING.some((name) => builtinObject(name) === proc)) return false;
  return args.every((arg) => !isFn(arg) || isPlainLambda(arg) || isForeign(arg));
}

/**
 * A call in tail position to anything but a compiled lambda with a body: its arguments passed as they are.
 * `vars`: the variables of the call that ran the lambda (a tail call is applied there).
 */
export function tailCall(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number, vars?: CallerVars): unknown {
  if (args.some(isFn)) {
    if (!rawArgumentsAgree(proc, args)) throw new Unsupported('a function passed in a tail call');
    return call(env, proc, args, input, name, position, args.length, vars);
  }
  switch (args.length) {
    case 1: return call1(env, proc, args[0], input, name, position, vars);
    case 2: return call2(env, proc, args[0], args[1], input, name, position, vars);
    case 3: return call3(env, proc, args[0], args[1], args[2], input, name, position, vars);
    default: return call(env, proc, args, input, name, position, args.length, vars);
  }
}

export function tailCallA(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number, vars?: CallerVars): Promise<unknown> {
  if (args.some(isFn) && !rawArgumentsAgree(proc, args)) throw new Unsupported('a function passed in a tail call');
  return callA(env, proc, args, input, name, position, args.length, vars);
}

/**
 * A tail call made at once in a lambda's body (not handed to the trampoline): its errors are marked as the
 * trampoline's, which jsonata makes after the lambda returned (see fromTailCall).
 */
export function tailCallNow(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number): unknown {
  try {
    return tailCall(env, proc, args, input, name, position);
  } catch (error) {
    throw fromTailCall(error);
  }
}

export async function tailCallNowA(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number): Promise<unknown> {
  try {
    return await tailCallA(env, proc, args, input, name, position);
  } catch (error) {
    throw fromTailCall(error);
  }
}

/**
 * jsonata's trampoline sets `token` (for a variable) and `position` on a tail call's procedure, in strict mode:
 * on undefined, null, a string, a number or a boolean that fails with JavaScript's own TypeError, made here the
 * same way (objects are left as they are; the call then fails as any call of them).
 */
export function tailProcedure(proc: unknown, variable: boolean): void {
  if (proc === undefined || proc === null) throw new TypeError(`Cannot set properties of ${String(proc)} (setting '${variable ? 'token' : 'position'}')`);
  if (typeof proc !== 'object' && typeof proc !== 'function') (proc as Record<string, unknown>)[variable ? 'token' : 'position'] = undefined;
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
 * that is not a function. `vars`: the variables where the partial application is written.
 */
export function partial(env: Env, proc: unknown, args: unknown[], async: boolean, name: string | undefined, position: number, named: unknown, vars?: CallerVars): unknown {
  if (proc === undefined && named) {
    throw jerr('T1007', { position, token: name });
  }
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (typeof proc === 'function' && ((proc as Compiled)[LAMBDA] === true || (proc as Compiled)[BODY] !== undefined)) return partialLambda(env, proc as Compiled, args, async);
  if (isEval(proc)) return partialEval(env, (proc as JFunction).implementation as Fn, args, async, vars);
  if (proc !== null && typeof proc === 'object' && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction & BuiltinObject;
    const native = fn.implementation as Fn;
    return partialNative(env, native, async ? native : (fn[SYNC_FORM] ?? native), args, async);
  }
  if (typeof proc === 'function') return partialNative(env, proc as Fn, proc as Fn, args, async);
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
  // jsonata's partial application is a lambda object of its own: an error leaving its body takes its last call
  let applied: Compiled;
  if (body === undefined) {
    applied = async ? async function (this: unknown, ...supplied: unknown[]) {
      try {
        return await fn.apply(this, fill(supplied));
      } catch (error) {
        throw leftLambda(error, applied);
      }
    } : function (this: unknown, ...supplied: unknown[]) {
      try {
        return fn.apply(this, fill(supplied));
      } catch (error) {
        throw leftLambda(error, applied);
      }
    };
  } else if (async) {
    applied = async function (this: unknown, ...supplied: unknown[]) {
      const caller = takeCaller(env, applied);
      env.g.enter();
      try {
        let first: unknown;
        try {
          first = await body.apply(this, fill(supplied));
        } catch (error) {
          throw leftLambda(error, applied);
        }
        return await trampolineA(env, first, this, caller);
      } finally {
        env.g.leave();
      }
    };
  } else {
    applied = function (this: unknown, ...supplied: unknown[]) {
      const caller = takeCaller(env, applied);
      env.g.enter();
      try {
        let first: unknown;
        try {
          first = body.apply(this, fill(supplied));
        } catch (error) {
          throw leftLambda(error, applied);
        }
        return trampoline(env, first, this, caller);
      } finally {
        env.g.leave();
      }
    };
  }
  applied[LAMBDA] = true;
  applied[MADE] = true;
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
 * `$eval(?, …)`: jsonata's partial application of a native function binds its parameters (`$expr`, `$focus`) in a
 * frame over the place where it is written, and runs it there without a context: the text sees both.
 */
function partialEval(env: Env, native: Fn, args: unknown[], async: boolean, vars: CallerVars | undefined): Fn {
  const run = (expr: unknown, focus: unknown): unknown => {
    const frame = vars && ((): Record<string, unknown> => ({ ...vars(), expr, focus }));
    return runText(env, [expr, focus], undefined, frame, async);
  };
  return partialNative(env, native, run, args, async);
}

/**
 * A native function (a built-in's implementation, or a function from the bindings) with some arguments bound:
 * called without signature validation, `this` holding no context (jsonata's applyNativeFunction). `native` gives
 * the parameter names, `runs` is what is called (the same function, or its synchronous form).
 */
function partialNative(env: Env, native: Fn, runs: Fn, args: unknown[], async: boolean): Fn {
  const { names, lookups } = paramsOf(native);
  const holes: number[] = [];
  // the frame of jsonata's partially applied lambda, by name: a bound value, or the position of a supplied one
  const frame = new Map<string, { value: unknown } | { supplied: number }>();
  names.forEach((param, i) => {
    if (args[i] === HOLE) {
      frame.set(param, { supplied: holes.length });
      holes.push(i);
    } else {
      frame.set(param, { value: args[i] });
    }
  });
  const plan = lookups.map((name) => frame.get(name));
  const argumentsFor = (supplied: unknown[]): unknown[] => {
    const out = new Array<unknown>(plan.length);
    for (let i = 0; i < plan.length; i++) {
      const source = plan[i];
      out[i] = source === undefined ? undefined : 'value' in source ? source.value : supplied[source.supplied];
    }
    return out;
  };
  const focus = nativeFocus(env);
  const applied: Compiled = async
    ? async function (...supplied: unknown[]) { return await runs.apply(focus, argumentsFor(supplied)); }
    : function (...supplied: unknown[]) {
      const result = runs.apply(focus, argumentsFor(supplied));
      if (isPromise(result)) {
        result.catch(() => undefined);
        throw new NeedsAsync();
      }
      return result;
    };
  applied[LAMBDA] = true;
  applied[MADE] = true;
  return withLength(applied, holes.length);
}

/**
 * `f ~> g` for two functions: jsonata's `function($f, $g) { function($x){ $g($f($x)) } }`, its two calls located
 * where jsonata's text of that lambda puts them (errors name `f` and `g`). `vars`: the variables where `~>` is
 * written (jsonata evaluates that lambda there); `$g(…)` is its tail call, applied where the composition is called.
 */
const CHAIN = (() => {
  // the inner lambda's body is a tail call: jsonata wraps it in a thunk
  type Call = { position: number; procedure: { position: number }; arguments: { position: number }[] };
  const outer = jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast() as unknown as { body: { body: { body: Call } } };
  const call = outer.body.body.body;
  return { inner: call.arguments[0]!.position, outer: call.procedure.position };
})();

export function chain(env: Env, f: unknown, g: unknown, async: boolean, vars?: CallerVars): Fn {
  const inner = (x: unknown): CallerVars | undefined => vars && (() => ({ ...vars(), f, g, x }));
  const composed: Compiled = async
    ? async function (this: unknown, x: unknown) {
      const caller = takeCaller(env, composed);
      env.g.enter();
      try {
        const value = await callA(env, f, [x], null, 'f', CHAIN.inner, 0, inner(x));
        return await callA(env, g, [collapse(value)], this, 'g', CHAIN.outer, 0, caller);
      } finally {
        env.g.leave();
      }
    }
    : function (this: unknown, x: unknown) {
      const caller = takeCaller(env, composed);
      env.g.enter();
      try {
        // the whole body of jsonata's chain lambda is a tail call: its errors never take the chain's last call
        const value = call1(env, f, x, null, 'f', CHAIN.inner, inner(x));
        return call1(env, g, collapse(value), this, 'g', CHAIN.outer, caller);
      } finally {
        env.g.leave();
      }
    };
  composed[LAMBDA] = true;
  composed[MADE] = true;
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
export function applyTo(env: Env, lhs: unknown, fn: unknown, position: number, vars?: CallerVars): unknown {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) return chain(env, lhs, fn, false, vars);
  // a built-in's direct form for the usual argument types (what its signature check and body would give)
  const direct = typeof fn === 'object' ? (fn as JFunction)[DIRECT_1] : undefined;
  if (direct !== undefined) {
    const result = direct(lhs);
    if (result !== GENERIC) return result;
  }
  return applySync(env, fn, [lhs], null, vars);
}

export async function applyToA(env: Env, lhs: unknown, fn: unknown, position: number, vars?: CallerVars): Promise<unknown> {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) return chain(env, lhs, fn, true, vars);
  return applyAsync(env, fn, [lhs], null, vars);
}
