/**
 * Function calls as jsonata makes them. JSONata's built-in functions are taken from jsonata itself (the same
 * implementation objects and signature validators), so the compiled code and the interpreter share one library;
 * the ones jsonata implements asynchronously for the sake of custom matchers ($contains, $replace, $split) have
 * synchronous equivalents here so the hot path never needs a Promise.
 */
import jsonata from 'jsonata';
import { finishMessage, jerr, NeedsAsync, Unsupported } from './errors';
import { isFn, isLambdaObject, seq } from './values';
import type { Guard } from './guard';
import { attachBuiltinForms, directForAnyArity, DIRECT_1, DIRECT_2, DIRECT_3, GENERIC, type DirectForms } from './direct';

export interface JFunction extends DirectForms {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: { validate(args: unknown[], context: unknown): unknown[] };
  token?: string;
  position?: number;
}

export const BUILTIN_NAMES = ['sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone'] as const;

/** Built-ins the compiled code never calls (they need jsonata's evaluator): using them refuses compilation. */
export const REFUSED_BUILTINS = new Set(['eval']);

const builtins = new Map<string, JFunction>();
let nowSignature: JFunction['signature'];
let millisSignature: JFunction['signature'];
let ready = false;

/** Resolves once jsonata's function objects are in hand (a few microtasks after load). */
export const builtinsReady: Promise<void> = (async () => {
  const source = `[${BUILTIN_NAMES.map((n) => `$${n}`).join(', ')}, $now, $millis]`;
  const found = (await jsonata(source).evaluate(undefined)) as JFunction[];
  BUILTIN_NAMES.forEach((name, i) => builtins.set(name, found[i]!));
  nowSignature = found[BUILTIN_NAMES.length]!.signature;
  millisSignature = found[BUILTIN_NAMES.length + 1]!.signature;
  attachBuiltinForms(builtins);
  ready = true;
})();

export function builtinsLoaded(): boolean {
  return ready;
}

export function isBuiltinName(name: string): boolean {
  return (BUILTIN_NAMES as readonly string[]).includes(name);
}

const ASYNC_BUILTINS = new Set(['match', 'map', 'filter', 'single', 'reduce', 'sift', 'each', 'sort', 'eval']);
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
  const fn: JFunction = { _jsonata_function: true, implementation: (picture: unknown, timezone: unknown) => fromMillis.implementation(env.timestamp, picture, timezone) };
  if (nowSignature) fn.signature = nowSignature;
  return fn;
}

function millisFunction(env: Env): JFunction {
  const fn: JFunction = { _jsonata_function: true, implementation: () => env.timestamp };
  if (millisSignature) fn.signature = millisSignature;
  return fn;
}

export function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** The `this` jsonata gives its functions; `environment.timestamp` is the evaluation's fixed time (for $toMillis). */
function focus(env: Env, input: unknown): Record<string, unknown> {
  return { environment: environmentView(env), input, options: undefined, createSequence: createSequence };
}

/** `this.environment` for jsonata's functions: only `timestamp` is read (by $toMillis and $now's relatives). */
class EnvironmentView {
  constructor(private readonly env: Env) {}
  get timestamp(): Date {
    return new Date(this.env.timestamp);
  }
}

function environmentView(env: Env): object {
  if (env.view === undefined) env.view = new EnvironmentView(env);
  return env.view;
}

function createSequence(...items: unknown[]): unknown[] {
  return items.length === 1 ? seq(items[0]) : seq();
}

const SYNC_NATIVE: Record<string, (this: unknown, ...args: unknown[]) => unknown> = {
  contains: containsSync,
  replace: replaceSync,
  split: splitSync,
};

function locateCall(error: unknown, proc: unknown, name: string, position: number): unknown {
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

function wrapArgsSync(env: Env, args: unknown[], from: number): unknown[] {
  for (let i = from; i < args.length; i++) {
    const arg = args[i];
    if (isFn(arg)) {
      const closure = (...params: unknown[]) => applySync(env, arg, params, null);
      (closure as { arity?: number }).arity = arity(arg);
      args[i] = closure;
    }
  }
  return args;
}

function wrapArgsAsync(env: Env, args: unknown[], from: number): unknown[] {
  for (let i = from; i < args.length; i++) {
    const arg = args[i];
    if (isFn(arg)) {
      const closure = async (...params: unknown[]) => applyAsync(env, arg, params, null);
      (closure as { arity?: number }).arity = arity(arg);
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

/** Invoke a function value synchronously; a Promise anywhere means the caller needs `evaluate`. */
export function applySync(env: Env, proc: unknown, args: unknown[], input: unknown): unknown {
  let result: unknown;
  env.g.tick(0);
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (proc && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction;
    if (fn.signature === undefined) {
      // a registered function: no signature to validate, never one of jsonata's asynchronous built-ins
      result = fn.implementation.apply(focus(env, input), args);
    } else {
      const validated = fn.signature.validate(args, input);
      const native = builtinName(fn);
      result = native !== undefined ? SYNC_NATIVE[native]!.apply(focus(env, input), validated) : fn.implementation.apply(focus(env, input), validated);
    }
  } else if (typeof proc === 'function') {
    result = (proc as (...a: unknown[]) => unknown).apply(input, args);
  } else {
    throw jerr('T1006');
  }
  return settled(result);
}

export async function applyAsync(env: Env, proc: unknown, args: unknown[], input: unknown): Promise<unknown> {
  env.g.tick(0);
  if (isLambdaObject(proc)) throw new Unsupported('a jsonata lambda object passed in');
  if (proc && (proc as JFunction)._jsonata_function === true) {
    const fn = proc as JFunction;
    const validated = fn.signature ? fn.signature.validate(args, input) : args;
    return await fn.implementation.apply(focus(env, input), validated);
  }
  if (typeof proc === 'function') return await (proc as (...a: unknown[]) => unknown).apply(input, args);
  throw jerr('T1006');
}

function builtinName(fn: JFunction): string | undefined {
  if (fn === builtins.get('contains')) return 'contains';
  if (fn === builtins.get('replace')) return 'replace';
  if (fn === builtins.get('split')) return 'split';
  return undefined;
}

/** `$name(args)` from compiled code, synchronously. */
export function call(env: Env, proc: unknown, args: unknown[], input: unknown, name: string, position: number, from: number): unknown {
  try {
    return applySync(env, proc, wrapArgsSync(env, args, from), input);
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
export function call1(env: Env, proc: unknown, a: unknown, input: unknown, name: string, position: number): unknown {
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
    try {
      result = (proc as (...params: unknown[]) => unknown).call(input, a);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a], input, name, position, 0);
}

export function call2(env: Env, proc: unknown, a: unknown, b: unknown, input: unknown, name: string, position: number): unknown {
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
    try {
      result = (proc as (...params: unknown[]) => unknown).call(input, a, b);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a, b], input, name, position, 0);
}

export function call3(env: Env, proc: unknown, a: unknown, b: unknown, c: unknown, input: unknown, name: string, position: number): unknown {
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
    try {
      result = (proc as (...params: unknown[]) => unknown).call(input, a, b, c);
    } catch (error) {
      throw locateCall(error, proc, name, position);
    }
    return settled(result);
  }
  return call(env, proc, [a, b, c], input, name, position, 0);
}

export async function callA(env: Env, proc: unknown, args: unknown[], input: unknown, name: string, position: number, from: number): Promise<unknown> {
  try {
    return await applyAsync(env, proc, wrapArgsAsync(env, args, from), input);
  } catch (error) {
    throw locateCall(error, proc, name, position);
  }
}

// ---- synchronous $contains / $replace / $split (same semantics as jsonata's, without awaiting a matcher) ----

interface Match { match: string; start: number; end: number; groups: string[]; next: () => Match | undefined }

function runMatcher(matcher: unknown, str?: string): Match | undefined {
  const result = (matcher as (s?: string) => unknown).apply(undefined, [str]);
  if (isPromise(result)) {
    result.catch(() => undefined);
    throw new NeedsAsync();
  }
  const r = result as Partial<Match> | undefined;
  if (r && !(typeof r.start === 'number' || (r as { end?: unknown }).end === 'number' || Array.isArray(r.groups) || isFn(r.next))) throw jerr('T1010');
  return r as Match | undefined;
}

function containsSync(str: unknown, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return (str as string).indexOf(token) !== -1;
  return runMatcher(token, str as string) !== undefined;
}

function substitute(replacement: string, m: Match): string {
  let out = '';
  let position = 0;
  let index = replacement.indexOf('$', position);
  while (index !== -1 && position < replacement.length) {
    out += replacement.substring(position, index);
    position = index + 1;
    const dollar = replacement.charAt(position);
    if (dollar === '$') {
      out += '$';
      position++;
    } else if (dollar === '0') {
      out += m.match;
      position++;
    } else {
      const maxDigits = m.groups.length === 0 ? 1 : Math.floor(Math.log(m.groups.length) * Math.LOG10E) + 1;
      let group = parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && group > m.groups.length) group = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      if (!Number.isNaN(group)) {
        if (m.groups.length > 0) {
          const sub = m.groups[group - 1];
          if (sub !== undefined) out += sub;
        }
        position += group.toString().length;
      } else {
        out += '$';
      }
    }
    index = replacement.indexOf('$', position);
  }
  return out + replacement.substring(position);
}

function replaceSync(this: unknown, str: unknown, pattern: unknown, replacement: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if (pattern === '') throw jerr('D3010', { value: pattern, index: 2 });
  if ((limit as number) < 0) throw jerr('D3011', { value: limit, index: 4 });
  const s = str as string;
  const max = limit as number | undefined;
  if (!(max === undefined || max > 0)) return s;
  let result = '';
  let position = 0;
  let count = 0;
  if (typeof pattern === 'string') {
    let index = s.indexOf(pattern, position);
    while (index !== -1 && (max === undefined || count < max)) {
      result += s.substring(position, index) + (replacement as string);
      position = index + pattern.length;
      count++;
      index = s.indexOf(pattern, position);
    }
    return result + s.substring(position);
  }
  let matches = runMatcher(pattern, s);
  if (matches === undefined) return s;
  while (matches !== undefined && (max === undefined || count < max)) {
    result += s.substring(position, matches.start);
    let replaced: unknown;
    if (typeof replacement === 'string') replaced = substitute(replacement, matches);
    else {
      replaced = (replacement as (m: Match) => unknown).apply(this, [matches]);
      if (isPromise(replaced)) {
        replaced.catch(() => undefined);
        throw new NeedsAsync();
      }
    }
    if (typeof replaced !== 'string') throw jerr('D3012', { value: replaced });
    result += replaced;
    position = matches.start + matches.match.length;
    count++;
    matches = runMatcher(matches.next);
  }
  return result + s.substring(position);
}

function splitSync(str: unknown, separator: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw jerr('D3020', { value: limit, index: 3 });
  const s = str as string;
  const max = limit as number | undefined;
  let result: string[] = [];
  if (max === undefined || max > 0) {
    if (typeof separator === 'string') {
      result = s.split(separator, max);
    } else {
      let count = 0;
      let matches = runMatcher(separator, s);
      if (matches !== undefined) {
        let start = 0;
        while (matches !== undefined && (max === undefined || count < max)) {
          result.push(s.substring(start, matches.start));
          start = matches.end;
          matches = runMatcher(matches.next);
          count++;
        }
        if (max === undefined || count < max) result.push(s.substring(start));
      } else {
        result.push(s);
      }
    }
  }
  return result;
}

/** A regex literal as jsonata hands it to functions: a matcher closure with next(). */
export function regex(source: RegExp, position: number): (str: string, fromIndex?: number) => Match | undefined {
  const re = new RegExp(source);
  const closure = (str: string, fromIndex?: number): Match | undefined => {
    re.lastIndex = fromIndex || 0;
    const match = re.exec(str);
    if (match === null) return undefined;
    const result: Match = { match: match[0], start: match.index, end: match.index + match[0].length, groups: [], next: () => undefined };
    for (let i = 1; i < match.length; i++) result.groups.push(match[i] as string);
    result.next = () => {
      if (re.lastIndex >= str.length) return undefined;
      const next = closure(str, re.lastIndex);
      if (next && next.match === '') throw jerr('D1004', { position, value: source.source });
      return next;
    };
    return result;
  };
  return closure;
}

/** `x ~> $f` where $f is a function value (not a call): apply it to x. */
export function applyTo(env: Env, lhs: unknown, fn: unknown, position: number): unknown {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) throw new Unsupported('function composition with ~>');
  return applySync(env, fn, [lhs], null);
}

export async function applyToA(env: Env, lhs: unknown, fn: unknown, position: number): Promise<unknown> {
  if (!isFn(fn)) throw jerr('T2006', { position, value: fn });
  if (isFn(lhs)) throw new Unsupported('function composition with ~>');
  return applyAsync(env, fn, [lhs], null);
}
