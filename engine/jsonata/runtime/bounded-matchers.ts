/**
 * $contains, $match, $replace and $split with jsonata's semantics, each in a synchronous form (the compiled code's
 * hot path: a regex literal's matcher never needs a Promise) and an asynchronous one (a JSONata lambda as matcher
 * or replacer). Each loop over matches counts against the guard, and $replace builds nothing longer than the
 * string limit.
 */
import { jerr, NeedsAsync } from './errors';
import { isFn } from './values';
import { isPromise } from './promises';
import { guardOf, type Guard } from './guard';
import type { Match } from './regex';

type Matcher = (str?: string) => unknown;

/** A matcher's answer, checked as jsonata checks it (T1010). */
function checked(result: unknown): Match | undefined {
  const r = result as Partial<Match> | undefined;
  if (r && !(typeof r.start === 'number' || (r as { end?: unknown }).end === 'number' || Array.isArray(r.groups) || isFn(r.next))) throw jerr('T1010');
  return r as Match | undefined;
}

function settle(result: unknown): unknown {
  if (isPromise(result)) {
    result.catch(() => undefined);
    throw new NeedsAsync();
  }
  return result;
}

function runSync(matcher: unknown, str?: string): Match | undefined {
  return checked(settle((matcher as Matcher).apply(undefined, [str])));
}

async function runAsync(matcher: unknown, str?: string): Promise<Match | undefined> {
  return checked(await (matcher as Matcher).apply(undefined, [str]));
}

export function containsSync(str: unknown, token: unknown): unknown {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return (str as string).indexOf(token) !== -1;
  return runSync(token, str as string) !== undefined;
}

export async function containsAsync(str: unknown, token: unknown): Promise<unknown> {
  if (str === undefined || token === undefined) return undefined;
  if (typeof token === 'string') return (str as string).indexOf(token) !== -1;
  return (await runAsync(token, str as string)) !== undefined;
}

export async function matchAsync(this: { createSequence(): unknown[] }, str: unknown, regex: unknown, limit: unknown): Promise<unknown> {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw jerr('D3040', { value: limit, index: 3 });
  const g = guardOf(this);
  const result = this.createSequence();
  const max = limit as number | undefined;
  if (max === undefined || max > 0) {
    let count = 0;
    let m = await runAsync(regex, str as string);
    while (m !== undefined && (max === undefined || count < max)) {
      result.push({ match: m.match, index: m.start, groups: m.groups });
      m = await runAsync(m.next);
      count++;
      g.tick(1);
      if (g.due) await g.pause();
    }
  }
  return result;
}

/** jsonata's `$n` substitution in a replacement string. */
function substitute(replacement: string, m: Match): string {
  let out = '';
  let position = 0;
  let index = replacement.indexOf('$', position);
  while (index !== -1 && position < replacement.length) {
    out += replacement.substring(position, index);
    position = index + 1;
    const dollar = replacement.charAt(position);
    if (dollar === '$') {
      out += '$';
      position++;
    } else if (dollar === '0') {
      out += m.match;
      position++;
    } else {
      const maxDigits = m.groups.length === 0 ? 1 : Math.floor(Math.log(m.groups.length) * Math.LOG10E) + 1;
      let group = parseInt(replacement.substring(position, position + maxDigits), 10);
      if (maxDigits > 1 && group > m.groups.length) group = parseInt(replacement.substring(position, position + maxDigits - 1), 10);
      if (!Number.isNaN(group)) {
        if (m.groups.length > 0) {
          const sub = m.groups[group - 1];
          if (sub !== undefined) out += sub;
        }
        position += group.toString().length;
      } else {
        out += '$';
      }
    }
    index = replacement.indexOf('$', position);
  }
  return out + replacement.substring(position);
}

/** Appends to the result under the string limit (D1014 before the longer string exists). */
class Builder {
  text = '';
  constructor(private readonly g: Guard) {}
  add(piece: string): void {
    this.g.checkString(this.text.length + piece.length);
    this.text += piece;
    this.g.tick(1);
  }
}

function checkReplaceArgs(pattern: unknown, limit: unknown): void {
  if (pattern === '') throw jerr('D3010', { value: pattern, index: 2 });
  if ((limit as number) < 0) throw jerr('D3011', { value: limit, index: 4 });
}

function replaceString(s: string, pattern: string, replacement: string, max: number | undefined, out: Builder): string {
  let position = 0;
  let count = 0;
  let index = s.indexOf(pattern, position);
  while (index !== -1 && (max === undefined || count < max)) {
    out.add(s.substring(position, index));
    out.add(replacement);
    position = index + pattern.length;
    count++;
    index = s.indexOf(pattern, position);
  }
  out.add(s.substring(position));
  return out.text;
}

export function replaceSync(this: unknown, str: unknown, pattern: unknown, replacement: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  checkReplaceArgs(pattern, limit);
  const s = str as string;
  const max = limit as number | undefined;
  if (!(max === undefined || max > 0)) return s;
  const out = new Builder(guardOf(this));
  if (typeof pattern === 'string') return replaceString(s, pattern, replacement as string, max, out);
  let m = runSync(pattern, s);
  if (m === undefined) return s;
  let position = 0;
  let count = 0;
  while (m !== undefined && (max === undefined || count < max)) {
    out.add(s.substring(position, m.start));
    const replaced = typeof replacement === 'string' ? substitute(replacement, m) : settle((replacement as (m: Match) => unknown).apply(this, [m]));
    if (typeof replaced !== 'string') throw jerr('D3012', { value: replaced });
    out.add(replaced);
    position = m.start + m.match.length;
    count++;
    m = runSync(m.next);
  }
  out.add(s.substring(position));
  return out.text;
}

export async function replaceAsync(this: unknown, str: unknown, pattern: unknown, replacement: unknown, limit: unknown): Promise<unknown> {
  if (str === undefined) return undefined;
  checkReplaceArgs(pattern, limit);
  const s = str as string;
  const max = limit as number | undefined;
  if (!(max === undefined || max > 0)) return s;
  const g = guardOf(this);
  const out = new Builder(g);
  if (typeof pattern === 'string') return replaceString(s, pattern, replacement as string, max, out);
  let m = await runAsync(pattern, s);
  if (m === undefined) return s;
  let position = 0;
  let count = 0;
  while (m !== undefined && (max === undefined || count < max)) {
    out.add(s.substring(position, m.start));
    const replaced = typeof replacement === 'string' ? substitute(replacement, m) : await (replacement as (m: Match) => unknown).apply(this, [m]);
    if (typeof replaced !== 'string') throw jerr('D3012', { value: replaced });
    out.add(replaced);
    position = m.start + m.match.length;
    count++;
    m = await runAsync(m.next);
    if (g.due) await g.pause();
  }
  out.add(s.substring(position));
  return out.text;
}

export function splitSync(this: unknown, str: unknown, separator: unknown, limit: unknown): unknown {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw jerr('D3020', { value: limit, index: 3 });
  const g = guardOf(this);
  const s = str as string;
  const max = limit as number | undefined;
  let result: string[] = [];
  if (max === undefined || max > 0) {
    if (typeof separator === 'string') {
      result = s.split(separator, max);
      g.tick(result.length);
    } else {
      let count = 0;
      let m = runSync(separator, s);
      if (m !== undefined) {
        let start = 0;
        while (m !== undefined && (max === undefined || count < max)) {
          result.push(s.substring(start, m.start));
          start = m.end;
          m = runSync(m.next);
          count++;
          g.tick(1);
        }
        if (max === undefined || count < max) result.push(s.substring(start));
      } else {
        result.push(s);
      }
    }
  }
  return result;
}

export async function splitAsync(this: unknown, str: unknown, separator: unknown, limit: unknown): Promise<unknown> {
  if (str === undefined) return undefined;
  if ((limit as number) < 0) throw jerr('D3020', { value: limit, index: 3 });
  const g = guardOf(this);
  const s = str as string;
  const max = limit as number | undefined;
  let result: string[] = [];
  if (max === undefined || max > 0) {
    if (typeof separator === 'string') {
      result = s.split(separator, max);
      g.tick(result.length);
    } else {
      let count = 0;
      let m = await runAsync(separator, s);
      if (m !== undefined) {
        let start = 0;
        while (m !== undefined && (max === undefined || count < max)) {
          result.push(s.substring(start, m.start));
          start = m.end;
          m = await runAsync(m.next);
          count++;
          g.tick(1);
          if (g.due) await g.pause();
        }
        if (max === undefined || count < max) result.push(s.substring(start));
      } else {
        result.push(s);
      }
    }
  }
  return result;
}
