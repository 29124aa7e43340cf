import type { ListResult, UnifiedRecord, UnifiedWarning } from '../../index';
import { UnimapError } from '../../index';

/** Query options the server reads itself; the engine never sees them (it would take them for unified filters). */
export interface ServerQueryOptions {
  /** truto_key_by: answer `result` as an object keyed by this field of each record. */
  keyBy: string | undefined;
  /** truto_ignore_limit: the caller's `limit` is not passed on; the provider's own page size applies. */
  ignoreLimit: boolean;
}

export function takeServerOptions(query: Record<string, unknown>): { options: ServerQueryOptions; engineQuery: Record<string, unknown> } {
  const { truto_key_by: keyBy, truto_ignore_limit: ignoreLimit, ...rest } = query;
  if (keyBy !== undefined && (typeof keyBy !== 'string' || keyBy === '')) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', 'truto_key_by must be the name of a record field, e.g. truto_key_by=id', { details: { field: 'truto_key_by' } });
  }
  if (ignoreLimit !== undefined && typeof ignoreLimit !== 'boolean' && ignoreLimit !== '') {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_QUERY', 'truto_ignore_limit must be true or false', { details: { field: 'truto_ignore_limit' } });
  }
  const ignore = ignoreLimit === true || ignoreLimit === '';
  if (ignore) delete rest['limit'];
  return { options: { keyBy: keyBy as string | undefined, ignoreLimit: ignore }, engineQuery: rest };
}

/**
 * A list page as the reference API answers it: `{ result, next_cursor, result_count }` plus `is_partial_response`
 * when the mapping knows. With truto_key_by, `result` is an object keyed by that field; records without a usable
 * value there (absent, an object) cannot be keyed and are left out of `result` (result_count still counts them).
 */
export function shapeList(page: ListResult, options: ServerQueryOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { result: page.result, next_cursor: page.next_cursor, result_count: page.result_count };
  if (page.is_partial_response !== undefined) body['is_partial_response'] = page.is_partial_response;
  if (options.keyBy !== undefined) body['result'] = keyRecords(page.result, options.keyBy);
  return body;
}

function keyRecords(records: UnifiedRecord[], field: string): Record<string, UnifiedRecord> {
  const keyed: Record<string, UnifiedRecord> = Object.create(null) as Record<string, UnifiedRecord>;
  for (const record of records) {
    const value = Object.prototype.hasOwnProperty.call(record, field) ? record[field] : undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') keyed[String(value)] = record;
  }
  return keyed;
}

/**
 * The write contract's warnings as a response header: a JSON array of `{ code, field, integration }` (each warning's
 * message is in the log line), with anything outside ASCII escaped so the header stays valid.
 */
export const WARNINGS_HEADER = 'x-unimap-warnings';

export function warningsHeader(warnings: readonly UnifiedWarning[]): string | undefined {
  if (warnings.length === 0) return undefined;
  const json = JSON.stringify(warnings.map(({ code, field, integration }) => ({ code, field, integration })));
  return json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
