/**
 * Function signatures (`function($s, $n)<s-n?:s>{…}`, and the `<(oa):o>` of a transform) with jsonata's exact
 * semantics: which arguments match, the context inserted for a `-` parameter, a lone value wrapped for an `a`
 * parameter, and T0410/T0411/T0412 with jsonata's `index` and `value`.
 *
 * jsonata turns a signature into a regular expression over one letter per argument (`^([sm])([nm]?)$`) and runs it
 * with backtracking, which an expression can make exponential (`<x?x?x?…n>`, `<x+x+x+…n>`). Here the same
 * expression is matched by dynamic programming: the match backtracking would find (the first one in the order its
 * quantifiers try) is found in time polynomial in the number of arguments, so a hostile signature cannot hang an
 * evaluation.
 */
import { jerr } from './errors';
import { isFn } from './values';
import type { Guard } from './guard';

/** How many arguments one parameter takes, in the order backtracking tries them. */
type Quantifier = '' | '?' | '+' | '??' | '+?';

interface Param {
  /** The argument letters this parameter accepts (jsonata's character class, `m` being "missing"). */
  accepts: string;
  quantifier: Quantifier;
  type: string;
  subtype?: string;
  /** `-`: when no argument is left for it, the context is used (if its letter is accepted). */
  context?: { always: boolean; accepts: string };
}

export interface Signature {
  readonly definition: string;
  validate(args: ArrayLike<unknown>, context: unknown, g?: Guard): unknown[];
}

/** The reason a signature is left to jsonata (a form this validator does not reproduce exactly). */
export class UnsupportedSignature extends Error {}

const TYPE_CLASSES: Readonly<Record<string, string>> = { s: 'sm', n: 'nm', b: 'bm', l: 'lm', o: 'om', a: 'asnblfom', f: 'f', j: 'asnblom', x: 'asnblfom' };
const QUANTIFIERS = new Set<string>(['', '?', '+', '??', '+?']);

/** The position of the bracket closing the one opened at `start` (jsonata's rule: nesting counted, end of text if none). */
function closing(text: string, start: number, open: string, close: string): number {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    i++;
    if (text[i] === close && --depth === 0) break;
    if (text[i] === open) depth++;
  }
  return i;
}

/** Parse a signature as jsonata does; throws UnsupportedSignature for forms outside the documented grammar. */
export function parseSignature(definition: string): Signature {
  const params: (Param & { modifiers: string })[] = [];
  let i = 1;
  for (; i < definition.length; i++) {
    const symbol = definition[i]!;
    if (symbol === ':') break;
    const last = params[params.length - 1];
    if (symbol in TYPE_CLASSES) {
      params.push({ accepts: TYPE_CLASSES[symbol]!, quantifier: '', type: symbol, modifiers: '' });
    } else if (symbol === '(') {
      const end = closing(definition, i, '(', ')');
      const choice = definition.slice(i + 1, end);
      // inside jsonata's character class: plain letters only (a range or a negation would change its meaning)
      if (!/^[a-z]*$/.test(choice)) throw new UnsupportedSignature(`choice (${choice})`);
      params.push({ accepts: `${choice}m`, quantifier: '', type: `(${choice})`, modifiers: '' });
      i = end;
    } else if (symbol === '-' || symbol === '?' || symbol === '+') {
      if (last === undefined) throw new UnsupportedSignature(`"${symbol}" before any type`);
      if (symbol === '-') {
        // jsonata tests the context's letter against the parameter's expression so far: one that may match
        // nothing (`s?-`) accepts any context
        const always = last.modifiers.endsWith('?') && !last.modifiers.endsWith('+?');
        last.context = { always, accepts: last.accepts };
        last.modifiers += '?';
      } else {
        last.modifiers += symbol;
      }
    } else if (symbol === '<') {
      if (last === undefined || (last.type !== 'a' && last.type !== 'f') || last.modifiers !== '') throw new UnsupportedSignature('type parameter');
      const end = closing(definition, i, '<', '>');
      last.subtype = definition.slice(i + 1, end);
      i = end;
    } else if (symbol !== '>' || i !== definition.length - 1) {
      throw new UnsupportedSignature(`"${symbol}"`);
    }
  }
  for (const p of params) {
    if (!QUANTIFIERS.has(p.modifiers)) throw new UnsupportedSignature(`modifiers "${p.modifiers}"`);
    p.quantifier = p.modifiers as Quantifier;
  }
  return new ParsedSignature(definition, params);
}

/** The argument's letter, as jsonata's signature matching reads it. */
export function letterOf(value: unknown): string {
  if (isFn(value)) return 'f';
  switch (typeof value) {
    case 'string': return 's';
    case 'number': return 'n';
    case 'boolean': return 'b';
    case 'object': return value === null ? 'l' : Array.isArray(value) ? 'a' : 'o';
    default: return 'm';
  }
}

/**
 * How many letters each parameter takes in the match backtracking would find for `^p1 p2 … pk` (then `$` when
 * `anchored`), or undefined when there is none. `feasible[i][p]`: parameters i… can match from letter p.
 */
function firstMatch(params: readonly Param[], letters: string, count: number, anchored: boolean): number[] | undefined {
  const n = letters.length;
  const feasible: boolean[][] = new Array(count + 1);
  feasible[count] = Array.from({ length: n + 1 }, (_, p) => !anchored || p === n);
  const runs: number[][] = new Array(count);
  for (let k = count - 1; k >= 0; k--) {
    const { accepts, quantifier } = params[k]!;
    // run[p]: how many letters from p this parameter's class accepts in a row
    const run = new Array<number>(n + 1).fill(0);
    for (let p = n - 1; p >= 0; p--) run[p] = accepts.includes(letters[p]!) ? run[p + 1]! + 1 : 0;
    runs[k] = run;
    const next = feasible[k + 1]!;
    // nextTrue[p]: the first q >= p with next[q] (n + 1 when none)
    const nextTrue = new Array<number>(n + 2).fill(n + 1);
    for (let p = n; p >= 0; p--) nextTrue[p] = next[p] ? p : nextTrue[p + 1]!;
    const row = new Array<boolean>(n + 1);
    for (let p = 0; p <= n; p++) {
      const one = run[p]! >= 1 && next[p + 1] === true;
      if (quantifier === '') row[p] = one;
      else if (quantifier === '?' || quantifier === '??') row[p] = one || next[p]!;
      else row[p] = run[p]! >= 1 && nextTrue[p + 1]! <= p + run[p]!;
    }
    feasible[k] = row;
  }
  if (!feasible[0]![0]) return undefined;
  const taken: number[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    const next = feasible[k + 1]!;
    const run = runs[k]![p]!;
    const options: number[] = [];
    switch (params[k]!.quantifier) {
      case '': options.push(1); break;
      case '?': options.push(1, 0); break;
      case '??': options.push(0, 1); break;
      case '+': for (let len = run; len >= 1; len--) options.push(len); break;
      default: for (let len = 1; len <= run; len++) options.push(len); break;
    }
    const len = options.find((l) => l <= run && next[p + l] === true)!;
    taken.push(len);
    p += len;
  }
  return taken;
}

class ParsedSignature implements Signature {
  readonly #params: readonly Param[];
  /** The match for each argument letters seen (a lambda is called with the same kinds of arguments again and again). */
  readonly #matches = new Map<string, number[] | undefined>();

  constructor(readonly definition: string, params: readonly Param[]) {
    this.#params = params;
  }

  private get params(): readonly Param[] {
    return this.#params;
  }

  private matchOf(letters: string): number[] | undefined {
    if (this.#matches.has(letters)) return this.#matches.get(letters);
    const taken = firstMatch(this.#params, letters, this.#params.length, true);
    if (this.#matches.size >= 64) this.#matches.clear();
    this.#matches.set(letters, taken);
    return taken;
  }

  validate(args: ArrayLike<unknown>, context: unknown, g?: Guard): unknown[] {
    let letters = '';
    for (let i = 0; i < args.length; i++) letters += letterOf(args[i]);
    const taken = this.matchOf(letters);
    if (taken === undefined) this.fail(args, letters);
    const validated: unknown[] = [];
    let argIndex = 0;
    let at = 0;
    this.params.forEach((param, k) => {
      const matched = letters.slice(at, at + taken![k]!);
      at += taken![k]!;
      if (matched === '') {
        if (param.context !== undefined) {
          if (!param.context.always && !param.context.accepts.includes(letterOf(context))) throw jerr('T0411', { value: context, index: argIndex + 1 });
          validated.push(context);
        } else {
          // an optional parameter matched nothing: jsonata still takes the next argument for it
          validated.push(args[argIndex]);
          argIndex++;
        }
        return;
      }
      for (const single of matched) {
        let arg = args[argIndex];
        if (param.type === 'a') {
          if (single === 'm') arg = undefined;
          else {
            if (param.subtype !== undefined && !arrayMatches(arg, single, matched, param.subtype, g)) {
              throw jerr('T0412', { value: arg, index: argIndex + 1 });
            }
            if (single !== 'a') arg = [arg];
          }
        }
        validated.push(arg);
        argIndex++;
      }
    });
    return validated;
  }

  /** jsonata's report of a mismatch: the first argument where the parameters, one more each time, stop matching. */
  private fail(args: ArrayLike<unknown>, letters: string): never {
    let goodTo = 0;
    for (let k = 0; k < this.params.length; k++) {
      const taken = firstMatch(this.params, letters, k + 1, false);
      if (taken === undefined) break;
      goodTo = taken.reduce((a, b) => a + b, 0);
    }
    throw jerr('T0410', { value: args[goodTo], index: goodTo + 1 });
  }
}

/** `a<t>`: a non-array must have been matched as exactly the subtype; an array's items must all be of its type. */
function arrayMatches(arg: unknown, single: string, matched: string, subtype: string, g: Guard | undefined): boolean {
  if (single !== 'a') return matched === subtype;
  const list = arg as unknown[];
  if (list.length === 0) return true;
  const itemType = letterOf(list[0]);
  if (itemType !== subtype[0]) return false;
  g?.tick(list.length);
  for (const item of list) if (letterOf(item) !== itemType) return false;
  return true;
}

const cache = new Map<string, Signature>();

/** The validator of a signature the compiler accepted (parsed once per definition). */
export function signature(definition: string): Signature {
  let parsed = cache.get(definition);
  if (parsed === undefined) {
    parsed = parseSignature(definition);
    if (cache.size >= 1_000) cache.clear();
    cache.set(definition, parsed);
  }
  return parsed;
}

/**
 * The signature of a lambda in the copy jsonata makes of the left side of `??` and `?:` (through JSON): its
 * definition without a validator, so that calling the lambda fails as jsonata's `signature.validate(...)` does.
 */
export function unvalidated(definition: string): Signature {
  return {
    definition,
    validate(): unknown[] {
      throw new TypeError('signature.validate is not a function');
    },
  };
}
