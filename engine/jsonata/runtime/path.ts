/**
 * The general forms of path steps, predicates and object grouping, used when the generated fast path (a single
 * plain object flowing through name steps) does not apply. Sync and async variants share one shape.
 */
import { concurrentError, jerr } from './errors';
import { boolean, cl, isArrayOfNumbers, isNumeric, isSeq, lookup, seq, type Seq } from './values';
import type { Guard } from './guard';

export type StepFn = (item: unknown) => unknown;
export type StepFnA = (item: unknown) => Promise<unknown>;
/** A step that takes the whole sequence at once (order-by). */
export type WholeStep<F> = { whole: F };

/**
 * The sequence a step's results make: arrays spread (unless built by a constructor); a lone array ends a path as is.
 * The items spread count against the guard (a step can yield the same long array for every input item).
 */
export function stepResult(result: unknown[], lastStep: boolean, g?: Guard): Seq {
  if (lastStep && result.length === 1 && Array.isArray(result[0]) && !isSeq(result[0])) return result[0] as Seq;
  // `result` is always a new list of the caller's: with nothing to spread it becomes the sequence itself
  let flat = 0;
  while (flat < result.length && (!Array.isArray(result[flat]) || (result[flat] as Seq).cons)) flat++;
  if (flat === result.length) {
    (result as Seq).sequence = true;
    return result as Seq;
  }
  const out = seq();
  for (let i = 0; i < flat; i++) out.push(result[i]);
  for (let i = flat; i < result.length; i++) {
    const res = result[i];
    if (!Array.isArray(res) || (res as Seq).cons) out.push(res);
    else {
      g?.tick(res.length);
      for (const v of res) out.push(v);
    }
  }
  return out;
}

/** The items a path's first step runs over: the input array itself, else the input as a sequence of one. */
export function startSequence(input: unknown, firstIsVariable: boolean): Seq {
  return Array.isArray(input) && !firstIsVariable ? (input as Seq) : seq(input);
}

/** evaluatePath: `steps[i]` evaluates step i (with its stages) on one item, or (`whole`) on the sequence. */
export function path(g: Guard, input: unknown, steps: (StepFn | WholeStep<StepFn>)[], firstIsVariable: boolean, firstCons: boolean, keepSingletonArray: boolean): unknown {
  let inputSequence: Seq = startSequence(input, firstIsVariable);
  let resultSequence: Seq | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i === 0 && firstCons) {
      resultSequence = (step as StepFn)(inputSequence) as Seq | undefined;
    } else if (typeof step !== 'function') {
      resultSequence = step.whole(inputSequence) as Seq | undefined;
    } else {
      const result: unknown[] = [];
      g.tick(inputSequence.length);
      for (let j = 0; j < inputSequence.length; j++) {
        const res = step(inputSequence[j]);
        if (res !== undefined) result.push(res);
      }
      resultSequence = stepResult(result, i === steps.length - 1, g);
    }
    if (resultSequence === undefined || resultSequence.length === 0) break;
    inputSequence = resultSequence;
  }
  return finishPath(resultSequence, keepSingletonArray);
}

export async function pathA(g: Guard, input: unknown, steps: (StepFnA | WholeStep<StepFnA>)[], firstIsVariable: boolean, firstCons: boolean, keepSingletonArray: boolean): Promise<unknown> {
  let inputSequence: Seq = startSequence(input, firstIsVariable);
  let resultSequence: Seq | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i === 0 && firstCons) {
      resultSequence = (await (step as StepFnA)(inputSequence)) as Seq | undefined;
    } else if (typeof step !== 'function') {
      resultSequence = (await step.whole(inputSequence)) as Seq | undefined;
    } else {
      const result: unknown[] = [];
      g.tick(inputSequence.length);
      for (let j = 0; j < inputSequence.length; j++) {
        if (g.due) await g.pause();
        const res = await step(inputSequence[j]);
        if (res !== undefined) result.push(res);
      }
      resultSequence = stepResult(result, i === steps.length - 1, g);
    }
    if (resultSequence === undefined || resultSequence.length === 0) break;
    inputSequence = resultSequence;
  }
  return finishPath(resultSequence, keepSingletonArray);
}

/** A path's value: its last sequence, kept an array with `[]` after the path. */
export function finishPath(resultSequence: Seq | undefined, keepSingletonArray: boolean): unknown {
  let r = resultSequence;
  if (keepSingletonArray) {
    if (Array.isArray(r) && r.cons && !r.sequence) r = seq(r);
    (r as Seq).keepSingleton = true;
  }
  return r;
}

/** A numeric literal predicate: `[n]`. */
export function index(input: unknown, n: number): Seq {
  let results: Seq = seq();
  const list = Array.isArray(input) ? input : seq(input);
  let i = Math.floor(n);
  if (i < 0) i = list.length + i;
  const item = list[i];
  if (item !== undefined) {
    if (Array.isArray(item)) results = item as Seq;
    else results.push(item);
  }
  return results;
}

/** Keep `item` if the predicate's value `res` names its index or is truthy (jsonata's evaluateFilter). */
export function pushKept(results: Seq, res: unknown, item: unknown, index: number, length: number): void {
  let r = res;
  if (isNumeric(r)) r = [r];
  if (isArrayOfNumbers(r)) {
    for (const v of r as number[]) {
      let ii = Math.floor(v);
      if (ii < 0) ii = length + ii;
      if (ii === index) results.push(item);
    }
  } else if (boolean(r)) {
    results.push(item);
  }
}

export type Pair = [StepFn, StepFn];
export type PairA = [StepFnA, StepFnA];

/** `owned`: `data` is an array made here (jsonata's append made a new one), so more items may be pushed onto it. */
interface GroupEntry { data: unknown; exprIndex: number; owned: boolean }

/**
 * jsonata's `$append(data, item)` for a group's items: a new array holding the items of both (one level of an
 * array item spread). It copies everything so far at every item; here the group's own array grows instead (the
 * same elements, without the quadratic copying).
 */
function appendData(entry: GroupEntry, b: unknown): void {
  const a = entry.data;
  if (a === undefined) {
    entry.data = b;
    return;
  }
  if (b === undefined) return;
  let target: unknown[];
  if (entry.owned) target = a as unknown[];
  else {
    target = Array.isArray(a) ? a.slice() : [a];
    entry.data = target;
    entry.owned = true;
  }
  if (Array.isArray(b)) for (let i = 0; i < b.length; i++) target.push(b[i]);
  else target.push(b);
}

/**
 * The checks jsonata makes on a grouping key (T1003 not a string, D1013 reserved, D1009 another pair's key), shared by
 * grouping on paths and on tuple streams: the key's existing entry, undefined for a new key, null when there is no key.
 */
export function groupEntry<E extends { exprIndex: number }>(groups: Record<string, E>, key: unknown, pairIndex: number, position: number): E | undefined | null {
  if (typeof key !== 'string' && key !== undefined) throw jerr('T1003', { position, value: key });
  if (key === undefined) return null;
  if (key === '_jsonata_lambda' || key === '_jsonata_function') throw jerr('D1013', { position, value: key });
  const entry = groups[key];
  if (entry !== undefined && entry.exprIndex !== pairIndex) throw jerr('D1009', { position, value: key });
  return entry;
}

function addKey(groups: Record<string, GroupEntry>, key: unknown, item: unknown, pairIndex: number, position: number): void {
  const entry = groupEntry(groups, key, pairIndex, position);
  if (entry === null) return;
  if (entry) appendData(entry, item);
  else groups[key as string] = { data: item, exprIndex: pairIndex, owned: false };
}

function groupInput(input: unknown): unknown[] {
  const list = Array.isArray(input) ? input : seq(input);
  if (list.length === 0) list.push(undefined);
  return list;
}

/** The object constructor over a sequence (or with computed keys): jsonata's grouping semantics. */
export function group(input: unknown, pairs: Pair[], position: number): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  const groups: Record<string, GroupEntry> = Object.create(null);
  for (const item of groupInput(input)) {
    for (let p = 0; p < pairs.length; p++) addKey(groups, pairs[p]![0](item), item, p, position);
  }
  const keys = Object.keys(groups);
  const last = keys.length - 1;
  for (let i = 0; i <= last; i++) {
    const key = keys[i]!;
    const entry = groups[key]!;
    let value: unknown;
    if (i < last) {
      try {
        value = pairs[entry.exprIndex]![1](entry.data);
      } catch (error) {
        throw concurrentError(error);
      }
    } else value = pairs[entry.exprIndex]![1](entry.data);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export async function groupA(input: unknown, pairs: PairA[], position: number): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = Object.create(null);
  const groups: Record<string, GroupEntry> = Object.create(null);
  for (const item of groupInput(input)) {
    for (let p = 0; p < pairs.length; p++) addKey(groups, await pairs[p]![0](item), item, p, position);
  }
  const keys = Object.keys(groups);
  for (let i = 0; i < keys.length; i++) {
    const entry = groups[keys[i]!]!;
    let value: unknown;
    try {
      value = await pairs[entry.exprIndex]![1](entry.data);
    } catch (error) {
      throw i < keys.length - 1 ? concurrentError(error) : error;
    }
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

/**
 * The items every key of an object constructor with literal, distinct keys collects over a sequence (the group
 * data `group` would build for each key: the first item itself, or a new array of all items, arrays spread one level).
 */
function literalGroupData(list: unknown[]): { data: unknown; owned: boolean } {
  let data: unknown;
  let owned = false;
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (data === undefined) {
      data = b;
      continue;
    }
    if (b === undefined) continue;
    if (!owned) {
      data = Array.isArray(data) ? data.slice() : [data];
      owned = true;
    }
    if (Array.isArray(b)) for (let j = 0; j < b.length; j++) (data as unknown[]).push(b[j]);
    else (data as unknown[]).push(b);
  }
  return { data, owned };
}

/**
 * `group` for an object constructor whose keys are literal, distinct strings (none reserved): every item lands under
 * every key, so each value is evaluated once on all the items. `keys`/`values` come in the order of the keys of
 * jsonata's groups object (integer-like keys first).
 */
export function groupLiteral(input: unknown, keys: string[], values: StepFn[]): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null);
  const { data, owned } = literalGroupData(groupInput(input));
  const last = keys.length - 1;
  for (let i = 0; i <= last; i++) {
    // each key's items are its own array in jsonata's grouping
    const context = owned && i > 0 ? (data as unknown[]).slice() : data;
    let value: unknown;
    try {
      value = values[i]!(context);
    } catch (error) {
      throw i < last ? concurrentError(error) : error;
    }
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

export async function groupLiteralA(input: unknown, keys: string[], values: StepFnA[]): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = Object.create(null);
  const { data, owned } = literalGroupData(groupInput(input));
  const last = keys.length - 1;
  for (let i = 0; i <= last; i++) {
    const context = owned && i > 0 ? (data as unknown[]).slice() : data;
    let value: unknown;
    try {
      value = await values[i]!(context);
    } catch (error) {
      throw i < last ? concurrentError(error) : error;
    }
    if (value !== undefined) result[keys[i]!] = value;
  }
  return result;
}

/**
 * A path of plain names, by jsonata's algorithm: the slow side of the in-place reads. `firstIsValue`: the path
 * starts with a step already evaluated to `first` (a variable, or a call made on a context that is not an array).
 */
export function namesPath(g: Guard, input: unknown, names: string[], firstIsValue: boolean, first: unknown): unknown {
  let inputSequence: Seq;
  let resultSequence: Seq | undefined;
  if (firstIsValue && names.length > 0 && Array.isArray(first) && !(first as Seq).cons) {
    // the first step yields an array for the one item of its sequence: the next step runs over its items (what
    // stepResult would spread them into, read in place)
    g.tick(1 + first.length);
    if (first.length === 0) return finishPath(seq(), false);
    inputSequence = first as Seq;
  } else if (firstIsValue) {
    // the first step yields `first` for the one item of its sequence
    g.tick(1);
    resultSequence = stepResult(first === undefined ? [] : [first], names.length === 0, g);
    if (resultSequence.length === 0) return finishPath(resultSequence, false);
    inputSequence = resultSequence;
  } else {
    inputSequence = startSequence(input, false);
  }
  for (let i = 0; i < names.length; i++) {
    // the step's values go straight into the next sequence (stepResult's flattening, without its list)
    const name = names[i]!;
    const out = seq();
    let found = 0;
    let only: unknown;
    g.tick(inputSequence.length);
    for (let j = 0; j < inputSequence.length; j++) {
      const res = cl(lookup(inputSequence[j], name, g));
      if (res === undefined) continue;
      if (found++ === 0) only = res;
      if (!Array.isArray(res) || (res as Seq).cons) out.push(res);
      else {
        g.tick(res.length);
        for (let k = 0; k < res.length; k++) out.push(res[k]);
      }
    }
    // a lone array at the end of the path is handed on as it is
    resultSequence = i === names.length - 1 && found === 1 && Array.isArray(only) && !isSeq(only) ? (only as Seq) : out;
    if (resultSequence.length === 0) break;
    inputSequence = resultSequence;
  }
  return finishPath(resultSequence, false);
}

export async function namesPathA(g: Guard, input: unknown, names: string[], firstIsValue: boolean, first: unknown): Promise<unknown> {
  return namesPath(g, input, names, firstIsValue, first);
}
