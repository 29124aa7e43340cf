/**
 * Synchronous forms of jsonata's higher-order built-ins ($map, $filter, $single, $reduce, $each, $sift, and $sort
 * with a comparator), for the compiled code: jsonata's own are asynchronous (they await every callback), which kept
 * every expression using one on the slower asynchronous path. Each mirrors jsonata's implementation: the same
 * arguments passed to the callback (as many as it declares), the same results and error codes. A callback that
 * answers with a Promise means the evaluation needs the asynchronous form (NeedsAsync).
 */
import { jerr, NeedsAsync } from './errors';
import { guardOf } from './guard';
import { isPromise } from './promises';
import { mergeSortSync } from './sort';
import { isArrayOfNumbers } from './values';

type Callback = { apply(self: unknown, args: unknown[]): unknown; arity?: unknown; implementation?: { length: number }; length?: number };
type Focus = { createSequence(...items: unknown[]): unknown[] };

/** jsonata's truthiness, as its built-in `$boolean` decides it (set once the built-ins are loaded). */
let truthy: (value: unknown) => boolean = () => false;

export function setTruthiness(boolean: (value: unknown) => unknown): void {
  truthy = (value) => boolean(value) === true;
}

function settled(result: unknown): unknown {
  if (isPromise(result)) {
    result.catch(() => undefined);
    throw new NeedsAsync();
  }
  return result;
}

/** How many parameters a callback declares (jsonata's getFunctionArity). */
function arity(func: Callback): number {
  if (typeof func.arity === 'number') return func.arity;
  if (typeof func.implementation === 'function') return func.implementation.length;
  return typeof func.length === 'number' ? func.length : 0;
}

/** The value, then the index and the collection when the callback declares them (jsonata's hofFuncArgs). */
function callbackArgs(func: Callback, value: unknown, index: unknown, all: unknown): unknown[] {
  const n = arity(func);
  if (n >= 3) return [value, index, all];
  if (n >= 2) return [value, index];
  return [value];
}

function invoke(self: unknown, func: unknown, args: unknown[]): unknown {
  return settled((func as Callback).apply(self, args));
}

export function map(this: Focus, arr: unknown, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  const result = this.createSequence();
  for (let i = 0; i < list.length; i++) {
    const res = invoke(this, func, callbackArgs(func as Callback, list[i], i, list));
    if (res !== undefined) result.push(res);
  }
  return result;
}

export function filter(this: Focus, arr: unknown, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  const result = this.createSequence();
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (truthy(invoke(this, func, callbackArgs(func as Callback, entry, i, list)))) result.push(entry);
  }
  return result;
}

export function single(this: Focus, arr: unknown, func: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  let found = false;
  let result: unknown;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    const positive = func === undefined ? true : truthy(invoke(this, func, callbackArgs(func as Callback, entry, i, list)));
    if (!positive) continue;
    if (found) throw jerr('D3138', { index: i });
    result = entry;
    found = true;
  }
  if (!found) throw jerr('D3139');
  return result;
}

export function reduce(this: Focus, sequence: unknown, func: unknown, init: unknown): unknown {
  if (sequence === undefined) return undefined;
  const list = sequence as unknown[];
  const n = arity(func as Callback);
  if (n < 2) throw jerr('D3050', { index: 1 });
  let result: unknown;
  let index: number;
  if (init === undefined && list.length > 0) {
    result = list[0];
    index = 1;
  } else {
    result = init;
    index = 0;
  }
  for (; index < list.length; index++) {
    const args = [result, list[index]];
    if (n >= 3) args.push(index);
    if (n >= 4) args.push(list);
    result = invoke(this, func, args);
  }
  return result;
}

const keysOf = (v: unknown): string[] => (typeof v === 'object' && v !== null ? Object.keys(v) : []);

export function each(this: Focus, obj: unknown, func: unknown): unknown {
  const result = this.createSequence();
  for (const key of keysOf(obj)) {
    const value = invoke(this, func, callbackArgs(func as Callback, (obj as Record<string, unknown>)[key], key, obj));
    if (value !== undefined) result.push(value);
  }
  return result;
}

export function sift(this: Focus, arg: unknown, func: unknown): unknown {
  const result: Record<string, unknown> = Object.create(null);
  for (const key of keysOf(arg)) {
    const entry = (arg as Record<string, unknown>)[key];
    if (truthy(invoke(this, func, callbackArgs(func as Callback, entry, key, arg)))) result[key] = entry;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/** $sort (runtime/bounded-collections' `sort`), its comparator's answers taken synchronously. */
export function sort(this: Focus, arr: unknown, comparator: unknown): unknown {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  if (list.length <= 1) return list;
  if (comparator === undefined) {
    if (!isArrayOfNumbers(list) && !list.every((item) => typeof item === 'string')) throw jerr('D3070', { index: 1 });
    return mergeSortSync(list, (a, b) => (a as number) > (b as number), guardOf(this));
  }
  return mergeSortSync(list, (a, b) => settled((comparator as (x: unknown, y: unknown) => unknown)(a, b)), guardOf(this));
}
