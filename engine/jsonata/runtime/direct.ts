/**
 * Direct forms of functions, by argument count, for the compiled code's hot path. A direct form returns the
 * function's result, or GENERIC when the arguments are not the simple case it covers; the call then goes through
 * jsonata's own framing (signature validation, context argument, `this`). Stored under symbols, so neither jsonata
 * nor `$keys`/`$string` of a function value can see them.
 */
export const DIRECT_1 = Symbol('direct/1');
export const DIRECT_2 = Symbol('direct/2');
export const DIRECT_3 = Symbol('direct/3');
export const GENERIC = Symbol('generic');

type Direct = (...args: unknown[]) => unknown;

export interface DirectForms {
  [DIRECT_1]?: Direct;
  [DIRECT_2]?: Direct;
  [DIRECT_3]?: Direct;
}

const hasOwn = Object.prototype.hasOwnProperty;

const isFnObject = (v: object): boolean =>
  (v as { _jsonata_function?: unknown })._jsonata_function === true || (v as { _jsonata_lambda?: unknown })._jsonata_lambda === true;

const WHITESPACE_RUNS = /[ \t\n\r]+/g;

function trimmed(s: string): string {
  let result = s.replace(WHITESPACE_RUNS, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  return result;
}

/** An array of numbers, small enough for Math.max's arguments (a longer one goes through jsonata's own). */
const numbers = (list: unknown): boolean => {
  if (!Array.isArray(list) || list.length > 10_000) return false;
  for (const item of list) if (typeof item !== 'number') return false;
  return true;
};

const allStrings = (list: unknown[]): boolean => {
  for (const item of list) if (typeof item !== 'string') return false;
  return true;
};

/**
 * Direct forms know nothing of the evaluation's string limit: they take only strings far below any sensible
 * limit (even when a case change triples them); longer ones go through the bounded built-in.
 */
const SMALL = 4096;

const smallJoin = (list: string[], separator: string): boolean => {
  let total = separator.length * list.length;
  for (const item of list) total += item.length;
  return total <= SMALL;
};

/**
 * jsonata built-ins for which the common argument types (and a missing argument) have an obviously equal direct
 * form (each mirrors the built-in's documented behaviour for exactly those types; `test/jsonata/cases.ts` checks them against jsonata).
 */
const BUILTIN_FORMS: Record<string, Partial<Record<1 | 2 | 3, Direct>>> = {
  exists: { 1: (a) => a !== undefined },
  string: { 1: (a) => (typeof a === 'string' ? a : a === undefined ? undefined : Number.isInteger(a) || typeof a === 'boolean' ? String(a) : GENERIC) },
  number: { 1: (a) => (typeof a === 'number' && Number.isFinite(a) ? a : a === undefined ? undefined : GENERIC) },
  boolean: { 1: (a) => (typeof a === 'boolean' ? a : typeof a === 'string' ? a.length > 0 : a === undefined ? undefined : GENERIC) },
  not: { 1: (a) => (typeof a === 'boolean' ? !a : typeof a === 'string' ? a.length === 0 : a === undefined ? undefined : GENERIC) },
  lowercase: { 1: (a) => (typeof a === 'string' && a.length <= SMALL ? a.toLowerCase() : a === undefined ? undefined : GENERIC) },
  uppercase: { 1: (a) => (typeof a === 'string' && a.length <= SMALL ? a.toUpperCase() : a === undefined ? undefined : GENERIC) },
  // runs of space, tab, CR and LF become one space; then one space at each end goes
  trim: { 1: (a) => (typeof a === 'string' ? trimmed(a) : a === undefined ? undefined : GENERIC) },
  type: {
    1: (a) => {
      if (typeof a === 'string') return 'string';
      if (typeof a === 'boolean') return 'boolean';
      if (typeof a === 'number') return Number.isFinite(a) ? 'number' : GENERIC;
      if (a === null) return 'null';
      if (a === undefined) return undefined;
      if (typeof a !== 'object') return GENERIC;
      if (Array.isArray(a)) return 'array';
      return isFnObject(a) ? GENERIC : 'object';
    },
  },
  count: { 1: (a) => (Array.isArray(a) ? a.length : a === undefined ? 0 : GENERIC) },
  // aggregates of numbers, added, compared and divided in jsonata's order (Math.max/min over all at once, as it does)
  sum: { 1: (a) => (a === undefined ? undefined : typeof a === 'number' ? 0 + a : numbers(a) ? (a as number[]).reduce((total, n) => total + n, 0) : GENERIC) },
  max: { 1: (a) => (a === undefined ? undefined : typeof a === 'number' ? a : numbers(a) ? ((a as number[]).length === 0 ? undefined : Math.max.apply(Math, a as number[])) : GENERIC) },
  min: { 1: (a) => (a === undefined ? undefined : typeof a === 'number' ? a : numbers(a) ? ((a as number[]).length === 0 ? undefined : Math.min.apply(Math, a as number[])) : GENERIC) },
  average: {
    1: (a) => {
      if (a === undefined) return undefined;
      if (typeof a === 'number') return (0 + a) / 1;
      if (!numbers(a)) return GENERIC;
      const list = a as number[];
      return list.length === 0 ? undefined : list.reduce((total, n) => total + n, 0) / list.length;
    },
  },
  lookup: {
    2: (o, key) => {
      if (o === undefined && typeof key === 'string') return undefined;
      if (typeof key !== 'string' || typeof o !== 'object' || o === null || Array.isArray(o) || isFnObject(o)) return GENERIC;
      return hasOwn.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
    },
  },
  join: {
    1: (list) => (Array.isArray(list) && allStrings(list) && smallJoin(list, '') ? list.join('') : GENERIC),
    2: (list, separator) => (Array.isArray(list) && typeof separator === 'string' && allStrings(list) && smallJoin(list, separator) ? list.join(separator) : GENERIC),
  },
};

/** Give jsonata's built-in function objects their direct forms (symbol-keyed, invisible to jsonata). */
export function attachBuiltinForms(builtins: ReadonlyMap<string, object>): void {
  for (const [name, forms] of Object.entries(BUILTIN_FORMS)) {
    const target = builtins.get(name) as DirectForms | undefined;
    if (target === undefined) continue;
    if (forms[1]) target[DIRECT_1] = forms[1];
    if (forms[2]) target[DIRECT_2] = forms[2];
    if (forms[3]) target[DIRECT_3] = forms[3];
  }
}

/** A function that is synchronous, ignores `this` and takes any arguments: the same direct form for every count. */
export function directForAnyArity(fn: Direct): DirectForms {
  return { [DIRECT_1]: fn, [DIRECT_2]: fn, [DIRECT_3]: fn };
}
