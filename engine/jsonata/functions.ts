/**
 * Functions the engine registers for mapping authors, beside JSONata's own. They exist because real
 * provider data is messy: numeric ids, null names, "2026-07-14 00:25:28" dates, "true" strings.
 * Every function returns undefined (so JSONata drops the key) rather than null or "null" for missing input.
 */
import { UnimapError } from '../errors';
import { hasLoneSurrogate } from '../well-formed-text';
import { canonicalIso, formatIso, isoFromText } from './iso-date';

type Fn = (...args: unknown[]) => unknown;

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** A provider date/time → ISO 8601 with a zone; naive date-times are taken as UTC. */
export function toIso(value: unknown): string | undefined {
  if (typeof value === 'number') {
    // Epoch seconds vs milliseconds: 1e11 seconds is year 5138, so larger values are milliseconds.
    return formatIso(Math.abs(value) < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  // most providers send ISO 8601 already: reading it by hand is far cheaper than Date's parsing and formatting
  const iso = canonicalIso(text) ?? isoFromText(text);
  if (iso !== undefined || text === '') return iso;
  if (/^\d+$/.test(text)) return toIso(Number(text));
  // other shapes (RFC 2822, roll-over dates such as 02-30): Date's own reading, after normalising the separators
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00Z';
  text = text
    .replace(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)/, '$1T$2')
    .replace(/\s*([+-]\d{2}):?(\d{2})$/, '$1:$2')
    .replace(/\s*(UTC|GMT)$/i, 'Z');
  if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text += 'Z';
  return formatIso(new Date(text).getTime());
}

/** "true"/"false"/"1"/"0"/"yes"/"no"/1/0 → boolean; anything else → undefined. */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'n', 'off'].includes(text)) return false;
  return undefined;
}

/** An id or any scalar as a string; null/undefined/'' stay undefined (never the text "null"). */
export function str(value: unknown): string | undefined {
  if (isEmpty(value) || typeof value === 'object') return undefined;
  return String(value);
}

export function firstNonEmpty(...values: unknown[]): unknown {
  for (const value of values) {
    if (!Array.isArray(value)) {
      if (!isEmpty(value)) return value;
    } else {
      for (const item of value) if (!isEmpty(item)) return item;
    }
  }
  return undefined;
}

/**
 * Drop keys whose value is null, undefined, '' or an empty array (one level). An object with nothing to drop is
 * returned as it is (JSONata hands values on by reference, as a path does); one with no key left is undefined.
 */
export function removeEmpty(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  // Object.keys, not for-in: objects built by JSONata have a prototype-less chain that for-in walks slowly
  const keys = Object.keys(record);
  let kept = 0;
  for (const key of keys) if (!isEmpty(record[key])) kept++;
  if (kept === keys.length) return kept === 0 ? undefined : record;
  if (kept === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) if (!isEmpty(record[key])) out[key] = record[key];
  return out;
}

/**
 * Table lookup, exact key first, then case-insensitive; values not in the table pass through unchanged (the seed's
 * "raw value is returned").
 */
export function mapValues(value: unknown, table: unknown, fallback?: unknown): unknown {
  if (isEmpty(value)) return undefined;
  if (typeof table === 'object' && table !== null) {
    const key = String(value);
    if (Object.prototype.hasOwnProperty.call(table, key)) return (table as Record<string, unknown>)[key];
    const wanted = key.toLowerCase();
    for (const candidate of Object.keys(table)) {
      if (Object.prototype.hasOwnProperty.call(table, candidate) && candidate.toLowerCase() === wanted) return (table as Record<string, unknown>)[candidate];
    }
  }
  return fallback === undefined ? value : fallback;
}

/** Join the non-empty strings of an array: never "Ada null". */
export function joinNonEmpty(values: unknown, separator: unknown = ' '): string | undefined {
  const glue = typeof separator === 'string' ? separator : ' ';
  let joined: string | undefined;
  for (const value of Array.isArray(values) ? values : [values]) {
    if (isEmpty(value)) continue;
    joined = joined === undefined ? String(value) : joined + glue + String(value);
  }
  return joined;
}

/** "Ada Lovelace King" → { first_name: "Ada", last_name: "Lovelace King" }. */
export function splitName(value: unknown): { first_name?: string; last_name?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // words split by single spaces (the usual name) need no regular expression
  if (!IRREGULAR_SPACE.test(text)) {
    const gap = text.indexOf(' ');
    return gap === -1 ? { first_name: text } : { first_name: text.slice(0, gap), last_name: text.slice(gap + 1) };
  }
  const gap = /\s+/.exec(text)!;
  return { first_name: text.slice(0, gap.index), last_name: text.slice(gap.index + gap[0].length).replace(/\s+/g, ' ') };
}

/** Whitespace other than one space between words. */
const IRREGULAR_SPACE = /[^\S ]| {2}/;

/** The primary email of a unified emails array (is_primary, or type "primary" as ticketing models say), else the first. */
export function primaryEmail(emails: unknown): string | undefined {
  const list = (Array.isArray(emails) ? emails : emails ? [emails] : []) as { email?: unknown; is_primary?: unknown; type?: unknown }[];
  const primary = list.find((e) => e && (e.is_primary === true || e.type === 'primary')) ?? list[0];
  return str(primary?.email);
}

/** Marks a value built by $segments: path segments that may hold "/" between them. */
export const PATH_SEGMENTS = Symbol.for('unimap.pathSegments');
export type PathSegments = { [PATH_SEGMENTS]: string[] };

/**
 * `$segments("users", "email", $query.email)`: several path segments from one {{ }} hole (a template hole is otherwise
 * URL-encoded whole, slashes included). Each segment is still encoded on its own, so no value can add "../" or a host.
 */
export function segments(...parts: unknown[]): PathSegments | undefined {
  const list = parts.flat().filter((p) => !isEmpty(p) && typeof p !== 'object').map(String);
  return list.length === 0 ? undefined : { [PATH_SEGMENTS]: list };
}

export function isPathSegments(value: unknown): value is PathSegments {
  return typeof value === 'object' && value !== null && PATH_SEGMENTS in value;
}

/** Thrown by $reject; the engine turns it into UNIMAP_E_REQ_REJECTED (400) naming the integration's reason. */
export class MappingRejection extends Error {
  override readonly name = 'MappingRejection';
}

/** `$reject("reason")`: refuse the caller's input from inside a mapping, as a 400 rather than a mapping failure. */
export function reject(message: unknown): never {
  throw new MappingRejection(typeof message === 'string' ? message : 'the integration cannot take this value');
}

/**
 * The caller's value as text for a provider's filter syntax. Missing stays undefined (the clause is left out, as
 * everywhere); a list, an object or broken text (a lone surrogate) is refused rather than stringified, since no
 * such value is a filter the caller meant.
 */
function filterText(value: unknown, fn: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' || typeof value === 'function') throw new MappingRejection(`${fn} takes a single text value, not a list or an object`);
  const text = String(value);
  if (hasLoneSurrogate(text)) throw new MappingRejection(`${fn}: the value is not valid text`);
  return text;
}

/**
 * `$scimString(email)` → `"a\"b@x"`: a SCIM filter string literal (RFC 7644 §3.4.2.2 takes JSON's string rules:
 * quotes, backslashes and control characters escaped). Okta's filter and search expressions use the same literals.
 */
export function scimString(value: unknown): string | undefined {
  const text = filterText(value, '$scimString');
  return text === undefined ? undefined : JSON.stringify(text);
}

/** `$odataString(email)` → `'o''brien@x'`: an OData string literal, a quote doubled (Microsoft Graph's $filter). */
export function odataString(value: unknown): string | undefined {
  const text = filterText(value, '$odataString');
  return text === undefined ? undefined : `'${text.replace(/'/g, "''")}'`;
}

const SOQL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** `$soqlString(email)` → `'o\'brien@x'`: a Salesforce SOQL string literal with SOQL's escape sequences (for =, not LIKE). */
export function soqlString(value: unknown): string | undefined {
  const text = filterText(value, '$soqlString');
  return text === undefined ? undefined : `'${text.replace(/[\\'"\n\r\t\b\f]/g, (c) => SOQL_ESCAPES[c]!)}'`;
}

/**
 * `$backslashQuoted(email, "'")` → `'o\'brien@x'`: the value in the given quote character (`'` by default, or `"`),
 * with that quote and backslashes escaped by a backslash, for syntaxes such as Google's user search.
 */
export function backslashQuoted(value: unknown, quote: unknown = "'"): string | undefined {
  // a mapping author's mistake, not the caller's: a mapping failure rather than a 400
  if (quote !== "'" && quote !== '"') throw new UnimapError('UNIMAP_E_MAP_EVALUATION', '$backslashQuoted quotes with \' or " only');
  const text = filterText(value, '$backslashQuoted');
  return text === undefined ? undefined : `${quote}${text.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`)}${quote}`;
}

/** Name → implementation, as registered on every compiled expression. */
export const MAPPING_FUNCTIONS: Readonly<Record<string, Fn>> = {
  toIso,
  toBool,
  str,
  firstNonEmpty,
  removeEmpty,
  mapValues,
  joinNonEmpty,
  splitName,
  primaryEmail,
  reject,
  segments,
  scimString,
  odataString,
  soqlString,
  backslashQuoted,
};
