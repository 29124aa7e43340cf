import type { CompiledPagination } from '../compile/compiled';
import { UnimapError } from '../errors';
import { invalidCursor, openCursor, sealCursor } from './cursor-codec';
import { parseLinkHeader } from './link-header';

/** Where the next page starts, in the provider's own terms. */
export type PageState =
  | { kind: 'first' }
  | { kind: 'url'; url: string }
  | { kind: 'cursor'; token: string }
  | { kind: 'offset'; offset: number }
  | { kind: 'page'; page: number };

/** Who may hand a cursor back, and the key that signs it: another account, resource or method gets it refused. */
export interface CursorScope {
  key: Buffer;
  account: string;
  integration: string;
  resource: string;
  method: string;
}

/** Signed as a whole (cursor-codec.ts); its values are still checked when it comes back. */
interface CursorPayload {
  v: 2;
  a: string;
  i: string;
  r: string;
  m: string;
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
  scope: CursorScope;
}

/** Decode the caller's next_cursor (or start at the first page) and say how to request that page. */
export function planPage(pagination: CompiledPagination, cursor: string | undefined, requestedLimit: number | undefined, scope: CursorScope): PagePlan {
  const payload = cursor === undefined ? undefined : readCursor(pagination, cursor, scope);
  const def = pagination.def;
  // Without a default the provider's maximum is asked for: fewer round trips, and never an unbounded page.
  const limit = def.type === 'none' ? undefined : clampLimit(payload?.l ?? requestedLimit ?? def.default_limit ?? def.max_limit, def.max_limit);
  const state = payload?.s ?? { kind: 'first' };
  const query: Record<string, unknown> = {};
  if (def.type !== 'none' && def.limit_param && limit !== undefined && state.kind !== 'url') query[def.limit_param] = limit;
  if (state.kind === 'cursor' && def.type === 'cursor') query[def.cursor_param] = state.token;
  if (def.type === 'offset') query[def.offset_param] = state.kind === 'offset' ? state.offset : def.start ?? 0;
  if (def.type === 'page') query[def.page_param] = state.kind === 'page' ? state.page : def.start ?? 1;
  return { state, pagesFetched: payload?.n ?? 0, limit, query, scope, ...(state.kind === 'url' ? { url: state.url } : {}) };
}

export interface FetchedPage {
  body: unknown;
  headers: Record<string, string>;
  recordCount: number;
  /** The origin the page came from (the base URL's): a next link may not leave it. */
  origin: string;
  /** Query parameters the auth templates add to every request: dropped from a stored next link (see sameOriginLink). */
  credentialParams: readonly string[];
  /** The call scope's answer view: $context, $params, $query, $body, $steps, $status, $headers. */
  variables: Record<string, unknown>;
}

/** The opaque next_cursor after this page, or null when the list is done. */
export async function nextCursor(pagination: CompiledPagination, plan: PagePlan, page: FetchedPage): Promise<string | null> {
  const owner = plan.scope;
  const def = pagination.def;
  if (def.type === 'none') return null;
  const stop = def.stop ?? {};
  if ((stop.empty_page ?? true) && page.recordCount === 0) return null;
  if (stop.short_page && plan.limit !== undefined && page.recordCount < plan.limit) return null;
  const bindings = page.variables;
  if (pagination.hasMore && (await pagination.hasMore.evaluate(page.body, bindings)) === false) return null;

  let next: PageState | undefined;
  switch (def.type) {
    case 'link_header': {
      const url = parseLinkHeader(page.headers['link'])[def.rel ?? 'next'];
      next = url ? { kind: 'url', url: sameOriginLink(url, page, owner) } : undefined;
      break;
    }
    case 'next_url': {
      const url = await pagination.nextUrl?.evaluate(page.body, bindings);
      next = typeof url === 'string' && url ? { kind: 'url', url: sameOriginLink(url, page, owner) } : undefined;
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
  const payload: CursorPayload = {
    v: 2, a: owner.account, i: owner.integration, r: owner.resource, m: owner.method, s: next, n: fetched, ...(plan.limit === undefined ? {} : { l: plan.limit }),
  };
  return sealCursor(payload, owner.key);
}

/**
 * A provider's next link, resolved as the request builder will resolve it. One pointing to another origin (or
 * carrying credentials) is refused here, at the page that produced it, so the account's token never goes there.
 * A provider echoing the auth query (api_key=…) into its link would put a secret into the caller's cursor: those
 * parameters are dropped, and the request builder adds them again.
 */
function sameOriginLink(link: string, page: FetchedPage, owner: CursorScope): string {
  const { origin } = page;
  let url: URL | undefined;
  try {
    url = new URL(link, origin);
  } catch {
    url = undefined;
  }
  if (!url || url.origin !== origin || url.username !== '' || url.password !== '') {
    const where = url && (url.protocol === 'https:' || url.protocol === 'http:') ? `another host (${url.host})` : 'something that is not a URL on its host';
    throw new UnimapError('UNIMAP_E_REMOTE_PAGINATION', `${owner.integration} ${owner.resource}: the next-page link points to ${where}; it is not followed, so the account's credentials stay on ${origin}`);
  }
  // only when present: deleting re-serialises the whole query string
  for (const name of page.credentialParams) if (url.searchParams.has(name)) url.searchParams.delete(name);
  return url.toString();
}

/** The payload of a cursor signed for this scope, with every value it carries checked again. */
function readCursor(pagination: CompiledPagination, cursor: string, scope: CursorScope): CursorPayload {
  const payload = openCursor(cursor, scope.key) as Partial<CursorPayload> | null;
  if (typeof payload !== 'object' || payload === null || payload.v !== 2) throw invalidCursor();
  if (payload.a !== scope.account || payload.i !== scope.integration || payload.r !== scope.resource || payload.m !== scope.method) {
    throw invalidCursor(`next_cursor belongs to another call than this ${scope.integration} ${scope.resource} ${scope.method} for this account`);
  }
  const def = pagination.def;
  // a cursor records pages already fetched: 1 after the first page, and never max_pages (that page throws instead)
  if (!isIndex(payload.n) || payload.n < 1 || payload.n >= pagination.maxPages) throw invalidCursor();
  if (payload.l !== undefined && (!isIndex(payload.l) || payload.l < 1 || (def.type !== 'none' && def.max_limit !== undefined && payload.l > def.max_limit))) {
    throw invalidCursor();
  }
  if (!isStateFor(def.type, payload.s)) throw invalidCursor();
  return payload as CursorPayload;
}

/** The page position a pagination type produces; a url one must be an absolute http(s) URL (build-request keeps it on the base origin). */
function isStateFor(type: CompiledPagination['def']['type'], state: unknown): state is PageState {
  if (typeof state !== 'object' || state === null) return false;
  const s = state as Record<string, unknown>;
  switch (type) {
    case 'link_header':
    case 'next_url':
      return s['kind'] === 'url' && typeof s['url'] === 'string' && /^https?:\/\//i.test(s['url']);
    case 'cursor':
      return s['kind'] === 'cursor' && typeof s['token'] === 'string' && s['token'] !== '';
    case 'offset':
      return s['kind'] === 'offset' && isIndex(s['offset']);
    case 'page':
      return s['kind'] === 'page' && isIndex(s['page']);
    default:
      return false;
  }
}

const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function clampLimit(limit: number | undefined, max: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  return max === undefined ? limit : Math.min(limit, max);
}
