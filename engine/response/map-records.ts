import type { CompiledMethod } from '../compile/compiled';
import { UnimapError } from '../errors';

/** One mapped record and the untouched remote record it came from. */
export interface MappedRecord {
  unified: Record<string, unknown>;
  remote: unknown;
}

/** The remote records of a list page: `records` selects them; a lone object counts as one record. */
export async function selectRecords(method: CompiledMethod, body: unknown, bindings: Record<string, unknown>): Promise<unknown[]> {
  const selected = method.records ? await method.records.evaluate(body, bindings) : body;
  if (selected === undefined || selected === null) return [];
  return Array.isArray(selected) ? selected : [selected];
}

/** The remote record of a single-record response (`record` selects it inside an envelope). */
export async function selectRecord(method: CompiledMethod, body: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  return method.record ? method.record.evaluate(body, bindings) : body;
}

export async function mapRecord(method: CompiledMethod, record: unknown, bindings: Record<string, unknown>): Promise<MappedRecord> {
  const mapped = method.response ? await method.response.evaluate(record, bindings) : record;
  if (mapped === undefined || mapped === null) return { unified: {}, remote: record };
  if (typeof mapped !== 'object' || Array.isArray(mapped)) {
    throw new UnimapError('UNIMAP_E_MAP_EVALUATION', `the ${method.name} response mapping must produce an object; it produced ${Array.isArray(mapped) ? 'an array' : typeof mapped}`, {
      ...(method.response?.position ? { position: method.response.position } : {}),
    });
  }
  return { unified: normalizeUnified(mapped as Record<string, unknown>), remote: record };
}

/**
 * Unified ids are strings, whatever the provider sends (numeric ids are the common case), and a list the
 * provider has nothing for (no phones) is left out rather than sent as [].
 */
function normalizeUnified(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = key === 'id' && (typeof value === 'number' || typeof value === 'bigint') ? String(value) : toPlain(value);
  }
  return out;
}

/** JSONata marks result arrays as sequences (extra properties); callers get plain JSON values. */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, toPlain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item);
    return out;
  }
  return value;
}
