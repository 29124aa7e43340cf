/**
 * Function calls as jsonata makes them. JSONata's built-in functions are taken from jsonata itself (the same
 * implementation objects and signature validators), so the compiled code and the interpreter share one library,
 * except where jsonata's could hang or exhaust memory: those are replaced on both paths (./bounded-builtins).
 * The ones implemented asynchronously for the sake of custom matchers ($contains, $replace, $split) carry
 * synchronous forms so the hot path never needs a Promise.
 */
import jsonata from 'jsonata';
import { finishMessage, jerr, NeedsAsync, Unsupported } from './errors';
import { isFn, isLambdaObject, seq } from './values';
import type { Guard } from './guard';
import { attachBuiltinForms, directForAnyArity, DIRECT_1, DIRECT_2, DIRECT_3, GENERIC, type DirectForms } from './direct';
import { boundBuiltins, SYNC_FORM, type BuiltinObject } from './bounded-builtins';
import { isPromise } from './promises';
import { setTruthiness } from './higher-order';
import { runText } from './eval';
import { noteCall } from './marks';
import { signature as parsedSignature, UnsupportedSignature } from './signature';

export { isPromise } from './promises';
export { regex } from './regex';

export interface JFunction extends DirectForms {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: { validate(args: unknown[], context: unknown): unknown[] };
  token?: string;
  position?: number;
}

export const BUILTIN_NAMES = ['sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone'] as const;

const builtins = new Map<string, JFunction>();
/** `$eval`: run by ./eval instead of jsonata's implementation (which needs jsonata's environment). */
let evalFunction: JFunction | undefined;
/**
 * The built-ins' argument validation in the compiled code: ./signature, which gives what jsonata's validator gives
 * without matching a regular expression per call (most of a call of a built-in with no direct form).
 */
const validators = new WeakMap<object, { validate(args: unknown[], context: unknown, g?: Guard): unknown[] }>();
let nowSignature: JFunction['signature'];
let millisSignature: JFunction['signature'];
let ready = false;

/** Resolves once jsonata's function objects are in hand (a few microtasks after load). */
export const builtinsReady: Promise<void> = (async () => {
  const source = `[${BUILTIN_NAMES.map((n) => `$${n}`).join(', ')}, $now, $millis]`;
  const found = (await jsonata(source).evaluate(undefined)) as JFunction[];
  const originals = new Map<string, BuiltinObject>(BUILTIN_NAMES.map((name, i) => [name, found[i] as unknown as BuiltinObject]));
  for (const [name, fn] of boundBuiltins(originals)) builtins.set(name, fn as unknown as JFunction);
  nowSignature = found[BUILTIN_NAMES.length]!.signature;
  millisSignature = found[BUILTIN_NAMES.length + 1]!.signature;
  attachBuiltinForms(builtins);
  for (const fn of builtins.values()) {
    const definition = (fn.signature as { definition?: unknown } | undefined)?.definition;
    if (typeof definition !== 'string') continue;
    try {
      validators.set(fn, parsedSignature(definition));
    } catch (error) {
      if (!(error instanceof UnsupportedSignature)) throw error;
    }
  }
  evalFunction = builtins.get('eval');
  setTruthiness(builtins.get('boolean')!.implementation);
  ready = true;
})();

export function builtinsLoaded(): boolean {
  return ready;
}

/** The built-in function objects (bounded ones in place), for the interpreter to register; after builtinsReady. */
export function builtinObject(name: string): JFunction | undefined {
  return builtins.get(name);
}

export function isBuiltinName(name: string): boolean {
  return (BUILTIN_NAMES as readonly string[]).includes(name);
}

/** Whether `proc` is the built-in $eval (not a binding or a variable of that name). */
export function isEval(proc: unknown): boolean {
  return proc !== undefined && proc === evalFunction;
}

/** Built-ins without a synchronous form (runtime/higher-order gives the higher-order ones theirs). */
const ASYNC_BUILTINS = new Set(['match']);
/** Built-ins whose result is never a Promise when called through `call` (contains/replace/split run natively here). */
export function isSyncBuiltin(name: string): boolean {
  return isBuiltinName(name) && !ASYNC_BUILTINS.has(name) && name !== 'now';
}

/** Per-evaluation state shared by the generated code and these helpers. */
export interface Env {
  bindings: Record<string, unknown> | undefined;
  root: unknown;
  timestamp: number;
  g: Guard;
  registered: Readonly<Record<string, JFunction>>;
  /** A binding supplies one of the names the expression calls (otherwise each called name has its static meaning). */
  callsBound: boolean;
  /** What jsonata's functions see as `this.environment` (created on first use). */
  view?: object;
  /** Shared with the texts `$eval` runs in this evaluation. */
  site: CallSite;
}

/**
 * The variables visible at a call site, the evaluation's bindings included: what `$eval` reads when that site
 * invokes it (made only then). Compiled programs that mention `$eval` pass them with every call.
 */
export type CallerVars = () => Record<string, unknown>;

/**
 * The call site invoking a function right now: set by a call that knows its variables just before it invokes
 * `callee`, and taken by the callee as it starts (a compiled lambda that may end in a tail call; jsonata's
 * trampoline applies that call in the caller's environment). A callee finding another callee named there was
 * invoked by code that does not know its caller's variables.
 */
export interface CallSite {
  callee: unknown;
  vars: CallerVars | undefined;
}

/** The caller's variables, if the call invoking `self` gave them. */
export function takeCaller(env: Env, self: unknown): CallerVars | undefined {
  const site = env.site;
  if (site.callee !== self) return undefined;
  site.callee = undefined;
  const vars = site.vars;
  site.vars = undefined;
  return vars;
}

/** Name the call site for the function about to be invoked (see CallSite). */
function expose(env: Env, callee: unknown, vars: CallerVars | undefined): void {
  if (vars === undefined) return;
  env.site.callee = callee;
  env.site.vars = vars;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `direct`: the function is synchronous and ignores `this`, so compiled code may call it without jsonata's framing. */
export function defineRegistered(fn: (...args: unknown[]) => unknown, direct = false): JFunction {
  return direct ? { _jsonata_function: true, implementation: fn, ...directForAnyArity(fn) } : { _jsonata_function: true, implementation: fn };
}

/** Free names whose meaning belongs to one evaluation: `$$` (its root) and `$now`/`$millis` (its clock). */
export const DYNAMIC_FREE_NAMES: ReadonlySet<string> = new Set(['$', 'now', 'millis']);

/** One of DYNAMIC_FREE_NAMES: the root, else a binding of the name, else the evaluation's clock function. */
export function dynamicFree(env: Env, name: string): unknown {
  if (name === '$') return env.root;
  if (env.bindings !== undefined && hasOwn.call(env.bindings, name)) return env.bindings[name];
  return name === 'now' ? nowFunction(env) : millisFunction(env);
}

/** What a free name means when no binding supplies it: a registered function, a built-in, or nothing. */
export function staticFree(env: Env, names: string[]): unknown[] {
  if (!ready) throw new Unsupported('built-in functions not loaded yet');
  return names.map((name) => (hasOwn.call(env.registered, name) ? env.registered[name] : builtins.get(name)));
}

/** A free name: the evaluation's binding of it, else its static meaning (see staticFree). */
export function free(env: Env, name: string, fixed: unknown): unknown {
  const bindings = env.bindings;
  return bindings !== undefined && hasOwn.call(bindings, name) ? bindings[name] : fixed;
}

function nowFunction(env: Env): JFunction {
  const fromMillis = builtins.get('fromMillis')!;
  const fn: JFunction = { _jsonata_function: true, implementation: (picture: unknown, timezone: unknown) => fromMillis.implementation.call(focus(env, undefined), env.timestamp, picture, timezone) };
  if (nowSignature) fn.signature = nowSignature;
  return fn;
}

function millisFunction(env: Env): JFunction {
  const fn: JFunction = { _jsonata_function: true, implementation: () => env.timestamp };
  if (millisSignature) fn.signature = millisSignature;
  return fn;
}

/**
 * The `this` jsonata gives its functions; `environment.timestamp` is the evaluation's fixed time (for $toMillis);
 * `guard` lets the bounded built-ins count their work and check string sizes.
 */
function focus(env: Env, input: unknown): Record<string, unknown> {
  return { environment: environmentView(env), input, options: undefined, createSequence: createSequence, guard: env.g };
}

/** `this.environment` for jsonata's functions: only `timestamp` is read (by $toMillis and $now's relatives). */
class EnvironmentView {
  constructor(private readonly env: Env) {}
  get timestamp(): Date {
    return new Date(this.env.timestamp);
  }
}

/** `this` of a native function called through a partial application: jsonata gives it no context value. */
export function nativeFocus(env: Env): Record<string, unknown> {
  return focus(env, undefined);
}

function environmentView(env: Env): object {
  if (env.view === undefined) env.view = new EnvironmentView(env);
  return env.view;
}

function createSequence(...items: unknown[]): unknown[] {
  return items.length === 1 ? seq(items[0]) : seq();
}

function locateCall(error: unknown, proc: unknown, name: string | undefined, position: number): unknown {
  if (typeof error !== 'object' || error === null || error instanceof Unsupported || error instanceof NeedsAsync) return error;
  const e = error as { token?: unknown; position?: unknown };
  if (proc && typeof proc === 'object') {
    if (e.token === undefined) e.token = name;
    e.position = position;
  } else {
    if (!e.position) e.position = position;
    if (!e.token) e.token = name;
  }
  finishMessage(error);
  return error;
}

/** On the closure an argument function is wrapped in (as jsonata wraps it): the function it calls. */
export const WRAPS = Symbol('wraps');

function wrapArgsSync(env: Env, args: unknown[], from: number, vars: CallerVars | undefined): unknown[] {
  for (let i = from; i < args.length; i++) {
    const arg = args[i];
    if (isFn(arg)) {
      const closure = (...params: unknown[]) => applySync(env, arg, params, null, vars);
      (closure as { arity?: number }).arity = arity(arg);
      (closure as { [WRAPS]?: unknown })[WRAPS] = arg;
      args[i] = closure;
    }
  }
  return args;
}

function wrapArgsAsync(env: Env, args: unknown[], from: number, vars: CallerVars | undefined): unknown[] {
  for (let i = from; i < args.length; i++) {
    const arg = args[i];
    if (isFn(arg)) {
      const closure = async (...params: unknown[]) => applyAsync(env, arg, params, null, vars);
      (closure as { arity?: number }).arity = arity(arg);
      (closure as { [WRAPS]?: unknown })[WRAPS] = arg;
      args[i] = closure;
    }
  }
  return args;
}

function arity(fn: unknown): number {
  const f = fn as { arity?: unknown; implementation?: unknown; length?: unknown };
  if (typeof f.arity === 'number') return f.arity;
  if (typeof f.implementation === 'function') return (f.implementation as (...a: unknown[]) => unknown).length;
  return typeof f.length === 'number' ? f.length : 0;
}

/** The value of a JavaScript function called on the synchronous path: a Promise means the caller needs `evaluate`. */
function settled(result: unknown): unknown {
  if (isPromise(result)) {
    result.catch(() => undefined);
    throw new NeedsAsync();
  }
  return result;
}

/**
 * Invoke a function value synchronously; a Promise anywhere means the caller needs `evaluate`. `vars`: the
 * variables of the call site (see CallerVars), when the program knows them.
 */
export function applySync(env: Env, proc: unknown, args: unknown[], input: unknown, vars?: CallerVars): unknown {
  let result: unknown;
  env.g.tick(0);
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (proc && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction;
    if (fn === evalFunction) return runText(env, validate(env, fn, args, input), input, vars, false);
    if (fn.signature === undefined) {
      // a registered function: no signature to validate, never one of jsonata's asynchronous built-ins
      result = fn.implementation.apply(focus(env, input), args);
    } else {
      const validated = validate(env, fn, args, input);
      const syncForm = (fn as BuiltinObject)[SYNC_FORM];
      result = (syncForm ?? fn.implementation).apply(focus(env, input), validated);
    }
  } else if (typeof proc === 'function') {
    expose(env, proc, vars);
    result = (proc as (...a: unknown[]) => unknown).apply(input, args);
  } else {
    throw jerr('T1006');
  }
  return settled(result);
}

export async function applyAsync(env: Env, proc: unknown, args: unknown[], input: unknown, vars?: CallerVars): Promise<unknown> {
  env.g.tick(0);
  // every asynchronous call is a point where a long evaluation lets other work run
  if (env.g.due) await env.g.pause();
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (proc && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction;
    const validated = fn.signature ? validate(env, fn, args, input) : args;
    if (fn === evalFunction) return await runText(env, validated, input, vars, true);
    return await fn.implementation.apply(focus(env, input), validated);
  }
  if (typeof proc === 'function') {
    // named right before the call: a callee takes it as it starts, before any other evaluation can run
    expose(env, proc, vars);
    return await (proc as (...a: unknown[]) => unknown).apply(input, args);
  }
  throw jerr('T1006');
}

/** jsonata sets `token` on an object procedure before calling it: a null one fails with JavaScript's TypeError. */
function nullProcedure(): TypeError {
  return new TypeError("Cannot set properties of null (setting 'token')");
}

function validate(env: Env, fn: JFunction, args: unknown[], input: unknown): unknown[] {
  return (validators.get(fn) ?? fn.signature!).validate(args, input, env.g);
}

/** `$name(args)` from compiled code, synchronously. */
export function call(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number, from: number, vars?: CallerVars): unknown {
  if (proc === null) throw locateCall(nullProcedure(), proc, name, position);
  noteCall(proc, name, position);
  try {
    return applySync(env, proc, wrapArgsSync(env, args, from, vars), input, vars);
  } catch (error) {
    throw locateCall(error, proc, name, position);
  }
}

/** A value jsonata would wrap in a closure before passing it to a function. */
function maybeFn(v: unknown): boolean {
  if (typeof v === 'function') return true;
  return typeof v === 'object' && v !== null && ((v as JFunction)._jsonata_function === true || (v as { _jsonata_lambda?: unknown })._jsonata_lambda === true);
}

/*
 * call1/call2/call3: `call` for one, two or three arguments, without an argument array or jsonata's framing when
 * the procedure has a direct form for that many arguments, no argument is a function and the direct form covers
 * the argument types (see ./direct).
 */
export function call1(env: Env, proc: unknown, a: unknown, input: unknown, name: string | undefined, position: number, vars?: CallerVars): unknown {
  const direct = typeof proc === 'object' && proc !== null ? (proc as JFunction)[DIRECT_1] : undefined;
  if (direct !== undefined && !maybeFn(a)) {
    let result: unknown;
    try {
      result = direct(a);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    if (result !== GENERIC) return result;
  } else if (typeof proc === 'function' && !maybeFn(a)) {
    // a compiled lambda or a JavaScript function from the bindings: `applySync`'s last case, without its framing
    env.g.tick(0);
    let result: unknown;
    noteCall(proc, name, position);
    try {
      expose(env, proc, vars);
      result = (proc as (...params: unknown[]) => unknown).call(input, a);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a], input, name, position, 0, vars);
}

export function call2(env: Env, proc: unknown, a: unknown, b: unknown, input: unknown, name: string | undefined, position: number, vars?: CallerVars): unknown {
  const direct = typeof proc === 'object' && proc !== null ? (proc as JFunction)[DIRECT_2] : undefined;
  if (direct !== undefined && !maybeFn(a) && !maybeFn(b)) {
    let result: unknown;
    try {
      result = direct(a, b);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    if (result !== GENERIC) return result;
  } else if (typeof proc === 'function' && !maybeFn(a) && !maybeFn(b)) {
    // a compiled lambda or a JavaScript function from the bindings: `applySync`'s last case, without its framing
    env.g.tick(0);
    let result: unknown;
    noteCall(proc, name, position);
    try {
      expose(env, proc, vars);
      result = (proc as (...params: unknown[]) => unknown).call(input, a, b);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a, b], input, name, position, 0, vars);
}

export function call3(env: Env, proc: unknown, a: unknown, b: unknown, c: unknown, input: unknown, name: string | undefined, position: number, vars?: CallerVars): unknown {
  const direct = typeof proc === 'object' && proc !== null ? (proc as JFunction)[DIRECT_3] : undefined;
  if (direct !== undefined && !maybeFn(a) && !maybeFn(b) && !maybeFn(c)) {
    let result: unknown;
    try {
      result = direct(a, b, c);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    if (result !== GENERIC) return result;
  } else if (typeof proc === 'function' && !maybeFn(a) && !maybeFn(b) && !maybeFn(c)) {
    // a compiled lambda or a JavaScript function from the bindings: `applySync`'s last case, without its framing
    env.g.tick(0);
    let result: unknown;
    noteCall(proc, name, position);
    try {
      expose(env, proc, vars);
      result = (proc as (...params: unknown[]) => unknown).call(input, a, b, c);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a, b, c], input, name, position, 0, vars);
}

export async function callA(env: Env, proc: unknown, args: unknown[], input: unknown, name: string | undefined, position: number, from: number, vars?: CallerVars): Promise<unknown> {
  if (proc === null) throw locateCall(nullProcedure(), proc, name, position);
  noteCall(proc, name, position);
  try {
    return await applyAsync(env, proc, wrapArgsAsync(env, args, from, vars), input, vars);
  } catch (error) {
    throw locateCall(error, proc, name, position);
  }
}
