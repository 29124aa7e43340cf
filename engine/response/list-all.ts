import type { ListResult, UnifiedRecord } from '../types';

/**
 * Every record of a list, page after page: each page is one list call continuing from the previous page's
 * next_cursor (bounded by the integration's max_pages, which the cursor counts).
 */
export async function* walkPages(fetchPage: (cursor: string | undefined) => Promise<ListResult>): AsyncGenerator<UnifiedRecord> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    // a loop rather than `yield* page.result`: delegating to an array adds a promise per record
    for (const record of page.result) yield record;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}
