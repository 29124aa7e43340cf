/**
 * A JSONata regex literal (JavaScript syntax, flags i and m, no `u`) rewritten for RE2, whose matching time is
 * linear in the input. Everything JavaScript means is kept where RE2 can say it: `.` stops at \r, \u2028 and
 * \u2029 too, `\s` is JavaScript's whitespace set, `[]` matches nothing and `[^]` anything. What RE2 cannot run
 * in linear time (backreferences, lookahead, lookbehind) is refused with the offset of the construct.
 * Known differences: with `m`, `^` and `$` see only \n as a line end; `i` folds case as Unicode does.
 */

export class RegexRefusal extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

type Range = [number, number];

const MAX_CODE_POINT = 0x10ffff;
const DIGITS: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
// JavaScript's WhiteSpace and LineTerminator code points (what `\s` matches)
const SPACE: Range[] = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const NOT_LINE_END: Range[] = complement([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);

function normalize(ranges: Range[]): Range[] {
  const sorted = ranges.map((r) => [r[0], r[1]] as Range).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

function complement(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const hex = (code: number): string => `\\x{${code.toString(16)}}`;

/** A set of code points as an RE2 class (every member escaped, so no character is read as syntax). */
function classOf(ranges: Range[]): string {
  const set = normalize(ranges);
  if (set.length === 0) return `[^\\x{0}-\\x{10ffff}]`;
  return `[${set.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
}

function literal(code: number): string {
  const c = String.fromCharCode(code);
  return /[A-Za-z0-9_ ]/.test(c) ? c : hex(code);
}

const isHigh = (code: number | undefined): boolean => code !== undefined && code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number | undefined): boolean => code !== undefined && code >= 0xdc00 && code <= 0xdfff;
const combine = (high: number, low: number): number => (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;

/** A translation in progress over one pattern. */
class Translator {
  private i = 0;
  private out = '';
  private readonly namedGroups: boolean;

  constructor(private readonly src: string) {
    this.namedGroups = /\(\?<[^=!]/.test(src);
  }

  run(): string {
    while (this.i < this.src.length) this.atom();
    return this.out;
  }

  private code(at = this.i): number | undefined {
    return at < this.src.length ? this.src.charCodeAt(at) : undefined;
  }

  private atom(): void {
    const start = this.i;
    const c = this.src[this.i]!;
    switch (c) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.out += classOf(this.charClass());
        return;
      case '.':
        this.i++;
        this.out += classOf(NOT_LINE_END);
        return;
      case '(':
        this.group(start);
        return;
      case '{':
        if (this.quantifierAt(this.i)) {
          this.out += this.copyQuantifier();
        } else {
          this.i++;
          this.out += '\\{';
        }
        return;
      case '}':
      case ']':
        this.i++;
        this.out += `\\${c}`;
        return;
      case '^': case '$': case '|': case ')': case '*': case '+': case '?':
        this.i++;
        this.out += c;
        if ((c === '*' || c === '+' || c === '?') && this.src[this.i] === '?') this.out += this.src[this.i++]!;
        return;
      default:
        this.out += this.literalHere();
    }
  }

  /** A literal character; a surrogate pair written in the pattern is one code point, as RE2 reads the input. */
  private literalHere(): string {
    const code = this.code()!;
    this.i++;
    if (isHigh(code) && isLow(this.code())) return literal(combine(code, this.code(this.i++)!));
    return literal(code);
  }

  private group(start: number): void {
    const rest = this.src.slice(this.i, this.i + 4);
    if (rest.startsWith('(?=') || rest.startsWith('(?!') || rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      throw new RegexRefusal('lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported in mapping regular expressions', start);
    }
    if (rest.startsWith('(?:')) {
      this.i += 3;
      this.out += '(?:';
      return;
    }
    if (rest.startsWith('(?<')) {
      // a named group: JSONata reports groups by position only, so the name is dropped
      const close = this.src.indexOf('>', this.i);
      this.i = close + 1;
      this.out += '(';
      return;
    }
    this.i++;
    this.out += '(';
  }

  /** `{n}`, `{n,}` or `{n,m}` at `at` (otherwise `{` is a literal, as JavaScript reads it). */
  private quantifierAt(at: number): boolean {
    return /^\{\d+(,\d*)?\}/.test(this.src.slice(at, at + 24));
  }

  private copyQuantifier(): string {
    const m = /^\{\d+(,\d*)?\}\??/.exec(this.src.slice(this.i))!;
    this.i += m[0].length;
    return m[0];
  }

  private escape(): void {
    const start = this.i;
    const next = this.src[this.i + 1];
    if (next === undefined) throw new RegexRefusal('a regular expression cannot end with \\', start);
    const shorthand = this.shorthand(next);
    if (shorthand !== undefined) {
      this.i += 2;
      this.out += classOf(shorthand);
      return;
    }
    if (next === 'b' || next === 'B') {
      this.i += 2;
      this.out += `\\${next}`;
      return;
    }
    if (next >= '1' && next <= '9') {
      throw new RegexRefusal(`backreferences (\\${next}) and octal escapes are not supported in mapping regular expressions`, start);
    }
    if (next === '0' && /[0-9]/.test(this.src[this.i + 2] ?? '')) {
      throw new RegexRefusal('octal escapes (\\0…) are not supported in mapping regular expressions', start);
    }
    if (next === 'k' && this.namedGroups) {
      throw new RegexRefusal('named backreferences (\\k<name>) are not supported in mapping regular expressions', start);
    }
    const code = this.characterEscape(false);
    if (isHigh(code) && this.src[this.i] === '\\' && this.src[this.i + 1] === 'u') {
      const save = this.i;
      const low = this.characterEscape(false);
      if (isLow(low)) {
        this.out += literal(combine(code, low));
        return;
      }
      this.i = save;
    }
    this.out += literal(code);
  }

  private shorthand(letter: string): Range[] | undefined {
    switch (letter) {
      case 'd': return DIGITS;
      case 'D': return complement(DIGITS);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      default: return undefined;
    }
  }

  /** The code unit of a character escape at `\`; advances past it. `inClass`: `\b` is backspace, digits are octal. */
  private characterEscape(inClass: boolean): number {
    const next = this.src[this.i + 1]!;
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (simple[next] !== undefined) {
      this.i += 2;
      return simple[next]!;
    }
    if (inClass && next === 'b') {
      this.i += 2;
      return 8;
    }
    if (next === 'c') {
      const letter = this.src[this.i + 2] ?? '';
      if (/[A-Za-z]/.test(letter) || (inClass && /[0-9_]/.test(letter))) {
        this.i += 3;
        return letter.charCodeAt(0) % 32;
      }
      // `\c` without a control letter is a backslash followed by `c`
      this.i += 1;
      return 0x5c;
    }
    if (next === 'x' && /^[0-9A-Fa-f]{2}/.test(this.src.slice(this.i + 2, this.i + 4))) {
      this.i += 4;
      return parseInt(this.src.slice(this.i - 2, this.i), 16);
    }
    if (next === 'u' && /^[0-9A-Fa-f]{4}/.test(this.src.slice(this.i + 2, this.i + 6))) {
      this.i += 6;
      return parseInt(this.src.slice(this.i - 4, this.i), 16);
    }
    if (/[0-7]/.test(next) && (inClass || next === '0')) {
      const digits = /^[0-7]{1,3}/.exec(this.src.slice(this.i + 1))![0];
      const value = parseInt(digits, 8) <= 0o377 ? digits : digits.slice(0, 2);
      this.i += 1 + value.length;
      return parseInt(value, 8);
    }
    // an identity escape: the character itself
    this.i += 2;
    if (isHigh(next.charCodeAt(0)) && isLow(this.code())) return combine(next.charCodeAt(0), this.code(this.i++)!);
    return next.charCodeAt(0);
  }

  /** `[…]` as a set of code points (negation applied). */
  private charClass(): Range[] {
    this.i++;
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const members: Range[] = [];
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      const from = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        const save = this.i;
        this.i++;
        const to = this.classAtom();
        if (typeof from === 'number' && typeof to === 'number') {
          members.push([from, to]);
          continue;
        }
        // a class escape at either end makes `-` a literal (as JavaScript reads it)
        this.i = save + 1;
        pushAtom(members, from);
        members.push([0x2d, 0x2d]);
        continue;
      }
      pushAtom(members, from);
    }
    this.i++; // the closing ]
    return negated ? complement(members) : members;
  }

  private classAtom(): number | Range[] {
    const c = this.src[this.i]!;
    if (c !== '\\') {
      const code = this.code()!;
      this.i++;
      if (isHigh(code) && isLow(this.code())) return combine(code, this.code(this.i++)!);
      return code;
    }
    const next = this.src[this.i + 1] ?? '';
    const shorthand = this.shorthand(next);
    if (shorthand !== undefined) {
      this.i += 2;
      return shorthand;
    }
    if (next === 'B') {
      this.i += 2;
      return 0x42;
    }
    return this.characterEscape(true);
  }
}

function pushAtom(members: Range[], atom: number | Range[]): void {
  if (typeof atom === 'number') members.push([atom, atom]);
  else members.push(...atom);
}

/** The RE2 form of a JSONata regex literal's source and flags; throws RegexRefusal for what RE2 cannot run. */
export function toRe2Syntax(source: string, flags: string): string {
  const body = new Translator(source).run();
  const prefix = (flags.includes('i') ? 'i' : '') + (flags.includes('m') ? 'm' : '');
  return prefix === '' ? body : `(?${prefix})${body}`;
}
