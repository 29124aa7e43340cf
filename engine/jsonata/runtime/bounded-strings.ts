/**
 * String built-ins with jsonata's semantics that never build a string past the evaluation's limit (D1014, checked
 * before the string exists where its length is known in advance) and never turn a long string into an array of
 * characters just to count them.
 */
import { guardOf } from './guard';
import { boundedString, codePointLength, codePointSlice } from './text';

type Focus = unknown;

export function string(this: Focus, arg: unknown, prettify?: unknown): string | undefined {
  return boundedString(arg, Boolean(prettify), guardOf(this));
}

export function length(str: unknown): number | undefined {
  return str === undefined ? undefined : codePointLength(str as string);
}

export function substring(str: unknown, start: unknown, size: unknown): string | undefined {
  if (str === undefined) return undefined;
  const s = str as string;
  let from = start as number;
  const total = codePointLength(s);
  if (total + from < 0) from = 0;
  if (size !== undefined) {
    const n = size as number;
    if (n <= 0) return '';
    const end = from >= 0 ? from + n : total + from + n;
    return codePointSlice(s, from, end);
  }
  return codePointSlice(s, from);
}

export function pad(this: Focus, str: unknown, width: unknown, char: unknown): string | undefined {
  if (str === undefined) return undefined;
  const s = str as string;
  const fill = char === undefined || (char as string).length === 0 ? ' ' : (char as string);
  const w = Math.trunc(width as number);
  const padLength = Math.abs(w) - codePointLength(s);
  if (!(padLength > 0)) return s;
  // the padding is padLength characters: refuse before building it
  const g = guardOf(this);
  g.checkString(s.length + padLength);
  const unit = codePointLength(fill);
  const padding = codePointSlice(fill.repeat(Math.ceil(padLength / unit)), 0, padLength);
  g.checkString(s.length + padding.length);
  return w > 0 ? s + padding : padding + s;
}

export function join(this: Focus, strs: unknown, separator: unknown): string | undefined {
  if (strs === undefined) return undefined;
  const list = strs as string[];
  const sep = separator === undefined ? '' : (separator as string);
  const g = guardOf(this);
  let total = list.length > 0 ? sep.length * (list.length - 1) : 0;
  for (const item of list) total += (item as string).length;
  g.tick(list.length);
  g.checkString(total);
  return list.join(sep);
}

/**
 * The width modifiers of a date/time picture (`[Y,100000]`) add up to a lower bound of the output length;
 * jsonata pads to them, so a picture can ask for any length.
 */
export function pictureWidths(picture: string): number {
  let total = 0;
  let inMarker = false;
  let afterComma = false;
  for (let i = 0; i < picture.length; i++) {
    const c = picture[i]!;
    if (!inMarker) {
      if (c === '[' && picture[i + 1] === '[') i++;
      else if (c === '[') inMarker = true;
      continue;
    }
    if (c === ']') {
      inMarker = false;
      afterComma = false;
    } else if (c === ',') {
      afterComma = true;
    } else if (afterComma && c >= '0' && c <= '9') {
      let j = i;
      while (j < picture.length && picture[j]! >= '0' && picture[j]! <= '9') j++;
      total += Number(picture.slice(i, j));
      i = j - 1;
    }
  }
  return total;
}
