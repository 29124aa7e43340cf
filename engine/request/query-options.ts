import { UnimapError } from '../errors';
import { findUnsafeKey, isUnsafeKey } from '../own-keys';

export const RESPONSE_FORMATS = ['unified', 'raw', 'normalized', 'stream'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** The caller's query, split into the seed's truto_* options, pass-through remote_query and unified filters. */
export interface QueryOptions {
  format: ResponseFormat;
  ignoreRemoteData: boolean;
  /** truto_strict_fields: refuse body fields the integration cannot write instead of dropping them with a warning. */
  strictFields: boolean | undefined;
  excludeFields: string[];
  remoteQuery: Record<string, unknown>;
  limit: number | undefined;
  nextCursor: string | undefined;
  /** Everything else: unified filters and integration-specific query params, bound as $query. */
  unified: Record<string, unknown>;
}

const RESERVED = new Set(['integrated_account_id', 'truto_response_format', 'truto_ignore_remote_data', 'truto_exclude_fields', 'truto_strict_fields', 'remote_query', 'limit', 'next_cursor']);

/** Accepts values as `qs` parses them from a URL ("true", "a,b", arrays, objects) or as typed values from code. */
export function parseQueryOptions(query: Record<string, unknown> = {}): QueryOptions {
  const unsafe = findUnsafeKey(query, '');
  if (unsafe !== undefined) throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `query key "${unsafe}" is not allowed: __proto__, constructor and prototype are never read`, { details: { field: unsafe } });
  const format = query['truto_response_format'] ?? 'unified';
  if (typeof format !== 'string' || !(RESPONSE_FORMATS as readonly string[]).includes(format)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `truto_response_format must be one of ${RESPONSE_FORMATS.join(', ')}; got ${JSON.stringify(format)}`);
  }
  const remoteQuery = query['remote_query'] ?? {};
  if (typeof remoteQuery !== 'object' || remoteQuery === null || Array.isArray(remoteQuery)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', 'remote_query must be an object, e.g. remote_query[foo]=bar');
  }
  const unified: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) if (!RESERVED.has(key)) unified[key] = value;
  return {
    format: format as ResponseFormat,
    ignoreRemoteData: parseBoolean(query['truto_ignore_remote_data'], 'truto_ignore_remote_data'),
    strictFields: query['truto_strict_fields'] === undefined ? undefined : parseBoolean(query['truto_strict_fields'], 'truto_strict_fields'),
    excludeFields: parseExcludeFields(query['truto_exclude_fields']),
    remoteQuery: remoteQuery as Record<string, unknown>,
    limit: parseLimit(query['limit']),
    nextCursor: parseNextCursor(query['next_cursor']),
    unified,
  };
}

function parseBoolean(value: unknown, name: string): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true' || value === '') return true;
  throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `${name} must be true or false; got ${JSON.stringify(value)}`);
}

/** Dotted paths, as an array or a comma list; a path through prototype machinery is refused, not walked. */
function parseExcludeFields(value: unknown): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' && value ? Object.values(value) : [value];
  if (items.some((v) => typeof v === 'object' && v !== null)) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', 'truto_exclude_fields must be a list of field paths, e.g. truto_exclude_fields[]=emails.type');
  }
  const paths = items.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  const unsafe = paths.find((path) => path.split('.').some(isUnsafeKey));
  if (unsafe !== undefined) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `truto_exclude_fields path "${unsafe}" is not allowed: __proto__, constructor and prototype are never walked`, { details: { field: 'truto_exclude_fields' } });
  }
  return paths;
}

/**
 * An empty next_cursor is the first page (the reference SDK sends `next_cursor=` then); anything but a string is
 * refused rather than ignored, or a caller passing a number would get page 1 back forever. The string itself is
 * verified where the page is planned (transport/pagination.ts).
 */
function parseNextCursor(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value;
  const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  throw new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', `next_cursor must be the string a previous list call returned; got ${got}`);
}

function parseLimit(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `limit must be a positive integer; got ${JSON.stringify(value)}`);
  return n;
}
