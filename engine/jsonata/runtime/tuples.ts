/**
 * Tuple streams: the sequences of a path whose steps bind the focus (`@$v`), a position (`#$i`) or an ancestor
 * (`%`). Each item is a tuple: `@` holds the context item, the other keys the variables bound so far; a step or a
 * filter is evaluated on `tuple['@']` with the tuple's variables in scope (jsonata's evaluateTupleStep).
 */
import { concurrentError } from './errors';
import { groupEntry } from './path';
import type { Guard } from './guard';
import { seq, type Seq } from './values';

/**
 * A tuple: slot 0 holds `@`, slot i the variable `names[i - 1]` of its stream (the names a path's tuples may bind,
 * known when the path is compiled), UNBOUND while unset; an array copies faster than jsonata's objects.
 */
export type Tuple = unknown[];
export type Tuples = Tuple[] & { sequence?: boolean; tupleStream?: boolean; names?: readonly string[] };

let UNBOUND: unknown;

/** The runtime's marker of "not bound" (a tuple's unset variable reads as unbound, so outer ones show through). */
export function setUnbound(marker: unknown): void {
  UNBOUND = marker;
}

function tupleSeq(names: readonly string[]): Tuples {
  const s = seq() as Tuples;
  s.tupleStream = true;
  s.names = names;
  return s;
}

/** The tuples the first tuple step starts from: one per item of the sequence so far. */
export function startTuples(items: unknown[], names: readonly string[], g: Guard): Tuples {
  g.tick(items.length);
  const out = tupleSeq(names);
  for (let i = 0; i < items.length; i++) {
    const t = new Array<unknown>(names.length + 1).fill(UNBOUND);
    t[0] = items[i];
    out.push(t);
  }
  return out;
}

/** An empty tuple stream (a step's output before its results are pushed). */
export function tuples(names: readonly string[]): Tuples {
  return tupleSeq(names);
}

/** Copy a nested path's tuple into one of this stream (jsonata's Object.assign of the two), slots matched by name. */
function merge(into: Tuple, names: readonly string[], from: Tuple, fromNames: readonly string[]): void {
  into[0] = from[0];
  for (let j = 1; j < from.length; j++) {
    if (from[j] === UNBOUND) continue;
    const at = names.indexOf(fromNames[j - 1]!);
    if (at >= 0) into[at + 1] = from[j];
  }
}

/**
 * The tuples one input tuple yields for a step's value `res`: one per item of `res` (arrays are not flattened
 * further), merged with a nested tuple stream's tuples, or with `@` (or the focus variable), the position variable
 * and the ancestor label set (slots; 0 for none).
 */
export function pushTuples(out: Tuples, input: Tuple, res: unknown, focus: number, index: number, ancestor: number, g: Guard): void {
  if (res === undefined) return;
  const list = (Array.isArray(res) ? res : [res]) as unknown[] & { tupleStream?: boolean; names?: readonly string[] };
  g.tick(list.length);
  for (let bb = 0; bb < list.length; bb++) {
    const t = input.slice();
    if (list.tupleStream) {
      merge(t, out.names!, list[bb] as Tuple, list.names!);
    } else {
      if (focus > 0) t[focus] = list[bb];
      else t[0] = list[bb];
      if (index > 0) t[index] = bb;
      if (ancestor > 0) t[ancestor] = input[0];
    }
    out.push(t);
  }
}

/** `#$i` after a step's filters: each tuple's position in the stream. */
export function indexTuples(stream: Tuples, slot: number): void {
  for (let ee = 0; ee < stream.length; ee++) stream[ee]![slot] = ee;
}

/** A sort step that starts the tuple stream (`items^(a)#$i`): the sorted items, each with its position. */
export function sortedTuples(sorted: unknown[], names: readonly string[], index: number): Tuples {
  const out = tupleSeq(names);
  for (let ss = 0; ss < sorted.length; ss++) {
    const t = new Array<unknown>(names.length + 1).fill(UNBOUND);
    t[0] = sorted[ss];
    if (index > 0) t[index] = ss;
    out.push(t);
  }
  return out;
}

/** A numeric filter `[n]` on a tuple stream. */
export function tupleAt(stream: Tuples, n: number): Tuples {
  const out = tupleSeq(stream.names!);
  let i = Math.floor(n);
  if (i < 0) i = stream.length + i;
  const item = stream[i];
  if (item !== undefined) out.push(item);
  return out;
}

/** What the path yields when it does not hand its tuples on: the context items. */
export function tupleItems(stream: Tuples): Seq {
  const out = seq();
  for (let i = 0; i < stream.length; i++) out.push(stream[i]![0]);
  return out;
}

function append(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const x = Array.isArray(a) ? a : seq(a);
  const y = Array.isArray(b) ? b : [b];
  return x.concat(y);
}

/** The tuples of one group merged into one: every variable's values appended (jsonata's reduceTupleStream). */
function reduceTuples(list: Tuple[]): Tuple {
  if (list.length === 1) return list[0]!;
  const result = list[0]!.slice();
  for (let i = 1; i < list.length; i++) {
    const t = list[i]!;
    for (let j = 0; j < t.length; j++) {
      if (t[j] === UNBOUND) continue;
      result[j] = append(result[j] === UNBOUND ? undefined : result[j], t[j]);
    }
  }
  return result;
}

export type TupleFn = (tuple: Tuple) => unknown;

/** A group's tuples (jsonata appends them one by one into a sequence), and the pair whose key made it. */
interface Entry { items: Tuple[]; exprIndex: number }

function addKey(groups: Record<string, Entry>, key: unknown, item: Tuple, pairIndex: number, position: number): void {
  const entry = groupEntry(groups, key, pairIndex, position);
  if (entry === null) return;
  if (entry) entry.items.push(item);
  else groups[key as string] = { items: [item], exprIndex: pairIndex };
}

/**
 * `path{key: value}` over a tuple stream: keys evaluated per tuple; each group's tuples merged, its value
 * evaluated on the merged `@` with the merged variables (`pairs[i][1]` gets the merged tuple). No tuples, no keys.
 */
export function groupTuples(stream: Tuples, pairs: [TupleFn, TupleFn][], position: number): Record<string, unknown> {
  const groups: Record<string, Entry> = Object.create(null);
  for (const item of stream) for (let p = 0; p < pairs.length; p++) addKey(groups, pairs[p]![0](item), item, p, position);
  const result: Record<string, unknown> = Object.create(null);
  const keys = Object.keys(groups);
  keys.forEach((key, i) => {
    const entry = groups[key]!;
    let value: unknown;
    try {
      value = pairs[entry.exprIndex]![1](reduceTuples(entry.items));
    } catch (error) {
      throw i < keys.length - 1 ? concurrentError(error) : error;
    }
    if (value !== undefined) result[key] = value;
  });
  return result;
}

export async function groupTuplesA(stream: Tuples, pairs: [TupleFn, TupleFn][], position: number): Promise<Record<string, unknown>> {
  const groups: Record<string, Entry> = Object.create(null);
  for (const item of stream) for (let p = 0; p < pairs.length; p++) addKey(groups, await pairs[p]![0](item), item, p, position);
  const result: Record<string, unknown> = Object.create(null);
  const keys = Object.keys(groups);
  for (let i = 0; i < keys.length; i++) {
    const entry = groups[keys[i]!]!;
    let value: unknown;
    try {
      value = await pairs[entry.exprIndex]![1](reduceTuples(entry.items));
    } catch (error) {
      throw i < keys.length - 1 ? concurrentError(error) : error;
    }
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

