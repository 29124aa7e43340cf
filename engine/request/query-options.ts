import { UnimapError } from '../errors';

export const RESPONSE_FORMATS = ['unified', 'raw', 'normalized', 'stream'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

/** The caller's query, split into the seed's truto_* options, pass-through remote_query and unified filters. */
export interface QueryOptions {
  format: ResponseFormat;
  ignoreRemoteData: boolean;
  excludeFields: string[];
  remoteQuery: Record<string, unknown>;
  limit: number | undefined;
  nextCursor: string | undefined;
  /** Everything else: unified filters and integration-specific query params, bound as $query. */
  unified: Record<string, unknown>;
}

const RESERVED = new Set(['integrated_account_id', 'truto_response_format', 'truto_ignore_remote_data', 'truto_exclude_fields', 'remote_query', 'limit', 'next_cursor']);

/** Accepts values as `qs` parses them from a URL ("true", "a,b", arrays, objects) or as typed values from code. */
export function parseQueryOptions(query: Record<string, unknown> = {}): QueryOptions {
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
    excludeFields: parseList(query['truto_exclude_fields']),
    remoteQuery: remoteQuery as Record<string, unknown>,
    limit: parseLimit(query['limit']),
    nextCursor: typeof query['next_cursor'] === 'string' && query['next_cursor'] !== '' ? query['next_cursor'] : undefined,
    unified,
  };
}

function parseBoolean(value: unknown, name: string): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true' || value === '') return true;
  throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `${name} must be true or false; got ${JSON.stringify(value)}`);
}

function parseList(value: unknown): string[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : typeof value === 'object' && value ? Object.values(value) : [value];
  return items.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function parseLimit(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', `limit must be a positive integer; got ${JSON.stringify(value)}`);
  return n;
}
