import type { CompiledMethod } from '../compile/compiled';
import { UnimapError } from '../errors';
import type { MappedRecord } from '../format/apply-format';
import { isPlainObject, setOwn } from '../own-keys';
import { capErrorBody } from '../transport/error-body';


/** Who answered what, for the error when a 2xx body is not the shape the method expects. */
export interface Answer {
  label: string;
  status: number;
}

/**
 * The remote records of a list page: `records` selects them; a lone object counts as one record. A page that is
 * null or text, or records that are not objects, are no list: mapping them would invent empty records.
 */
export async function selectRecords(method: CompiledMethod, body: unknown, bindings: Record<string, unknown>, answer: Answer): Promise<unknown[]> {
  if (body === undefined) return []; // an empty answer is an empty page (Zoho Desk's search answers 204 when nothing matches)
  if (typeof body !== 'object' || body === null) throw invalidShape(answer, body, 'a list page (a JSON object or array)');
  const selected = method.records ? await method.records.evaluate(body, bindings) : body;
  if (selected === undefined || selected === null) return [];
  const records = Array.isArray(selected) ? selected : [selected];
  if (!records.every(isPlainObject)) throw invalidShape(answer, body, 'a list of records (JSON objects)');
  return records;
}

/**
 * The remote record of a single-record response (`record` selects it inside an envelope). An empty answer, null,
 * an array or a scalar is no record (methods that may answer empty, such as delete, do not map a record).
 */
export async function selectRecord(method: CompiledMethod, body: unknown, bindings: Record<string, unknown>, answer: Answer): Promise<Record<string, unknown>> {
  const record = method.record && body !== undefined ? await method.record.evaluate(body, bindings) : body;
  if (!isPlainObject(record)) throw invalidShape(answer, body, `a record (a JSON object)${method.record ? ' where the record mapping points' : ''}`);
  return record;
}

function invalidShape(answer: Answer, body: unknown, expected: string): UnimapError {
  const got = body === undefined ? 'an empty body' : body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object without it' : `a ${typeof body}`;
  return new UnimapError('UNIMAP_E_REMOTE_INVALID_BODY', `${answer.label} answered ${answer.status} with ${got}, not ${expected}`, {
    remote: { status: answer.status, body: capErrorBody(body) },
  });
}

/**
 * The response mapping of one remote record, without a Promise when the mapping completes synchronously (the
 * common case): a list maps every record of a page through here, and a Promise per record is most of its cost.
 */
export function mapRecordNow(method: CompiledMethod, record: unknown, bindings: Record<string, unknown>): MappedRecord | Promise<MappedRecord> {
  const response = method.response;
  if (!response) return toMapped(method, record, record);
  const mapped = response.evaluateNow ? response.evaluateNow(record, bindings) : response.evaluate(record, bindings);
  return mapped instanceof Promise ? mapped.then((value: unknown) => toMapped(method, value, record)) : toMapped(method, mapped, record);
}

export async function mapRecord(method: CompiledMethod, record: unknown, bindings: Record<string, unknown>): Promise<MappedRecord> {
  return mapRecordNow(method, record, bindings);
}

function toMapped(method: CompiledMethod, mapped: unknown, record: unknown): MappedRecord {
  if (mapped === undefined || mapped === null) return { unified: {}, remote: record, owned: true };
  if (typeof mapped !== 'object' || Array.isArray(mapped)) {
    throw new UnimapError('UNIMAP_E_MAP_EVALUATION', `the ${method.name} response mapping must produce an object; it produced ${Array.isArray(mapped) ? 'an array' : typeof mapped}`, {
      ...(method.response?.position ? { position: method.response.position } : {}),
    });
  }
  return { unified: normalizeUnified(mapped as Record<string, unknown>), remote: record, owned: true };
}

/**
 * Unified ids are strings, whatever the provider sends (numeric ids are the common case), and a list the
 * provider has nothing for (no phones) is left out rather than sent as []. Copied key by key: the caller adds
 * remote_data next, and a key added to an object a spread made takes a slow path in V8 (Node 20), about a
 * microsecond per record.
 */
export function normalizeUnified(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (Array.isArray(value) && value.length === 0) continue;
    setOwn(out, key, key === 'id' ? idOf(value) : toPlain(value));
  }
  return out;
}

const idOf = (value: unknown): unknown => (typeof value === 'number' || typeof value === 'bigint' ? String(value) : toPlain(value));

/**
 * JSONata marks result arrays as sequences (extra properties) and builds objects without Object.prototype; callers
 * get plain JSON values, copies that share nothing with remote_data.
 */
function toPlain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toPlain(value[i]);
    return out;
  }
  return plainCopy(value as Record<string, unknown>);
}

/**
 * A nested object copied whole by a spread (one step in V8, where adding its keys one by one is many), then its
 * nested values replaced by their own copies in place. A spread also copies symbol keys, which JSON values never have.
 */
function plainCopy(value: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  for (const key of Object.keys(out)) {
    const item = out[key];
    if (typeof item === 'object' && item !== null) out[key] = toPlain(item);
  }
  return out;
}
