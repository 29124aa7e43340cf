/**
 * Strings under the evaluation's size limit: measured before they are built, and counted in code points (as
 * JSONata counts characters) without the array of characters jsonata builds, which alone can exhaust memory on a
 * long string.
 */
import type { Guard } from './guard';
import { isFn, string, type Seq } from './values';

const SURROGATE = /[\uD800-\uDFFF]/;

/** Characters (code points; a lone surrogate counts as one) in `s`. */
export function codePointLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** `Array.from(s).slice(start, end).join('')` (code points, negative indexes from the end), without the array. */
export function codePointSlice(s: string, start: number, end?: number): string {
  if (!SURROGATE.test(s)) return s.slice(start, end);
  return Array.from(s).slice(start, end).join('');
}

/**
 * A lower bound of the length of `JSON.stringify(value)` as $string writes it, stopping early past `limit`:
 * string lengths add up through every reference, so text shared many times is counted as many times.
 */
export function jsonSizeAtLeast(value: unknown, limit: number, indent: number, g: Guard): number {
  let size = 0;
  const stack: [object, number][] = [];
  // scalars are counted where they are met; only containers wait on the stack
  const add = (v: unknown, depth: number): void => {
    if (typeof v === 'string') size += v.length + 2;
    else if (v === null || typeof v !== 'object' || isFn(v)) size += 1;
    else stack.push([v, depth]);
  };
  add(value, 0);
  while (stack.length > 0 && size <= limit) {
    const [v, depth] = stack.pop()!;
    const items = Array.isArray(v) ? v : Object.keys(v);
    g.tick(items.length);
    size += 2;
    for (let i = 0; i < items.length && size <= limit; i++) {
      if (Array.isArray(v)) {
        size += 1 + indent * (depth + 1);
        add(items[i], depth + 1);
      } else {
        const key = items[i] as string;
        size += key.length + 3 + indent * (depth + 1);
        add((v as Record<string, unknown>)[key], depth + 1);
      }
    }
  }
  return size;
}

/** $string under the size limit: D1014 before serializing a value whose text would be too long. */
export function boundedString(arg: unknown, prettify: boolean, g: Guard): string | undefined {
  if (typeof arg === 'string' || arg === undefined || typeof arg !== 'object' || arg === null) return string(arg, prettify);
  if (isFn(arg)) return '';
  const value = Array.isArray(arg) && (arg as Seq).outerWrapper ? arg[0] : arg;
  g.checkString(jsonSizeAtLeast(value, g.maxString, prettify ? 2 : 0, g));
  const text = string(arg, prettify)!;
  g.checkString(text.length);
  return text;
}

/** `l & r` under the size limit (each side as $string writes it). */
export function boundedConcat(l: unknown, r: unknown, g: Guard): string {
  const left = l === undefined ? '' : boundedString(l, false, g)!;
  const right = r === undefined ? '' : boundedString(r, false, g)!;
  g.checkString(left.length + right.length);
  return left + right;
}
