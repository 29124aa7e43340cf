/**
 * Order-by (`items^(>price, name)`) on both paths: jsonata's comparisons, in jsonata's order, on the bounded merge
 * sort of ./sort. jsonata evaluates a term for item a, then for item b, at every comparison; here each term is
 * evaluated at most once per item, at the first comparison that needs it, so the evaluations that happen (and the
 * first failing one) come in the same order, and a later term only when the earlier ones tie.
 */
import { jerr } from './errors';
import type { Guard } from './guard';
import { mergeSortAsync, mergeSortSync } from './sort';
import { isPromise } from './promises';

/** A term's value for an item (the item as context); may answer with a Promise on the asynchronous path. */
export type TermValue = (item: unknown, index: number) => unknown;

/** jsonata's comparison of two items' values for one term: missing values last, T2008/T2007 for other types. */
export function compareTerms(aa: unknown, bb: unknown, descending: boolean, position: number): number {
  const at = typeof aa;
  const bt = typeof bb;
  if (at === 'undefined') return bt === 'undefined' ? 0 : 1;
  if (bt === 'undefined') return -1;
  if (!(at === 'string' || at === 'number') || !(bt === 'string' || bt === 'number')) {
    throw jerr('T2008', { position, value: !(at === 'string' || at === 'number') ? aa : bb });
  }
  if (at !== bt) throw jerr('T2007', { position, value: aa, value2: bb });
  if (aa === bb) return 0;
  const comp = (aa as number) < (bb as number) ? -1 : 1;
  return descending ? -comp : comp;
}

const NOT_YET = Symbol('not yet evaluated');

function memoOf(terms: readonly TermValue[], count: number): unknown[][] {
  return terms.map(() => new Array<unknown>(count).fill(NOT_YET));
}

/**
 * The items in jsonata's order (a new array), or the items themselves when there are fewer than two (jsonata's
 * sort hands those on as they are).
 */
export function orderBy(g: Guard, items: unknown[], terms: readonly TermValue[], descending: readonly boolean[], position: number): unknown[] {
  if (items.length <= 1) return items;
  const memo = memoOf(terms, items.length);
  const value = (t: number, i: number): unknown => {
    let v = memo[t]![i];
    if (v === NOT_YET) {
      v = terms[t]!(items[i], i);
      memo[t]![i] = v;
    }
    return v;
  };
  const swap = (a: unknown, b: unknown): boolean => {
    let comp = 0;
    for (let t = 0; comp === 0 && t < terms.length; t++) comp = compareTerms(value(t, a as number), value(t, b as number), descending[t]!, position);
    return comp === 1;
  };
  return mergeSortSync(items.map((_, i) => i), swap, g).map((i) => items[i as number]);
}

/** The same with terms that may answer with a Promise; `known`: per term, values known before any comparison. */
export async function orderByA(g: Guard, items: unknown[], terms: readonly TermValue[], descending: readonly boolean[], position: number, known?: readonly (unknown[] | undefined)[]): Promise<unknown[]> {
  if (items.length <= 1) return items;
  const memo = terms.map((_, t) => known?.[t] ?? new Array<unknown>(items.length).fill(NOT_YET));
  const value = async (t: number, i: number): Promise<unknown> => {
    let v = memo[t]![i];
    if (v === NOT_YET) {
      v = terms[t]!(items[i], i);
      if (isPromise(v)) v = await v;
      memo[t]![i] = v;
    }
    return v;
  };
  // jsonata evaluates a's term value, then b's, term after term while they tie: the same order, waiting only
  // for values not evaluated yet
  const swapAsync = async (a: number, b: number, from: number): Promise<boolean> => {
    let comp = 0;
    for (let t = from; comp === 0 && t < terms.length; t++) {
      const aa = await value(t, a);
      const bb = await value(t, b);
      comp = compareTerms(aa, bb, descending[t]!, position);
    }
    return comp === 1;
  };
  const swap = (a: unknown, b: unknown): boolean | Promise<boolean> => {
    let comp = 0;
    for (let t = 0; comp === 0 && t < terms.length; t++) {
      const aa = memo[t]![a as number];
      const bb = memo[t]![b as number];
      if (aa === NOT_YET || bb === NOT_YET) return swapAsync(a as number, b as number, t);
      comp = compareTerms(aa, bb, descending[t]!, position);
    }
    return comp === 1;
  };
  const order = await mergeSortAsync(items.map((_, i) => i), swap, g);
  return order.map((i) => items[i as number]);
}
