/**
 * jsonata's merge sort, in n log n time and linear memory. jsonata splits at floor(n / 2), sorts the left half,
 * then the right, then merges, taking the right item first only when `swap(left, right)` is truthy; this does the
 * same comparisons in the same order (so a comparator that fails, fails on the same pair) without jsonata's copy
 * of the rest of both halves at every step of a merge. Stable. Every merge counts against the guard, so D1012
 * fires inside a long sort; the asynchronous form also lets the event loop run when the guard says so.
 */
import type { Guard } from './guard';
import { isPromise } from './promises';

export type Swap = (a: unknown, b: unknown) => unknown;

/** A plain array of the items (not `slice`, which would keep a sequence's class or another realm's Array). */
function copy(items: readonly unknown[]): unknown[] {
  const a = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) a[i] = items[i];
  return a;
}

/** A sorted copy of `items` (the items themselves when there are fewer than two, as jsonata returns them). */
export function mergeSortSync(items: readonly unknown[], swap: Swap, g: Guard): unknown[] {
  const a = copy(items);
  const buffer = new Array<unknown>(a.length);
  const sortRange = (lo: number, hi: number): void => {
    if (hi - lo <= 1) return;
    const mid = lo + Math.floor((hi - lo) / 2);
    sortRange(lo, mid);
    sortRange(mid, hi);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) buffer[k++] = swap(a[i], a[j]) ? a[j++] : a[i++];
    while (i < mid) buffer[k++] = a[i++];
    while (j < hi) buffer[k++] = a[j++];
    for (k = lo; k < hi; k++) a[k] = buffer[k];
    g.tick(hi - lo);
  };
  sortRange(0, a.length);
  return a;
}

/** The same sort with a comparator that may answer with a Promise (a JSONata lambda on the interpreter). */
export async function mergeSortAsync(items: readonly unknown[], swap: Swap, g: Guard): Promise<unknown[]> {
  const a = copy(items);
  const buffer = new Array<unknown>(a.length);
  const sortRange = async (lo: number, hi: number): Promise<void> => {
    if (hi - lo <= 1) return;
    const mid = lo + Math.floor((hi - lo) / 2);
    await sortRange(lo, mid);
    await sortRange(mid, hi);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) {
      let answer = swap(a[i], a[j]);
      if (isPromise(answer)) answer = await answer;
      buffer[k++] = answer ? a[j++] : a[i++];
    }
    while (i < mid) buffer[k++] = a[i++];
    while (j < hi) buffer[k++] = a[j++];
    for (k = lo; k < hi; k++) a[k] = buffer[k];
    g.tick(hi - lo);
    if (g.due) await g.pause();
  };
  await sortRange(0, a.length);
  return a;
}
