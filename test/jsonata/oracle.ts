import { isDeepStrictEqual } from 'node:util';
import { compileExpression, type MappingExpression } from '../../engine/jsonata/expression';

/**
 * A canonical form for comparing results: key order kept, undefined and functions explicit, array flags ignored,
 * a value that contains itself (a transform can make one) marked where it recurs.
 */
export function canonical(value: unknown, within: unknown[] = []): unknown {
  if (value === undefined) return ['undefined'];
  if (typeof value === 'function') return ['function'];
  if (typeof value !== 'object' || value === null) return value;
  const depth = within.indexOf(value);
  if (depth >= 0) return ['cycle', within.length - depth];
  const inner = [...within, value];
  if (Array.isArray(value)) return ['array', value.map((item) => canonical(item, inner))];
  const v = value as Record<string, unknown>;
  if (v._jsonata_function === true || v._jsonata_lambda === true) return ['function'];
  return ['object', Object.keys(v).map((k) => [k, canonical(v[k], inner)])];
}

export type Outcome = { ok: true; value: unknown } | { ok: false; code: string; error: unknown };

export async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : `thrown: ${String(error)}`;
    return { ok: false, code, error };
  }
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a.ok && b.ok) return isDeepStrictEqual(canonical(a.value), canonical(b.value));
  if (!a.ok && !b.ok) return a.code === b.code;
  return false;
}

export function describeOutcome(o: Outcome): string {
  if (!o.ok) return `error ${o.code}`;
  try {
    return JSON.stringify(canonical(o.value));
  } catch {
    return String(o.value);
  }
}

export interface Comparison {
  compiled: boolean;
  same: boolean;
  native: Outcome;
  oracle: Outcome;
  /** The compiled code's asynchronous form, run on the same input (the same outcome is expected). */
  nativeAsync: Outcome;
}

const cache = new Map<string, { native: MappingExpression; nativeAsync: MappingExpression; oracle: MappingExpression }>();

/**
 * Evaluate with the compiled expression (its synchronous form where it applies, then its asynchronous form) and
 * with jsonata (the oracle, same registered functions); `same` when all three agree.
 */
export async function compare(source: string, input: unknown, bindings?: Record<string, unknown>): Promise<Comparison> {
  let trio = cache.get(source);
  if (!trio) {
    trio = { native: compileExpression(source), nativeAsync: compileExpression(source, { forceAsync: true }), oracle: compileExpression(source, { native: false }) };
    cache.set(source, trio);
  }
  const { native, nativeAsync, oracle } = trio;
  const clone = () => (input === undefined ? undefined : structuredClone(input));
  const n = await outcome(() => native.evaluate(clone(), bindings));
  const a = await outcome(() => nativeAsync.evaluate(clone(), bindings));
  const o = await outcome(() => oracle.evaluate(clone(), bindings));
  return { compiled: native.compiled, same: sameOutcome(n, o) && sameOutcome(a, o), native: n, nativeAsync: a, oracle: o };
}
