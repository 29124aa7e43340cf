/**
 * Tuple streams: the sequences of a path whose steps bind the focus (`@$v`), a position (`#$i`) or an ancestor
 * (`%`). Each item is a tuple: `@` holds the context item, the other keys the variables bound so far; a step or a
 * filter is evaluated on `tuple['@']` with the tuple's variables in scope (jsonata's evaluateTupleStep).
 */
import { jerr, NeedsAsync, Unsupported } from './errors';
import type { Guard } from './guard';
import { seq, type Seq } from './values';

export type Tuple = Record<string, unknown>;
export type Tuples = Tuple[] & { sequence?: boolean; tupleStream?: boolean };

function tupleSeq(): Tuples {
  const s = seq() as Tuples;
  s.tupleStream = true;
  return s;
}

function tuple(): Tuple {
  return Object.create(null) as Tuple;
}

/** The tuples the first tuple step starts from: one per item of the sequence so far. */
export function startTuples(items: unknown[], g: Guard): Tuples {
  g.tick(items.length);
  const out = tupleSeq();
  for (let i = 0; i < items.length; i++) {
    const t = tuple();
    t['@'] = items[i];
    out.push(t);
  }
  return out;
}

/** An empty tuple stream (a step's output before its results are pushed). */
export function tuples(): Tuples {
  return tupleSeq();
}

/**
 * The tuples one input tuple yields for a step's value `res`: one per item of `res` (arrays are not flattened
 * further), merged with a nested tuple stream's tuples, or with `@` (or the focus variable), the position variable
 * and the ancestor label set.
 */
export function pushTuples(out: Tuples, input: Tuple, res: unknown, focus: string | undefined, index: string | undefined, ancestor: string | undefined, g: Guard): void {
  if (res === undefined) return;
  const list = (Array.isArray(res) ? res : [res]) as unknown[] & { tupleStream?: boolean };
  g.tick(list.length);
  for (let bb = 0; bb < list.length; bb++) {
    const t = tuple();
    Object.assign(t, input);
    if (list.tupleStream) {
      Object.assign(t, list[bb]);
    } else {
      if (focus !== undefined) {
        t[focus] = list[bb];
        t['@'] = input['@'];
      } else {
        t['@'] = list[bb];
      }
      if (index !== undefined) t[index] = bb;
      if (ancestor !== undefined) t[ancestor] = input['@'];
    }
    out.push(t);
  }
}

/** `#$i` after a step's filters: each tuple's position in the stream. */
export function indexTuples(stream: Tuples, name: string): void {
  for (let ee = 0; ee < stream.length; ee++) stream[ee]![name] = ee;
}

/** A sort step that starts the tuple stream (`items^(a)#$i`): the sorted items, each with its position. */
export function sortedTuples(sorted: unknown[], index: string | undefined): Tuples {
  const out = tupleSeq();
  for (let ss = 0; ss < sorted.length; ss++) {
    const t = tuple();
    t['@'] = sorted[ss];
    if (index !== undefined) t[index] = ss;
    out.push(t);
  }
  return out;
}

/** A numeric filter `[n]` on a tuple stream. */
export function tupleAt(stream: Tuples, n: number): Tuples {
  const out = tupleSeq();
  let i = Math.floor(n);
  if (i < 0) i = stream.length + i;
  const item = stream[i];
  if (item !== undefined) out.push(item);
  return out;
}

/** What the path yields when it does not hand its tuples on: the context items. */
export function tupleItems(stream: Tuples): Seq {
  const out = seq();
  for (let i = 0; i < stream.length; i++) out.push(stream[i]!['@']);
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
function reduceTuples(data: unknown): Tuple {
  if (!Array.isArray(data)) return data as Tuple;
  const result = tuple();
  Object.assign(result, data[0]);
  for (let i = 1; i < data.length; i++) {
    for (const prop of Object.keys(data[i] as object)) result[prop] = append(result[prop], (data[i] as Tuple)[prop]);
  }
  return result;
}

export type TupleFn = (tuple: Tuple) => unknown;

interface Entry { data: unknown; exprIndex: number }

function addKey(groups: Record<string, Entry>, key: unknown, item: Tuple, pairIndex: number, position: number): void {
  if (typeof key !== 'string' && key !== undefined) throw jerr('T1003', { position, value: key });
  if (key === undefined) return;
  if (key === '_jsonata_lambda' || key === '_jsonata_function') throw jerr('D1013', { position, value: key });
  if (Object.prototype.hasOwnProperty.call(groups, key)) {
    if (groups[key]!.exprIndex !== pairIndex) throw jerr('D1009', { position, value: key });
    groups[key]!.data = append(groups[key]!.data, item);
  } else {
    groups[key] = { data: item, exprIndex: pairIndex };
  }
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
      value = pairs[entry.exprIndex]![1](reduceTuples(entry.data));
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
      value = await pairs[entry.exprIndex]![1](reduceTuples(entry.data));
    } catch (error) {
      throw i < keys.length - 1 ? concurrentError(error) : error;
    }
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

/** jsonata evaluates group values concurrently: when one but the last fails, the winning error is jsonata's to pick. */
function concurrentError(error: unknown): unknown {
  if (error instanceof Unsupported || error instanceof NeedsAsync) return error;
  return new Unsupported('an error among concurrently evaluated group values');
}
