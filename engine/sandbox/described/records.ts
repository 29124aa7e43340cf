import { randomUUID } from 'node:crypto';
import type { RecordStore } from '../record-store';
import { fillPlaceholders, isRow, readPath, writePath, type Row } from './paths';
import type { SimulatorDescription } from './types';

/** JSON:API keeps relationships beside the attributes; a stored record holds them under this key. */
const RELATIONSHIPS = 'relationships';

/** What a request body asks to write: the record's writable fields, and a JSON:API resource's type and relationships. */
export interface RequestedFields {
  fields: Row;
  /** JSON:API: the `data.type` sent (undefined when the body is not a resource object). */
  type?: unknown;
  relationships?: Row;
}

/**
 * A description's record shape: how ids are made, which request fields are kept, and how a stored record looks in
 * answers (bare, wrapped as { <item>: record }, or as a JSON:API resource object) and where answers hold it.
 */
export interface RecordShape {
  idField: string;
  jsonapiType: string | undefined;
  newId(store: RecordStore): string | number;
  idOf(row: Row): string | number;
  requested(body: unknown): RequestedFields;
  /** The record as it is stored when created from these fields. */
  build(id: string | number, requested: RequestedFields): Row;
  /** Apply the fields of an update (and its relationships) to a stored record. */
  change(row: Row, requested: RequestedFields): void;
  present(row: Row): unknown;
  /** Where a record and a list sit in answers (an empty path: the body itself). */
  recordPath: string | undefined;
  listPath: string | undefined;
}

export function recordShape(description: SimulatorDescription): RecordShape {
  const { record, envelope = {} } = description;
  const idField = record.id?.field ?? 'id';
  const stamps = record.timestamps ?? {};
  const stampFields = [stamps.created, stamps.updated].filter((f): f is string => f !== undefined);
  const writable = record.writable ?? Object.keys(record.example).filter((f) => f !== idField && !stampFields.includes(f));
  const storedAs = record.stored_as ?? {};
  const keepWritable = (value: unknown): Row => (isRow(value)
    ? Object.fromEntries(Object.entries(value).filter(([k]) => writable.includes(k)).map(([k, v]) => [storedAs[k] ?? k, v]))
    : {});
  const jsonapi = envelope.jsonapi;
  const now = () => new Date().toISOString();

  return {
    idField,
    jsonapiType: jsonapi?.type,
    newId(store) {
      if (record.id?.type === 'uuid') return randomUUID();
      if (record.id?.type === 'integer') return store.nextId('', true);
      return String(store.nextId(record.id?.prefix ?? ''));
    },
    idOf: (row) => row[idField] as string | number,
    requested(body) {
      if (!jsonapi) return { fields: keepWritable(readPath(body, envelope.request)) };
      const data = readPath(body, 'data');
      const relationships = readPath(data, RELATIONSHIPS);
      return { fields: keepWritable(readPath(data, 'attributes')), type: readPath(data, 'type'), ...(isRow(relationships) ? { relationships } : {}) };
    },
    build(id, requested) {
      const at = now();
      const defaults = fillPlaceholders(record.defaults ?? {}, { id: String(id) }) as Row;
      const row: Row = { [idField]: id, ...defaults, ...requested.fields, ...Object.fromEntries(stampFields.map((f) => [f, at])) };
      if (jsonapi) row[RELATIONSHIPS] = { ...jsonapi.relationships, ...requested.relationships };
      return row;
    },
    change(row, requested) {
      Object.assign(row, requested.fields, stamps.updated ? { [stamps.updated]: now() } : {});
      if (jsonapi && requested.relationships) row[RELATIONSHIPS] = { ...(row[RELATIONSHIPS] as Row), ...requested.relationships };
    },
    present(row) {
      if (jsonapi) {
        const { [idField]: id, [RELATIONSHIPS]: relationships, ...attributes } = row;
        return { type: jsonapi.type, id, attributes, ...(isRow(relationships) && Object.keys(relationships).length > 0 ? { relationships } : {}) };
      }
      return envelope.item ? { [envelope.item]: row } : row;
    },
    recordPath: jsonapi ? 'data' : envelope.record,
    listPath: jsonapi ? 'data' : envelope.list,
  };
}

/** Put `value` at `path` of a new answer body (the value itself for an empty path). */
export function wrapAt(path: string | undefined, value: unknown): unknown {
  return path ? writePath({}, path, value) : value;
}
