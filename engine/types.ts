import type { Readable } from 'node:stream';
import type { IntegratedAccount } from './accounts/account-store';
import type { RemoteRequest } from './transport/transport';
import type { ResponseFormat } from './request/query-options';

/** A record in the unified model; `remote_data` holds the untouched remote record unless left out. */
export type UnifiedRecord = Record<string, unknown> & { id?: string; remote_data?: unknown };

export interface ListResult {
  result: UnifiedRecord[];
  /** Opaque; pass it back as query.next_cursor. null when there is no next page. */
  next_cursor: string | null;
  result_count: number;
  is_partial_response?: boolean;
}

/** truto_response_format=raw: the remote answer untouched. */
export interface RawResult {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  next_cursor?: string | null;
}

/** truto_response_format=stream: the remote body as it arrives. */
export interface StreamResult {
  status: number;
  headers: Record<string, string>;
  contentType: string | undefined;
  stream: Readable;
}

/** Query as the seed's API takes it: truto_* options, remote_query, limit, next_cursor, unified filters. */
export type CallQuery = Record<string, unknown> & {
  truto_response_format?: ResponseFormat;
  truto_ignore_remote_data?: boolean | string;
  truto_exclude_fields?: string[] | string;
  remote_query?: Record<string, unknown>;
  limit?: number | string;
  next_cursor?: string;
  truto_strict_fields?: boolean | string;
};

export interface CallOptions {
  integratedAccountId: string;
  query?: CallQuery;
  /** Told what the call did not do as asked (body fields left out); `engine.call` returns them in the outcome. */
  onWarnings?: (warnings: UnifiedWarning[]) => void;
}

/** One unified call as the pipeline receives it. */
export interface UnifiedCall {
  category: string;
  resource: string;
  method: string;
  id?: string;
  body?: unknown;
  /** Either an account id looked up in the store, or an account given directly (the CLI's --context). */
  integratedAccountId?: string;
  account?: IntegratedAccount;
  query?: Record<string, unknown>;
}

/** Something the call did not do as asked but did not fail for, such as a body field the integration cannot write. */
export interface UnifiedWarning {
  code: 'UNIMAP_W_UNSUPPORTED_FIELD';
  /** The unified field at issue. */
  field: string;
  integration: string;
  message: string;
}

/** The first request a call would send (secrets redacted), and the warnings the call would carry. */
export type PlannedRequest = RemoteRequest & { warnings: UnifiedWarning[] };

/** The full outcome of a call; `warnings` is empty when everything asked for was done. */
export type CallOutcome = (
  | { kind: 'record'; result: UnifiedRecord }
  | { kind: 'list'; result: ListResult }
  | { kind: 'raw'; result: RawResult }
  | { kind: 'stream'; result: StreamResult }
) & { warnings: UnifiedWarning[] };
