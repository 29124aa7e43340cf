/**
 * Order-by (`items^(>price, name)`) for the jsonata interpreter. jsonata sorts with a merge sort that copies the
 * rest of both halves at every step (quadratic in time and memory, nothing checked inside), and its sort step
 * cannot be replaced from outside; ./lower-ast rewrites each order-by path into a call of `orderBy` below:
 *
 *   path [s0 … sk-1, ^(terms), sk+1 …]  →  ( $^n := $^(path [s0 … sk-1, $item()], 0, "ad", λ…);
 *                                            $^n = EMPTY ? path [[]] : path [$^n, sk+1 …] )
 *
 * `$item()` boxes every item of the sequence the sort would get (so it reaches `orderBy` exactly, arrays among the
 * items included); the result is bound so the rest of the path sees what jsonata's sort step would hand on.
 * Names such as `^` and `^3` cannot be written in JSONata, so no expression can reach or rebind them.
 */
import { jerr } from '../runtime/errors';
import { guardOf } from '../runtime/guard';
import { cl, isSeq } from '../runtime/values';
import { mergeSortAsync } from '../runtime/sort';

export const ORDER_BY = '^';
export const BOX = '^item';
/** What the rewritten path binds when the items ended on an empty array constructor (jsonata hands that on as is). */
export const NO_ITEMS = '\u0000^no items';

class Boxed {
  constructor(readonly item: unknown) {}
}

type Focus = { input?: unknown; createSequence(...items: unknown[]): unknown[] & { keepSingleton?: boolean } };
type Term = ((item: unknown[]) => unknown) | null;

/** `$item()` as a path step: its context item, boxed. */
export const boxFunction = {
  _jsonata_function: true,
  implementation(this: Focus): Boxed {
    return new Boxed(this.input);
  },
};

const NOT_YET = Symbol('not yet evaluated');

/** jsonata's order-by comparison of two items' term values, term by term (T2007, T2008 as jsonata raises them). */
function compareTerms(aa: unknown, bb: unknown, descending: boolean, position: number): number {
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

/**
 * `$^(boxes, position, directions, term…)`: the items in jsonata's order. A term is a lambda evaluating the term
 * with its argument's single item as context, or null for `$` itself. Each term is evaluated at most once per
 * item, and only when jsonata's comparisons would need it (a later term only to break a tie).
 */
async function orderBy(this: Focus, boxes: unknown, position: number, directions: string, ...terms: Term[]): Promise<unknown> {
  if (boxes === undefined) return undefined;
  const list = boxes instanceof Boxed ? [boxes] : (boxes as unknown[]);
  if (list.length === 0) return NO_ITEMS;
  const items = list.map((box) => (box as Boxed).item);
  if (items.length === 1) {
    // jsonata hands a single item on as the sequence it was: keep it from collapsing on the way
    const single = this.createSequence(items[0]);
    single.keepSingleton = true;
    return single;
  }
  // `$` terms are the items themselves: known before any comparison, so those comparisons never wait
  const memo = terms.map((term) => (term === null ? items.map((item) => (isSeq(item) ? cl(item) : item)) : new Array<unknown>(items.length).fill(NOT_YET)));
  const value = async (t: number, i: number): Promise<unknown> => {
    let v = memo[t]![i];
    if (v === NOT_YET) {
      v = await (terms[t] as (item: unknown[]) => unknown)([items[i]]);
      memo[t]![i] = v;
    }
    return v;
  };
  const descending = terms.map((_, t) => directions[t] === 'd');
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
  const order = await mergeSortAsync(items.map((_, i) => i), swap, guardOf(this));
  return order.map((i) => items[i as number]);
}

export const orderByFunction = { _jsonata_function: true, implementation: orderBy };
