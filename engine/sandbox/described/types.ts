import type { ScimSimulatorOptions } from '../scim';

/**
 * A provider simulator as data (schemas/simulator.schema.json): the routes of each operation, where records sit in
 * bodies, the record's id, required fields and timestamps, the auth rule, page parameters, the rate limit and the
 * provider's error bodies. Field names are the description's own (snake_case), as written in the YAML.
 */
export interface SimulatorDescription {
  unimap: 1;
  resource: string;
  auth: AuthDescription;
  /** A SCIM 2.0 provider: the generic SCIM simulator (engine/sandbox/scim.ts) with this provider's quirks, instead of routes and record. */
  scim?: ScimDescription;
  routes: Partial<Record<Operation, RouteDescription>>;
  extra_routes?: ExtraRouteDescription[];
  envelope?: EnvelopeDescription;
  record: RecordDescription;
  /** List query parameters that keep only the records whose field (a dot path) equals the value, case-insensitively. */
  filters?: Record<string, string>;
  pagination?: PaginationDescription;
  rate_limit?: RateLimitDescription;
  errors: ErrorsDescription;
  account?: AccountDescription;
}

export type Operation = 'list' | 'get' | 'create' | 'update' | 'delete';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Row = Record<string, unknown>;

export interface AuthDescription {
  type: 'header' | 'basic' | 'query' | 'none';
  header?: string;
  /** type header: several headers, each of which must hold its value (Datadog's API and application keys). */
  headers?: Record<string, string>;
  param?: string;
  value?: string;
  username?: string;
  password?: string;
}

/**
 * What a route answers: the record (default), no body, `{ id }`, every record as a list answer does (under the
 * route's own envelope), or an object of `answer_fields` only.
 */
export type AnswerKind = 'record' | 'empty' | 'id' | 'list' | 'object';

export interface RouteDescription {
  method: HttpMethod;
  path: string;
  status?: number;
  answer?: AnswerKind;
  /** Where this route's answer holds the record (or, for answer list, the records), instead of the envelope's. */
  envelope?: string;
  /** Values the answer also holds, at dot paths ({id} is the record's id). */
  answer_fields?: Row;
  /** delete: the record is kept with these fields set (providers that only deactivate, such as Datadog). */
  deactivates?: Row;
}

/** A further route that changes one record: the body's writable fields are merged into the record named by :id. */
export interface ExtraRouteDescription {
  method: HttpMethod;
  path: string;
  status?: number;
  writable: string[];
  /** The changed record (default), no body, or only the fields written. */
  answer?: 'record' | 'empty' | 'fields';
}

export interface EnvelopeDescription {
  list?: string;
  record?: string;
  request?: string;
  /** Each record is wrapped as { <item>: record } in answers (ClickUp's { user: {...} } members). */
  item?: string;
  /** JSON:API: records are { id, type, attributes, relationships } in `data`; requests are { data: { type, attributes } }. */
  jsonapi?: { type: string; relationships?: Row };
}

export interface RecordDescription {
  id?: {
    field?: string;
    type?: 'string' | 'integer' | 'uuid';
    prefix?: string;
    /** The id is not generated but given: this request field of a create (an email), or the :id of a create's path. */
    from?: string;
  };
  required?: string[];
  writable?: string[];
  /** Request fields the provider keeps under another name (Trello's `type` is a membership's `memberType`). */
  stored_as?: Record<string, string>;
  /** Values a created record has when the request does not set them; {id} in strings is its id. */
  defaults?: Row;
  timestamps?: { created?: string; updated?: string };
  example: Row;
}

export interface PaginationDescription {
  type: 'none' | 'page' | 'offset' | 'cursor' | 'link';
  page_param?: string;
  offset_param?: string;
  cursor_param?: string;
  limit_param?: string;
  start?: number;
  default_limit?: number;
  max_limit?: number;
  /** type cursor: dot path in the list body holding the next cursor (left out on the last page). */
  next_cursor?: string;
  /** type cursor: a response header holding the next cursor instead. */
  next_cursor_header?: string;
  /** type link: `header` (RFC 8288 Link rel="next") or a dot path in the body holding the next page's absolute URL. */
  next_link?: string;
  /** Dot path where the total count of records is written. */
  total?: string;
  /** Dot path where whether more pages follow is written (true or false). */
  has_more?: string;
}

export interface RateLimitDescription {
  requests: number;
  window_seconds: number;
  status?: number;
  /** {retry_after}: whole seconds until the window resets; {reset_at}: that moment in epoch seconds; {limit}: requests. */
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ErrorAnswer {
  status: number;
  body: unknown;
}

export interface ErrorsDescription {
  unauthorized: ErrorAnswer;
  not_found: ErrorAnswer;
  invalid: ErrorAnswer;
  /** Answered when a create names an id that exists (with record.id.from); without it such a create updates the record. */
  conflict?: ErrorAnswer;
}

/** What an engine account needs to reach this simulator, and the unified calls a test sends through it. */
export interface AccountDescription {
  context?: Record<string, string>;
  base_path?: string;
  query?: Row;
  create?: Row;
  update?: Row;
}

/** The `scim` block of a description: ScimSimulatorOptions in the description's snake_case. */
export interface ScimDescription {
  base_path?: string;
  attributes?: string[];
  required?: string[];
  unique?: string[];
  filterable?: string[];
  filter_aliases?: Record<string, string>;
  paging?: { default_count?: number; max_count?: number };
  operations?: NonNullable<ScimSimulatorOptions['operations']>[number][];
  delete_mode?: 'remove' | 'deactivate';
  single_email?: boolean;
  ids?: { style: 'uuid' } | { style: 'counter'; prefix?: string };
  rate_limit?: { requests: number; window_seconds: number };
  meta?: boolean;
}
