/**
 * The jsonata interpreter under the same bounds as the compiled code: regex literals run on the linear engine
 * (jsonata's RegexEngine option), the bounded built-ins shadow jsonata's under their own names, order-by, `&`
 * and `..` are rewritten to bounded functions (./lower-ast), callbacks of higher-order built-ins count against the guard,
 * and jsonata's evaluation hook (called before every node) counts work, starts lowering `$eval`'d trees and lets
 * the event loop run every YIELD_EVERY_MS, so a long evaluation does not starve other calls.
 */
import jsonata from 'jsonata';
import { LinearRegExp } from '../runtime/regex';
import { bindInterpreterGuard, Guard, guardOf, interpreterGuard, type Limits } from '../runtime/guard';
import { builtinObject, builtinsReady } from '../runtime/functions';
import { showsSourceOf } from '../runtime/bounded-builtins';
import { boundedConcat } from '../runtime/text';
import { range } from '../runtime/values';
import { BOX, ORDER_BY, boxFunction, orderByFunction } from './order-by';
import { CONCAT, RANGE, isLowered, lowerTree } from './lower-ast';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** Built-ins bounded on both paths (./runtime/bounded-builtins): the interpreter takes them by name. */
const BOUNDED = ['string', 'length', 'substring', 'pad', 'join', 'contains', 'match', 'replace', 'split', 'sort', 'distinct', 'zip', 'keys', 'lookup', 'spread', 'merge',
  'uppercase', 'lowercase', 'formatNumber', 'formatInteger', 'formatBase', 'base64encode', 'encodeUrl', 'encodeUrlComponent', 'fromMillis', 'toMillis', 'eval'];

/** Higher-order built-ins: a built-in passed as their callback runs without jsonata's evaluator seeing it. */
const HIGHER_ORDER = ['map', 'filter', 'single', 'reduce', 'each', 'sift'];

const arity = (fn: unknown): unknown => (fn as { arity?: unknown }).arity ?? (fn as Fn).length;

function countingCallback(fn: Fn, g: Guard): Fn {
  const counted = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
    g.tick(1);
    if (g.due) await g.pause();
    return fn.apply(this, args);
  };
  (counted as unknown as { arity: unknown }).arity = arity(fn);
  return counted;
}

function countingHigherOrder(name: string): object {
  const original = builtinObject(name)!;
  const implementation = function (this: unknown, ...args: unknown[]) {
    const g = guardOf(this);
    return original.implementation.apply(this, args.map((arg) => (typeof arg === 'function' ? countingCallback(arg as Fn, g) : arg)));
  };
  // passed on as a callback itself, it declares the parameters jsonata's does (and shows them when partially applied)
  Object.defineProperty(implementation, 'length', { value: original.implementation.length });
  showsSourceOf(implementation, original.implementation as Fn);
  return { ...original, implementation };
}

const concatFunction = {
  _jsonata_function: true,
  implementation(this: unknown, l: unknown, r: unknown): string {
    return boundedConcat(l, r, guardOf(this));
  },
};

const rangeFunction = {
  _jsonata_function: true,
  implementation(this: unknown, l: unknown, r: unknown): unknown {
    return range(l, r, guardOf(this));
  },
};

/** `$now(picture, timezone)` through the bounded `$fromMillis`, at the evaluation's fixed time. */
function nowFunction(this: { environment: { timestamp: Date } }, picture: unknown, timezone: unknown): unknown {
  return builtinObject('fromMillis')!.implementation.call(this, this.environment.timestamp.getTime(), picture, timezone);
}

/** Called by jsonata before it evaluates any node. Returns a Promise only when the event loop is due a turn. */
function evaluationHook(limits: Limits) {
  return (expr: unknown, _input: unknown, environment: { base: object }): Promise<void> | undefined => {
    let g = interpreterGuard(environment.base);
    if (g === undefined) {
      g = new Guard(limits);
      g.checkTime();
      bindInterpreterGuard(environment.base, g);
    }
    // a tree `$eval` just parsed: rewrite it before it runs
    if (!isLowered(expr)) lowerTree(expr);
    g.tick(0);
    return g.due ? g.pause() : undefined;
  };
}

export interface BoundedInterpreter {
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

/** A jsonata instance for `source` under `limits`, with `functions` registered (the engine's mapping functions). */
export async function createBoundedInterpreter(source: string, limits: Limits, functions: Readonly<Record<string, Fn>>): Promise<BoundedInterpreter> {
  await builtinsReady;
  const instance = jsonata(source, { timeout: limits.timeoutMs, stack: limits.maxDepth * 10, RegexEngine: LinearRegExp } as never);
  for (const [name, fn] of Object.entries(functions)) instance.registerFunction(name, fn);
  for (const name of BOUNDED) instance.assign(name, builtinObject(name));
  for (const name of HIGHER_ORDER) instance.assign(name, countingHigherOrder(name));
  instance.registerFunction('now', nowFunction as never, '<s?s?:s>');
  instance.assign(ORDER_BY, orderByFunction);
  instance.assign(BOX, boxFunction);
  instance.assign(CONCAT, concatFunction);
  instance.assign(RANGE, rangeFunction);
  (instance.assign as (name: unknown, value: unknown) => void)(Symbol.for('jsonata.__evaluate_entry'), evaluationHook(limits));
  lowerTree(instance.ast());
  return { evaluate: (input, bindings) => instance.evaluate(input, bindings) };
}
