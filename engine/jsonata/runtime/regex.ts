/**
 * Regular expressions of mappings run on RE2 (the `re2js` port): matching time is linear in the input, so a
 * pattern such as /^(a|a)+$/ cannot hang an evaluation. The same engine serves the compiled code (`regex`, the
 * matcher closure jsonata hands to $match, $contains, $replace and $split) and the jsonata interpreter (as its
 * `RegexEngine` option: a class with jsonata's use of RegExp, `lastIndex` and `exec`).
 */
import type { RE2JS, Matcher } from 're2js';
import { jerr } from './errors';
import { RegexRefusal, toRe2Syntax } from './regex-syntax';

/** RegExp as loaded (the global is the linear engine while $toMillis parses a picture). */
const NativeRegExp = RegExp;

const cache = new Map<string, RE2JS | RegexRefusal>();

let re2: typeof RE2JS | undefined;
/** re2js is loaded with the first regular expression: most mappings have none. */
function re2js(): typeof RE2JS {
  return (re2 ??= (require('re2js') as { RE2JS: typeof RE2JS }).RE2JS);
}
const CACHE_SIZE = 1_000;

/** The RE2 program for a regex literal (cached); throws RegexRefusal when it cannot run in linear time. */
function compileLinear(source: string, flags: string): RE2JS {
  const key = `${flags}/${source}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    try {
      entry = re2js().compile(toRe2Syntax(source, flags));
    } catch (error) {
      entry = error instanceof RegexRefusal ? error : new RegexRefusal(`RE2 cannot run this regular expression: ${error instanceof Error ? error.message : String(error)}`, 0);
    }
    // patterns come from expressions and from $eval'd text: keep the cache bounded
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(key, entry);
  }
  if (entry instanceof RegexRefusal) throw entry;
  return entry;
}

/** A regex literal's failure as JSONata reports a bad literal: code S0303, the literal's position and text. */
function refusalError(refusal: RegexRefusal, re: RegExp, position: number | undefined): object {
  const literal = `/${re.source}/${re.flags.replace('g', '')}`;
  // jsonata positions a regex literal after its last character; the error points at its first
  return jerr('S0303', {
    ...(position === undefined ? {} : { position: Math.max(1, position - literal.length + 1) }),
    token: literal,
    value: literal,
    message: `The regular expression ${literal} cannot be used: ${refusal.message} (mapping regular expressions run in linear time)`,
  });
}

/**
 * jsonata's view of a global RegExp: `lastIndex` is where `exec` starts searching, and becomes the end of the
 * match (or 0 when nothing matched). Matches are reported in UTF-16 offsets, like RegExp's.
 */
export class LinearRegExp {
  lastIndex = 0;
  private readonly program: RE2JS;
  private input: string | undefined;
  private matcher: Matcher | undefined;

  constructor(literal: RegExp, position?: number) {
    // jsonata copies some trees through JSON (`??`), leaving `{}` where a RegExp was: RegExp reads that as text
    const re = literal instanceof NativeRegExp ? literal : new NativeRegExp(String(literal));
    try {
      this.program = compileLinear(re.source, re.flags);
    } catch (error) {
      if (error instanceof RegexRefusal) throw refusalError(error, re, position);
      throw error;
    }
  }

  exec(str: string): (string | undefined)[] & { index: number; input: string } | null {
    const from = this.lastIndex;
    if (from > str.length) {
      this.lastIndex = 0;
      return null;
    }
    // one matcher per input string: successive searches (next()) must not re-read the string
    if (this.input !== str || this.matcher === undefined) {
      this.input = str;
      this.matcher = this.program.matcher(str);
    }
    const m = this.matcher;
    if (!m.find(from)) {
      this.lastIndex = 0;
      return null;
    }
    const result = [m.group(0) ?? ''] as (string | undefined)[] & { index: number; input: string };
    for (let g = 1, n = m.groupCount(); g <= n; g++) result.push(m.group(g) ?? undefined);
    result.index = m.start();
    result.input = str;
    this.lastIndex = m.end();
    return result;
  }
}

/** Fail at compile time (S0303, with position) for a regex literal RE2 cannot run, anywhere in a jsonata AST. */
export function checkRegexLiterals(ast: unknown): void {
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (node instanceof NativeRegExp) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const n = node as { type?: unknown; value?: unknown; position?: number };
    if (n.type === 'regex' && n.value instanceof NativeRegExp) new LinearRegExp(n.value, n.position);
    for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key]);
  };
  visit(ast);
}

export interface Match { match: string; start: number; end: number; groups: string[]; next: () => Match | undefined }

/** A regex literal as jsonata hands it to functions: a matcher closure with next(). */
export function regex(literal: RegExp, position: number): (str: string, fromIndex?: number) => Match | undefined {
  const source = literal instanceof NativeRegExp ? literal : new NativeRegExp(String(literal));
  const re = new LinearRegExp(source, position);
  const closure = (str: string, fromIndex?: number): Match | undefined => {
    re.lastIndex = fromIndex || 0;
    const match = re.exec(str);
    if (match === null) return undefined;
    const result: Match = { match: match[0]!, start: match.index, end: match.index + match[0]!.length, groups: [], next: () => undefined };
    for (let i = 1; i < match.length; i++) result.groups.push(match[i] as string);
    result.next = () => {
      if (re.lastIndex >= str.length) return undefined;
      const next = closure(str, re.lastIndex);
      if (next && next.match === '') throw jerr('D1004', { position, value: source.source });
      return next;
    };
    return result;
  };
  return closure;
}
