/**
 * The transform `| pattern | update, delete |`: a function (jsonata's signature `<(oa):o>`) that clones its
 * argument with the `$clone` in scope where the transform was written, then for every match of the pattern in the
 * clone merges the update object into it and deletes the listed keys (jsonata's evaluateTransformExpression).
 */
import { jerr } from './errors';
import { applyAsync, applySync, builtinObject, type Env } from './functions';
import { signature } from './signature';
import { isFn, Obj } from './values';
import { SYNC_FORM } from './bounded-builtins';

type Part = (context: unknown) => unknown;

export interface TransformParts {
  position: number;
  updatePosition: number;
  deletePosition: number;
  pattern: Part;
  update: Part;
  delete: Part | undefined;
}

const TRANSFORM_SIGNATURE = '<(oa):o>';

/** Merge `update` into `match` (T2011 for anything but an object). */
function merge(match: unknown, update: unknown, parts: TransformParts): void {
  if (update === undefined) return;
  if (typeof update !== 'object' || update === null || Array.isArray(update)) throw jerr('T2011', { position: parts.updatePosition, value: update });
  // strict mode, as jsonata's evaluator: a property set on a string or number match fails with a TypeError
  for (const prop of Object.keys(update)) (match as Record<string, unknown>)[prop] = (update as Record<string, unknown>)[prop];
}

/** Delete the keys `value` names from `match` (T2012 unless they are strings). */
function remove(match: unknown, value: unknown, parts: TransformParts): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    if (typeof match === 'object' && match !== null) delete (match as Record<string, unknown>)[value];
    return;
  }
  if (!Array.isArray(value)) throw jerr('T2012', { position: parts.deletePosition, value });
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') throw jerr('T2012', { position: parts.deletePosition, value });
  if (typeof match !== 'object' || match === null) return;
  for (let i = 0; i < value.length; i++) delete (match as Record<string, unknown>)[value[i] as string];
}

const NOT_PLAIN = Symbol('not plain data');

/**
 * `Number(x.toPrecision(15))`: x itself when its shortest decimal form (String(x), which round-trips) has at most
 * 15 significant digits, as rounding to 15 digits then changes nothing; otherwise rounded.
 */
function toFifteenDigits(x: number): number {
  // x is r / 10^k for an integer r of at most 15 digits: a decimal of at most 15 significant digits, which a double
  // keeps exactly to 15 digits (DBL_DIG), so rounding to 15 digits gives x back (the usual prices and amounts)
  let scale = 1;
  for (let k = 1; k <= 15; k++) {
    scale *= 10;
    const r = Math.round(x * scale);
    if (r >= 1e15 || r <= -1e15) break;
    if (r / scale === x) return x;
  }
  const text = String(x);
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101) break; // the exponent
    if (c < 48 || c > 57 || (digits === 0 && c === 48)) continue;
    digits++;
  }
  return digits <= 15 ? x : Number(x.toPrecision(15));
}
const OBJ_PROTOTYPE: unknown = Object.getPrototypeOf(new Obj());

/**
 * jsonata's `$clone` is `JSON.parse($string(value))`: numbers to 15 significant digits (integers as they are, -0 as
 * 0), functions as "", undefined dropped from objects and null in arrays, array flags gone. The same copy made
 * directly, for plain data; anything else (a cycle, a non-finite number, an object of another kind, a `toJSON`
 * function, great depth) answers NOT_PLAIN and goes through the built-in itself.
 */
function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) return Number.isNaN(value) ? null : NOT_PLAIN;
      return Number.isInteger(value) ? value + 0 : toFifteenDigits(value);
    case 'function':
      return '';
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (isFn(value)) return '';
  // great depth, or a cycle (JSON.stringify fails on it), which recursion turns into great depth
  if (depth > 500) return NOT_PLAIN;
  let copy: unknown;
  if (Array.isArray(value)) {
    const list = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i] === undefined ? null : copyPlain(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      list[i] = item === undefined ? null : item;
    }
    copy = list;
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null && proto !== OBJ_PROTOTYPE) return NOT_PLAIN;
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      const item = copyPlain(v, depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      if (key === '__proto__') Object.defineProperty(object, key, { value: item, writable: true, enumerable: true, configurable: true });
      else object[key] = item;
    }
    copy = object;
  }
  return copy;
}

/** `$clone(obj)` as the transform makes it: directly for plain data when `$clone` is the built-in. */
function cloned(env: Env, clone: unknown, obj: unknown, apply: () => unknown): unknown {
  if (clone === builtinObject('clone') && !(Array.isArray(obj) && (obj as { outerWrapper?: boolean }).outerWrapper)) {
    const copy = copyPlain(obj, 0);
    if (copy !== NOT_PLAIN) {
      env.g.tick(1);
      return copy;
    }
  }
  return apply();
}

function matchesOf(found: unknown): unknown[] {
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}

/** The transform function of the synchronous code: its parts are synchronous closures; `$clone` read when it runs. */
export function transform(env: Env, cloneHere: () => unknown, parts: TransformParts): object {
  const implementation = (obj: unknown): unknown => {
    if (obj === undefined) return undefined;
    const clone = cloneHere();
    if (!isFn(clone)) throw jerr('T2013', { position: parts.position });
    const result = cloned(env, clone, obj, () => applySync(env, clone, [obj], null));
    for (const match of matchesOf(parts.pattern(result))) {
      env.g.tick(1);
      merge(match, parts.update(match), parts);
      // the deletions are evaluated on the match as updated
      if (parts.delete !== undefined) remove(match, parts.delete(match), parts);
    }
    return result;
  };
  return { _jsonata_function: true, implementation, [SYNC_FORM]: implementation, signature: signature(TRANSFORM_SIGNATURE) };
}

export function transformA(env: Env, cloneHere: () => unknown, parts: TransformParts): object {
  const implementation = async (obj: unknown): Promise<unknown> => {
    if (obj === undefined) return undefined;
    const clone = cloneHere();
    if (!isFn(clone)) throw jerr('T2013', { position: parts.position });
    const result = await cloned(env, clone, obj, () => applyAsync(env, clone, [obj], null));
    for (const match of matchesOf(await parts.pattern(result))) {
      env.g.tick(1);
      if (env.g.due) await env.g.pause();
      merge(match, await parts.update(match), parts);
      if (parts.delete !== undefined) remove(match, await parts.delete(match), parts);
    }
    return result;
  };
  return { _jsonata_function: true, implementation, signature: signature(TRANSFORM_SIGNATURE) };
}
