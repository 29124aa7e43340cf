import { writePath, type Row } from './paths';
import type { PaginationDescription } from './types';

/** One list page: its records, and what the answer says about the next one (body fields and headers). */
export interface Page {
  rows: Row[];
  headers: Record<string, string>;
  /** Write the page's next cursor or link, total and has-more flag into the answer body. */
  annotate(body: Row): void;
}

/** Where a page starts, as the request says it, and its size. */
interface Position {
  offset: number;
  limit: number;
}

/**
 * The page a list request asks for, in the description's style: page numbers, offsets, an opaque cursor sent back
 * in a parameter, or a next link (a Link header or a URL in the body) carrying a page number or a cursor.
 */
export function pageOf(pagination: PaginationDescription | undefined, query: Record<string, string>, url: string, origin: string, rows: Row[]): Page {
  if (!pagination || pagination.type === 'none') return { rows, headers: {}, annotate: () => undefined };
  const position = positionOf(pagination, query);
  const pageRows = rows.slice(position.offset, position.offset + position.limit);
  const nextOffset = position.offset + pageRows.length;
  const more = pageRows.length > 0 && nextOffset < rows.length;
  const headers: Record<string, string> = {};
  const bodyWrites: [string, unknown][] = [];
  if (pagination.total) bodyWrites.push([pagination.total, rows.length]);
  if (pagination.has_more) bodyWrites.push([pagination.has_more, more]);
  if (more && pagination.type === 'cursor') {
    const token = encodeCursor(nextOffset);
    if (pagination.next_cursor_header) headers[pagination.next_cursor_header] = token;
    if (pagination.next_cursor) bodyWrites.push([pagination.next_cursor, token]);
  }
  if (more && pagination.type === 'link') {
    const link = nextLink(pagination, url, origin, nextOffset, position.limit);
    if ((pagination.next_link ?? 'header') === 'header') headers['link'] = `<${link}>; rel="next"`;
    else bodyWrites.push([pagination.next_link!, link]);
  }
  return {
    rows: pageRows,
    headers,
    annotate: (body) => {
      for (const [path, value] of bodyWrites) writePath(body, path, value);
    },
  };
}

function positionOf(pagination: PaginationDescription, query: Record<string, string>): Position {
  const asked = Number(query[pagination.limit_param ?? '']) || pagination.default_limit || 50;
  const limit = Math.max(1, Math.min(asked, pagination.max_limit ?? asked));
  const number = (name: string | undefined) => Number(query[name ?? '']);
  switch (pagination.type) {
    case 'offset': {
      const start = pagination.start ?? 0;
      return { offset: Math.max(0, (number(pagination.offset_param) || start) - start), limit };
    }
    case 'cursor':
      return { offset: decodeCursor(query[pagination.cursor_param ?? '']), limit };
    case 'link':
      if (pagination.cursor_param) return { offset: decodeCursor(query[pagination.cursor_param]), limit };
      return pagePosition(number(pagination.page_param ?? 'page'), pagination.start ?? 1, limit);
    default:
      return pagePosition(number(pagination.page_param), pagination.start ?? 1, limit);
  }
}

function pagePosition(asked: number, start: number, limit: number): Position {
  const page = Number.isInteger(asked) && asked >= start ? asked : start;
  return { offset: (page - start) * limit, limit };
}

/** The next page's absolute URL: this request's, with the next page number or cursor and the page size. */
function nextLink(pagination: PaginationDescription, url: string, origin: string, nextOffset: number, limit: number): string {
  const next = new URL(url, origin);
  if (pagination.cursor_param) next.searchParams.set(pagination.cursor_param, encodeCursor(nextOffset));
  else next.searchParams.set(pagination.page_param ?? 'page', String((pagination.start ?? 1) + Math.floor(nextOffset / limit)));
  if (pagination.limit_param) next.searchParams.set(pagination.limit_param, String(limit));
  return next.toString();
}

/** Cursors are opaque to clients, as the providers' are; this one only holds where the next page starts. */
function encodeCursor(offset: number): string {
  return Buffer.from(`after:${offset}`).toString('base64url');
}

function decodeCursor(token: string | undefined): number {
  const match = /^after:(\d+)$/.exec(Buffer.from(token ?? '', 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}
