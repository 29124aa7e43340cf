/**
 * The built-ins both evaluation paths use in place of jsonata's own where jsonata's could hang, exhaust memory
 * or run without the guard seeing it: each keeps jsonata's signature (its argument validation) and results.
 * The compiled code finds them among the built-ins; the interpreter has them registered under the same names.
 */
import { guardOf } from './guard';
import { LinearRegExp } from './regex';
import { containsAsync, containsSync, matchAsync, replaceAsync, replaceSync, splitAsync, splitSync } from './bounded-matchers';
import { join, length, pad, pictureWidths, string, substring } from './bounded-strings';
import { distinct, keys, lookup, merge, sort, spread, zip } from './bounded-collections';
import * as higherOrder from './higher-order';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** Where a function object keeps the synchronous form of an implementation that may return a Promise. */
export const SYNC_FORM = Symbol('sync form');

export interface BuiltinObject {
  _jsonata_function: true;
  implementation: Fn;
  signature?: unknown;
  [SYNC_FORM]?: Fn;
}

/** A built-in whose result is a string, checked against the limit (for those whose output can outgrow input). */
function checkedResult(original: Fn): Fn {
  return function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (typeof result === 'string') guardOf(this).checkString(result.length);
    return result;
  };
}

/** Date pictures can ask for any width: refuse one whose widths alone pass the limit, before formatting. */
function boundedFromMillis(original: Fn): Fn {
  return function (this: unknown, millis: unknown, picture: unknown, timezone: unknown) {
    if (typeof picture === 'string') guardOf(this).checkString(pictureWidths(picture));
    return checkedResult(original).call(this, millis, picture, timezone);
  };
}

const NativeRegExp = RegExp;

/** What jsonata's date parser gets as `RegExp` while it runs: the same pattern on the linear engine. */
function PictureRegExp(pattern: string, flags?: string): LinearRegExp {
  return new LinearRegExp(new NativeRegExp(pattern, flags));
}

/**
 * $toMillis with a picture matches the timestamp against a regular expression jsonata builds from the picture
 * with the global RegExp; adjacent variable-width components backtrack exponentially on a long timestamp. For the
 * duration of that synchronous call the global is the linear engine, restored before anything else can run.
 */
function boundedToMillis(original: Fn): Fn {
  return function (this: unknown, timestamp: unknown, picture: unknown) {
    if (picture === undefined) return original.call(this, timestamp, picture);
    const global = globalThis as { RegExp: unknown };
    global.RegExp = PictureRegExp;
    try {
      return original.call(this, timestamp, picture);
    } finally {
      global.RegExp = NativeRegExp;
    }
  };
}

/** How much of an inner error's message a D3120/D3121 of `$eval` keeps. */
export const EVAL_DETAIL_LIMIT = 1000;

/**
 * The message of an error inside `$eval`, as its D3120/D3121 `value`, cut short: jsonata quotes it into the outer
 * message with JSON.stringify, so every level of nested `$eval` doubles the backslashes of all the levels inside
 * (2^depth characters: a few dozen levels exhaust memory).
 */
export function evalDetail(message: unknown): string {
  const text = String(message);
  return text.length > EVAL_DETAIL_LIMIT ? `${text.slice(0, EVAL_DETAIL_LIMIT)}…` : text;
}

/** jsonata's $eval with the inner message of its errors cut short (see evalDetail); run by the interpreter only. */
function boundedEval(original: Fn): Fn {
  return async function (this: unknown, expr: unknown, focus: unknown) {
    try {
      return await original.call(this, expr, focus);
    } catch (error) {
      const e = error as { code?: unknown; value?: unknown } | null;
      if (e !== null && typeof e === 'object' && (e.code === 'D3120' || e.code === 'D3121')) e.value = evalDetail(e.value);
      throw error;
    }
  };
}

interface Replacement {
  implementation: (original: Fn) => Fn;
  sync?: Fn;
}

const own = (implementation: Fn): Replacement => ({ implementation: () => implementation });

const REPLACEMENTS: Readonly<Record<string, Replacement>> = {
  string: own(string as Fn),
  length: own(length as Fn),
  substring: own(substring as Fn),
  pad: own(pad as Fn),
  join: own(join as Fn),
  contains: { implementation: () => containsAsync as Fn, sync: containsSync as Fn },
  match: own(matchAsync as Fn),
  replace: { implementation: () => replaceAsync as Fn, sync: replaceSync as Fn },
  split: { implementation: () => splitAsync as Fn, sync: splitSync as Fn },
  sort: { implementation: () => sort as Fn, sync: higherOrder.sort as Fn },
  // jsonata's own, with synchronous forms for the compiled code
  map: { implementation: (original) => original, sync: higherOrder.map as Fn },
  filter: { implementation: (original) => original, sync: higherOrder.filter as Fn },
  single: { implementation: (original) => original, sync: higherOrder.single as Fn },
  reduce: { implementation: (original) => original, sync: higherOrder.reduce as Fn },
  each: { implementation: (original) => original, sync: higherOrder.each as Fn },
  sift: { implementation: (original) => original, sync: higherOrder.sift as Fn },
  distinct: own(distinct as Fn),
  zip: own(zip as Fn),
  keys: own(keys as Fn),
  lookup: own(lookup as Fn),
  spread: own(spread as Fn),
  merge: own(merge as Fn),
  uppercase: { implementation: checkedResult },
  lowercase: { implementation: checkedResult },
  formatNumber: { implementation: checkedResult },
  formatInteger: { implementation: checkedResult },
  formatBase: { implementation: checkedResult },
  base64encode: { implementation: checkedResult },
  encodeUrl: { implementation: checkedResult },
  encodeUrlComponent: { implementation: checkedResult },
  fromMillis: { implementation: boundedFromMillis },
  toMillis: { implementation: boundedToMillis },
  eval: { implementation: boundedEval },
};

/**
 * `fn` declaring `arity` parameters: higher-order functions pass a callback as many arguments as it declares
 * ($map passes $string its item only, as jsonata's $string declares one parameter).
 */
function withArity(fn: Fn, arity: number): Fn {
  if (fn.length === arity) return fn;
  const declared = function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  };
  Object.defineProperty(declared, 'length', { value: arity });
  return declared;
}

/**
 * jsonata partially applies a native function (`$substring(?, 0, 2)`) by reading its parameter names from its
 * source text: a replacement shows the original's text, so that it takes the same arguments by the same names.
 */
export function showsSourceOf(fn: Fn, original: Fn): void {
  const text = Function.prototype.toString.call(original);
  Object.defineProperty(fn, 'toString', { value: () => text, configurable: true });
}

/** jsonata's built-in objects with the bounded ones in place (same signature objects, so the same validation). */
export function boundBuiltins(originals: ReadonlyMap<string, BuiltinObject>): Map<string, BuiltinObject> {
  const result = new Map(originals);
  for (const [name, replacement] of Object.entries(REPLACEMENTS)) {
    const original = originals.get(name);
    if (original === undefined) continue;
    const implementation = withArity(replacement.implementation(original.implementation), original.implementation.length);
    showsSourceOf(implementation, original.implementation);
    const bounded: BuiltinObject = { _jsonata_function: true, implementation };
    if (original.signature !== undefined) bounded.signature = original.signature;
    if (replacement.sync !== undefined) bounded[SYNC_FORM] = replacement.sync;
    result.set(name, bounded);
  }
  return result;
}
