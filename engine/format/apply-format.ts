import type { UnifiedSchema } from '../compile/unified-schemas';
import { hasOwn, isUnsafeKey, setOwn } from '../own-keys';
import type { QueryOptions } from '../request/query-options';

/** One mapped record and the untouched remote record it came from. */
export interface MappedRecord {
  unified: Record<string, unknown>;
  remote: unknown;
  /** `unified` is a fresh object nothing else holds (a mapping's normalised output): it is shaped in place, not copied. */
  owned?: boolean;
}

/**
 * Shape one mapped record for the caller: `unified` adds remote_data (unless truto_ignore_remote_data),
 * `normalized` conforms to the unified response schema and never carries remote_data;
 * truto_exclude_fields then removes fields (dotted paths reach into objects and arrays).
 */
export function formatRecord(record: MappedRecord, options: QueryOptions, schema: UnifiedSchema): Record<string, unknown> {
  let out: Record<string, unknown>;
  if (options.format === 'normalized') {
    out = schema.conform(record.unified) as Record<string, unknown>;
  } else {
    out = record.owned ? record.unified : copyOwnKeys(record.unified);
    if (options.ignoreRemoteData) delete out['remote_data'];
    else out['remote_data'] = record.remote;
  }
  for (const field of options.excludeFields) removePath(out, field.split('.'));
  return out;
}

/**
 * A shallow copy, key by key: `{ ...record }` followed by a new key (remote_data) takes a slow path in V8 (Node 20),
 * microseconds per record.
 */
function copyOwnKeys(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) setOwn(out, key, record[key]);
  return out;
}

/** Own properties only: `__proto__.hasOwnProperty` must never reach Object.prototype (query options also refuse such paths). */
function removePath(target: unknown, path: string[]): void {
  if (Array.isArray(target)) {
    for (const item of target) removePath(item, path);
    return;
  }
  if (typeof target !== 'object' || target === null) return;
  const [head, ...rest] = path;
  if (head === undefined || isUnsafeKey(head) || !hasOwn(target, head)) return;
  const holder = target as Record<string, unknown>;
  if (rest.length === 0) delete holder[head];
  else removePath(holder[head], rest);
}
