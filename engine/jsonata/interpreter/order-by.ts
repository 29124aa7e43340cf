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
import { guardOf } from '../runtime/guard';
import { cl, isSeq } from '../runtime/values';
import { orderByA, type TermValue } from '../runtime/order-by';

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

/**
 * `$^(boxes, position, directions, term…)`: the items in jsonata's order. A term is a lambda evaluating the term
 * with its argument's single item as context, or null for `$` itself (known before any comparison).
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
  const known = terms.map((term) => (term === null ? items.map((item) => (isSeq(item) ? cl(item) : item)) : undefined));
  const values = terms.map((term): TermValue => (term === null ? (item) => item : (item) => term([item])));
  return orderByA(guardOf(this), items, values, terms.map((_, t) => directions[t] === 'd'), position, known);
}

export const orderByFunction = { _jsonata_function: true, implementation: orderBy };
