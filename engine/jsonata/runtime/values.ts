/**
 * JSONata's value model: a sequence is an array flagged `sequence`; `keepSingleton` keeps a one-item sequence an
 * array; `cons` marks an array built by a constructor; `outerWrapper` wraps an input array. Every helper here
 * mirrors the documented semantics of jsonata 2.x exactly.
 */
import { jerr } from './errors';
import type { Guard } from './guard';

export type Seq = unknown[] & { sequence?: boolean; keepSingleton?: boolean; cons?: boolean; outerWrapper?: boolean; tupleStream?: boolean };

export function seq(...items: unknown[]): Seq {
  const s = items as Seq;
  s.sequence = true;
  return s;
}

export function isSeq(v: unknown): v is Seq {
  return Array.isArray(v) && (v as Seq).sequence === true;
}

/** The end of every evaluation step: empty → undefined, one item → the item (unless kept). */
export function cl(v: unknown): unknown {
  if (v && Array.isArray(v) && (v as Seq).sequence === true && !(v as Seq).tupleStream) {
    if (v.length === 0) return undefined;
    if (v.length === 1) return (v as Seq).keepSingleton ? v : v[0];
  }
  return v;
}

/** `[]` after a node (keep array): mark the sequence, then collapse. */
export function clk(v: unknown): unknown {
  if (v && Array.isArray(v) && (v as Seq).sequence === true && !(v as Seq).tupleStream) (v as Seq).keepSingleton = true;
  return cl(v);
}

export function isFn(v: unknown): boolean {
  return (!!v && ((v as { _jsonata_function?: unknown })._jsonata_function === true || (v as { _jsonata_lambda?: unknown })._jsonata_lambda === true)) || typeof v === 'function';
}

export function isLambdaObject(v: unknown): boolean {
  return !!v && typeof v === 'object' && (v as { _jsonata_lambda?: unknown })._jsonata_lambda === true;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Field lookup on one value or every member of an array (the members counted against the guard). */
export function lookup(input: unknown, key: string, g?: Guard): unknown {
  if (Array.isArray(input)) {
    g?.tick(input.length);
    const result = seq();
    for (let i = 0; i < input.length; i++) {
      const res = lookup(input[i], key, g);
      if (res !== undefined) {
        if (Array.isArray(res)) for (const v of res) result.push(v);
        else result.push(res);
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object' && hasOwn.call(input, key) && !isFn(input)) return (input as Record<string, unknown>)[key];
  return undefined;
}

/** A plain (non-array, non-function) object: the fast path of a field read. */
export function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { _jsonata_function?: unknown })._jsonata_function !== true && (v as { _jsonata_lambda?: unknown })._jsonata_lambda !== true;
}

/** `v` when it is a plain object (not an array, not a function), SLOW for an array (or SLOW itself), else undefined. */
export function plainView(v: unknown, slow: unknown): unknown {
  if (v === slow || Array.isArray(v)) return slow;
  return isPlain(v) ? v : undefined;
}

export function isNumeric(n: unknown): boolean {
  if (typeof n === 'number') {
    if (Number.isNaN(n)) return false;
    if (!Number.isFinite(n)) throw jerr('D1001', { value: n });
    return true;
  }
  return false;
}

export function isArrayOfNumbers(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (!isNumeric(item)) return false;
  return true;
}

export function boolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return boolean(arg[0]);
    if (arg.length > 1) {
      let trues = 0;
      for (const v of arg) if (boolean(v)) trues++;
      return trues > 0;
    }
    return false;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFn(arg)) return Object.keys(arg).length > 0;
  return arg === true;
}

/** and/or operands: undefined counts as false. */
export function boolize(v: unknown): boolean {
  const b = boolean(v);
  return b === undefined ? false : b;
}

export function deepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i])) return false;
      return true;
    }
    const lk = Object.getOwnPropertyNames(lhs).sort();
    const rk = Object.getOwnPropertyNames(rhs).sort();
    if (lk.length !== rk.length) return false;
    for (let i = 0; i < lk.length; i++) if (lk[i] !== rk[i]) return false;
    for (const k of lk) if (!deepEqual((lhs as Record<string, unknown>)[k], (rhs as Record<string, unknown>)[k])) return false;
    return true;
  }
  return false;
}

/** $string: JSON text with numbers to 15 significant digits; functions become "". */
export function string(arg: unknown, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFn(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) throw jerr('D3001', { value: arg });
  let value = arg;
  if (Array.isArray(value) && (value as Seq).outerWrapper) value = value[0];
  return JSON.stringify(value, (_key, val) => {
    if (val !== undefined && val !== null && isNumeric(val)) return !Number.isInteger(val) ? Number((val as number).toPrecision(15)) : val;
    return val && isFn(val) ? '' : val;
  }, prettify ? 2 : 0);
}

export function arith(lhs: unknown, rhs: unknown, op: string): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw jerr('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw jerr('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const a = lhs as number;
  const b = rhs as number;
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    default: return a % b;
  }
}

export function eq(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  return deepEqual(lhs, rhs);
}

export function compare(lhs: unknown, rhs: unknown, op: string): boolean | undefined {
  const lt = typeof lhs;
  const rt = typeof rhs;
  const lc = lt === 'undefined' || lt === 'string' || lt === 'number';
  const rc = rt === 'undefined' || rt === 'string' || rt === 'number';
  if (!lc || !rc) throw jerr('T2010', { value: !(lt === 'string' || lt === 'number') ? lhs : rhs });
  if (lt === 'undefined' || rt === 'undefined') return undefined;
  if (lt !== rt) throw jerr('T2009', { value: lhs, value2: rhs });
  const a = lhs as number;
  const b = rhs as number;
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

export function concat(lhs: unknown, rhs: unknown): string {
  return (lhs === undefined ? '' : string(lhs)!) + (rhs === undefined ? '' : string(rhs)!);
}

export function includes(lhs: unknown, rhs: unknown): boolean {
  if (lhs === undefined || rhs === undefined) return false;
  const list = Array.isArray(rhs) ? rhs : [rhs];
  for (let i = 0; i < list.length; i++) if (list[i] === lhs) return true;
  return false;
}

export function range(lhs: unknown, rhs: unknown, g?: Guard): Seq | undefined {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw jerr('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) throw jerr('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const a = lhs as number;
  const b = rhs as number;
  if (a > b) return undefined;
  const size = b - a + 1;
  if (size > 1e7) throw jerr('D2014', { value: size });
  // up to ten million items: counted before the array exists and while it fills, so D1012 can fire inside
  g?.tick(size);
  const result = new Array(size) as Seq;
  for (let start = 0; start < size; start += 65_536) {
    const end = Math.min(size, start + 65_536);
    for (let i = start; i < end; i++) result[i] = a + i;
    g?.tick(end - start);
  }
  result.sequence = true;
  return result;
}

export function negate(v: unknown, position: number): number | undefined {
  if (v === undefined) return undefined;
  if (isNumeric(v)) return -(v as number);
  throw jerr('D1002', { position, token: '-', value: v });
}

/** Array constructor item: arrays are spliced in (one level, counted against the guard), anything else appended. */
export function appendItem(result: unknown[], value: unknown, g?: Guard): void {
  if (Array.isArray(value)) {
    g?.tick(value.length);
    for (let i = 0; i < value.length; i++) result.push(value[i]);
  } else result.push(value);
}

export function markCons(a: unknown[]): unknown[] {
  Object.defineProperty(a, 'cons', { enumerable: false, configurable: false, value: true });
  return a;
}

function flatten(arg: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(arg)) for (const item of arg) flatten(item, out);
  else out.push(arg);
  return out;
}

export function wildcard(input: unknown, g?: Guard): Seq {
  let results: Seq = seq();
  let value = input;
  if (Array.isArray(value) && (value as Seq).outerWrapper && value.length > 0) value = value[0];
  if (value !== null && typeof value === 'object' && !isFn(value)) {
    const keys = Object.keys(value);
    g?.tick(keys.length);
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (Array.isArray(v)) results = results.concat(flatten(v)) as Seq;
      else results.push(v);
    }
  }
  return results;
}

function recurseDescendants(input: unknown, results: unknown[], g: Guard | undefined): void {
  g?.tick(1);
  if (!Array.isArray(input)) results.push(input);
  if (Array.isArray(input)) for (const m of input) recurseDescendants(m, results, g);
  else if (input !== null && typeof input === 'object' && !isFn(input)) for (const key of Object.keys(input)) recurseDescendants((input as Record<string, unknown>)[key], results, g);
}

export function descendants(input: unknown, g?: Guard): unknown {
  if (input === undefined) return undefined;
  const results = seq();
  recurseDescendants(input, results, g);
  return results.length === 1 ? results[0] : results;
}

/** What `$` means for a context value (an input array is wrapped at the root). */
export function dollar(input: unknown): unknown {
  return input && (input as Seq).outerWrapper ? (input as unknown[])[0] : input;
}

/** Run a binary operator; its errors carry the operator's position and token (jsonata's evaluateBinary). */
export function binAt(op: (l: unknown, r: unknown, o: string) => unknown, lhs: unknown, rhs: unknown, token: string, position: number): unknown {
  try {
    return op(lhs, rhs, token);
  } catch (error) {
    if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
      (error as { position?: number }).position = position;
      (error as { token?: string }).token = token;
    }
    throw error;
  }
}

export const concat2 = (l: unknown, r: unknown): unknown => concat(l, r);
export const range2 = (l: unknown, r: unknown): unknown => range(l, r);

/**
 * The objects an object constructor builds. jsonata builds them without a prototype (Object.create(null));
 * these have an empty prototype that itself has none, so they behave the same (no toString, no inherited
 * keys) while keeping V8's fast property layout.
 */
export const Obj = function Obj() {} as unknown as new () => Record<string, unknown>;
(Obj as unknown as { prototype: unknown }).prototype = Object.create(null);
