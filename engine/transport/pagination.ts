import type { CompiledPagination } from '../compile/compiled';
import { UnimapError } from '../errors';
import { parseLinkHeader } from './link-header';

/** Where the next page starts, in the provider's own terms. */
export type PageState =
  | { kind: 'first' }
  | { kind: 'url'; url: string }
  | { kind: 'cursor'; token: string }
  | { kind: 'offset'; offset: number }
  | { kind: 'page'; page: number };

interface CursorPayload {
  v: 1;
  /** integration and resource the cursor belongs to: a cursor cannot be replayed elsewhere */
  i: string;
  r: string;
  s: PageState;
  /** pages fetched so far, for the max_pages guard */
  n: number;
  l?: number;
}

export interface PagePlan {
  state: PageState;
  pagesFetched: number;
  limit: number | undefined;
  /** A provider-given URL replacing the request template, or extra query parameters. */
  url?: string;
  query: Record<string, unknown>;
}

/** Decode the caller's next_cursor (or start at the first page) and say how to request that page. */
export function planPage(pagination: CompiledPagination, cursor: string | undefined, requestedLimit: number | undefined, owner: { integration: string; resource: string }): PagePlan {
  const payload = cursor ? decodeCursor(cursor, owner) : undefined;
  const def = pagination.def;
  // Without a default the provider's maximum is asked for: fewer round trips, and never an unbounded page.
  const limit = def.type === 'none' ? undefined : clampLimit(payload?.l ?? requestedLimit ?? def.default_limit ?? def.max_limit, def.max_limit);
  const state = payload?.s ?? { kind: 'first' };
  const query: Record<string, unknown> = {};
  if (def.type !== 'none' && def.limit_param && limit !== undefined && state.kind !== 'url') query[def.limit_param] = limit;
  if (state.kind === 'cursor' && def.type === 'cursor') query[def.cursor_param] = state.token;
  if (def.type === 'offset') query[def.offset_param] = state.kind === 'offset' ? state.offset : def.start ?? 0;
  if (def.type === 'page') query[def.page_param] = state.kind === 'page' ? state.page : def.start ?? 1;
  return { state, pagesFetched: payload?.n ?? 0, limit, query, ...(state.kind === 'url' ? { url: state.url } : {}) };
}

export interface FetchedPage {
  body: unknown;
  headers: Record<string, string>;
  recordCount: number;
}

/** The opaque next_cursor after this page, or null when the list is done. */
export async function nextCursor(pagination: CompiledPagination, plan: PagePlan, page: FetchedPage, owner: { integration: string; resource: string }): Promise<string | null> {
  const def = pagination.def;
  if (def.type === 'none') return null;
  const stop = def.stop ?? {};
  if ((stop.empty_page ?? true) && page.recordCount === 0) return null;
  if (stop.short_page && plan.limit !== undefined && page.recordCount < plan.limit) return null;
  const bindings = { headers: page.headers };
  if (pagination.hasMore && (await pagination.hasMore.evaluate(page.body, bindings)) === false) return null;

  let next: PageState | undefined;
  switch (def.type) {
    case 'link_header': {
      const url = parseLinkHeader(page.headers['link'])[def.rel ?? 'next'];
      next = url ? { kind: 'url', url } : undefined;
      break;
    }
    case 'next_url': {
      const url = await pagination.nextUrl?.evaluate(page.body, bindings);
      next = typeof url === 'string' && url ? { kind: 'url', url } : undefined;
      break;
    }
    case 'cursor': {
      const token = await pagination.cursor?.evaluate(page.body, bindings);
      next = token !== undefined && token !== null && token !== '' ? { kind: 'cursor', token: String(token) } : undefined;
      break;
    }
    case 'offset': {
      const current = plan.state.kind === 'offset' ? plan.state.offset : def.start ?? 0;
      next = { kind: 'offset', offset: current + page.recordCount };
      break;
    }
    case 'page': {
      const current = plan.state.kind === 'page' ? plan.state.page : def.start ?? 1;
      next = { kind: 'page', page: current + 1 };
      break;
    }
  }
  if (!next) return null;
  if (JSON.stringify(next) === JSON.stringify(plan.state)) {
    throw new UnimapError('UNIMAP_E_REMOTE_PAGINATION', `${owner.integration} returned the same page position again; stopping to avoid an endless loop`);
  }
  const fetched = plan.pagesFetched + 1;
  if (fetched >= pagination.maxPages) {
    throw new UnimapError('UNIMAP_E_REMOTE_PAGINATION', `${owner.integration} ${owner.resource}: more than max_pages (${pagination.maxPages}) pages; raise pagination.max_pages if this list is really that long`);
  }
  const payload: CursorPayload = { v: 1, i: owner.integration, r: owner.resource, s: next, n: fetched, ...(plan.limit === undefined ? {} : { l: plan.limit }) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(cursor: string, owner: { integration: string; resource: string }): CursorPayload {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', 'next_cursor is not a cursor this engine produced');
  }
  if (payload?.v !== 1 || typeof payload.s !== 'object' || typeof payload.n !== 'number') {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', 'next_cursor is not a cursor this engine produced');
  }
  if (payload.i !== owner.integration || payload.r !== owner.resource) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', `next_cursor belongs to ${payload.i} ${payload.r}, not ${owner.integration} ${owner.resource}`);
  }
  return payload;
}

function clampLimit(limit: number | undefined, max: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  return max === undefined ? limit : Math.min(limit, max);
}
