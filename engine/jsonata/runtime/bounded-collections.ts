/**
 * Collection built-ins with jsonata's semantics that count their loops against the guard (D1012 fires inside
 * them) and avoid jsonata's quadratic algorithms: $sort (merge sort copying both halves at every step), $distinct
 * (every item compared with every kept one) and $spread (the result copied for every item).
 */
import { jerr } from './errors';
import { guardOf, type Guard } from './guard';
import { deepEqual, isArrayOfNumbers, isFn, isLambdaObject, isSeq } from './values';
import { mergeSortAsync } from './sort';

type Focus = { createSequence(...items: unknown[]): unknown[] };

const hasOwn = Object.prototype.hasOwnProperty;
const keysOf = (v: unknown): string[] => (typeof v === 'object' && v !== null ? Object.keys(v) : []);

export async function sort(this: Focus, arr: unknown, comparator: unknown): Promise<unknown> {
  if (arr === undefined) return undefined;
  const list = arr as unknown[];
  if (list.length <= 1) return list;
  if (comparator === undefined) {
    if (!isArrayOfNumbers(list) && !list.every((item) => typeof item === 'string')) throw jerr('D3070', { index: 1 });
    return mergeSortAsync(list, (a, b) => (a as number) > (b as number), guardOf(this));
  }
  return mergeSortAsync(list, comparator as (a: unknown, b: unknown) => unknown, guardOf(this));
}

/** A short text that values equal by jsonata's deep equality share (the bucket `$distinct` compares within). */
function shape(value: unknown, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  if (value === null || typeof value !== 'object') {
    const text = typeof value === 'string' ? JSON.stringify(value.slice(0, 32)) : `${typeof value}:${String(value)}`;
    budget.left -= text.length;
    return text;
  }
  budget.left -= 2;
  if (Array.isArray(value)) return `[${value.map((item) => shape(item, budget)).join(',')}]`;
  const keys = Object.getOwnPropertyNames(value).sort();
  return `{${keys.map((key) => `${key}:${shape((value as Record<string, unknown>)[key], budget)}`).join(',')}}`;
}

function sameAsKept(value: unknown, bucket: unknown[], g: Guard): boolean {
  for (const kept of bucket) {
    g.tick(1);
    if (deepEqual(value, kept)) return true;
  }
  return false;
}

export function distinct(this: Focus, arr: unknown): unknown {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const g = guardOf(this);
  const results = isSeq(arr) ? this.createSequence() : [];
  // scalars and functions are equal only when identical (NaN never): a Set; objects and arrays by deep equality,
  // compared only with kept values of the same shape
  const scalars = new Set<unknown>();
  const buckets = new Map<string, unknown[]>();
  for (const value of arr) {
    g.tick(1);
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'number' && Number.isNaN(value)) results.push(value);
      else if (!scalars.has(value)) {
        scalars.add(value);
        results.push(value);
      }
      continue;
    }
    const key = shape(value, { left: 256 });
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [value]);
    else if (sameAsKept(value, bucket, g)) continue;
    else bucket.push(value);
    results.push(value);
  }
  return results;
}

export function zip(this: unknown, ...args: unknown[]): unknown[] {
  const g = guardOf(this);
  const result: unknown[] = [];
  let length = Infinity;
  for (const arg of args) length = Math.min(length, Array.isArray(arg) ? arg.length : 0);
  for (let i = 0; i < length; i++) {
    result.push(args.map((arg) => (arg as unknown[])[i]));
    g.tick(args.length);
  }
  return result;
}

export function keys(this: Focus, arg: unknown): unknown[] {
  const g = guardOf(this);
  let result = this.createSequence();
  if (Array.isArray(arg)) {
    const merged: Record<string, true> = Object.create(null);
    for (const item of arg) {
      for (const key of keys.call(this, item) as string[]) merged[key] = true;
      g.tick(1);
    }
    result = keys.call(this, merged);
  } else if (arg !== null && typeof arg === 'object' && !isFn(arg)) {
    const names = Object.keys(arg);
    g.tick(names.length);
    for (const key of names) result.push(key);
  }
  return result;
}

export function lookup(this: Focus, input: unknown, key: unknown): unknown {
  if (Array.isArray(input)) {
    const g = guardOf(this);
    const result = this.createSequence();
    for (const item of input) {
      const res = lookup.call(this, item, key);
      if (res !== undefined) {
        if (Array.isArray(res)) for (const v of res) result.push(v);
        else result.push(res);
      }
      g.tick(1);
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key as string) && !isFn(input)) return (input as Record<string, unknown>)[key as string];
  return undefined;
}

/** jsonata appends each item's spread to the result with `concat`: the same items, pushed in place. */
export function spread(this: Focus, arg: unknown): unknown {
  if (Array.isArray(arg)) {
    const g = guardOf(this);
    let appended = false;
    const result: unknown[] = [];
    for (const item of arg) {
      const part = spread.call(this, item);
      if (part !== undefined) {
        appended = true;
        if (Array.isArray(part)) for (const v of part) result.push(v);
        else result.push(part);
      }
      g.tick(1);
    }
    // jsonata's result stays its empty sequence until something is appended, then is a plain array
    return appended ? result : this.createSequence();
  }
  if (arg !== null && typeof arg === 'object' && !isLambdaObject(arg)) {
    const result = this.createSequence();
    for (const key of keysOf(arg)) {
      const obj: Record<string, unknown> = Object.create(null);
      obj[key] = (arg as Record<string, unknown>)[key];
      result.push(obj);
    }
    return result;
  }
  return arg;
}

export function merge(this: unknown, arg: unknown): unknown {
  if (arg === undefined) return undefined;
  const g = guardOf(this);
  const result: Record<string, unknown> = Object.create(null);
  for (const obj of arg as unknown[]) {
    const names = keysOf(obj);
    g.tick(names.length);
    for (const prop of names) result[prop] = (obj as Record<string, unknown>)[prop];
  }
  return result;
}
