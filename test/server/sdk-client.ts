import qs from 'qs';

/**
 * A client that speaks to the server exactly as the reference product's TypeScript SDK does: the same headers on
 * every request (JSON content type even on DELETE and GET, Accept, Bearer token), query strings written by
 * `qs.stringify` with its defaults (`a%5B0%5D=x` indices, nested brackets), ids URL-encoded into the path, a list
 * cursor that starts with `next_cursor=` empty and follows `next_cursor` until it is empty, meta as
 * `GET unified/<category>/<resource>/meta/<method>`, and a rate-limit retry that reads Retry-After with parseInt.
 * Answers are returned, not thrown, so tests can look at failures too.
 */
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ClientOptions {
  baseUrl: string;
  token: string;
  /** How many times a 429 is retried after Retry-After seconds (the SDK's rate-limit handling); 0 by default. */
  rateLimitRetries?: number;
  /** `brackets` writes `a[]=x` instead of qs's default indices (what curl users and other clients send). */
  arrayFormat?: 'indices' | 'brackets';
}

type Query = Record<string, unknown>;
type UnifiedOptions = Query & { category: string; resource: string; integrated_account_id: string };

export class SdkClient {
  readonly unifiedApi = {
    list: (options: UnifiedOptions) => new Cursor(this, `unified/${options.category}/${options.resource}`, omit(options)),
    get: (id: string, options: UnifiedOptions) => this.request('GET', `/unified/${options.category}/${options.resource}/${encodeURIComponent(id)}`, omit(options)),
    create: (body: unknown, options: UnifiedOptions) => this.request('POST', `/unified/${options.category}/${options.resource}`, omit(options), body),
    update: (id: string, body: unknown, options: UnifiedOptions) => this.request('PATCH', `/unified/${options.category}/${options.resource}/${encodeURIComponent(id)}`, omit(options), body),
    delete: (id: string, options: UnifiedOptions) => this.request('DELETE', `/unified/${options.category}/${options.resource}/${encodeURIComponent(id)}`, omit(options)),
    meta: (method: string, options: UnifiedOptions) => this.request('GET', `/unified/${options.category}/${options.resource}/meta/${encodeURIComponent(method)}`, omit(options)),
  };

  readonly integratedAccount = {
    list: (query: Query = {}) => new Cursor(this, 'integrated-account', query),
    get: (id: string) => this.request('GET', `/integrated-account/${encodeURIComponent(id)}`),
    create: (body: unknown) => this.request('POST', '/integrated-account', {}, body),
    update: (id: string, body: unknown) => this.request('PATCH', `/integrated-account/${encodeURIComponent(id)}`, {}, body),
    delete: (id: string) => this.request('DELETE', `/integrated-account/${encodeURIComponent(id)}`),
  };

  readonly proxyApi = {
    get: (id: string, options: Query & { resource: string }) => this.request('GET', `/proxy/${options.resource}/${encodeURIComponent(id)}`, omitResource(options)),
    create: (body: unknown, options: Query & { resource: string }) => this.request('POST', `/proxy/${options.resource}`, omitResource(options), body),
  };

  constructor(readonly options: ClientOptions) {}

  /** One request as the SDK's ApiClient sends it; `headers` adds to (never replaces) the SDK's own. */
  async request<T = any>(method: string, endpoint: string, query: Query = {}, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const search = qs.stringify(query, this.options.arrayFormat === 'brackets' ? { arrayFormat: 'brackets' } : {});
    const url = `${this.options.baseUrl}${endpoint}?${search}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${this.options.token}`, ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < (this.options.rateLimitRetries ?? 0)) {
        const seconds = parseInt(response.headers.get('retry-after') ?? '', 10);
        await new Promise((resolve) => setTimeout(resolve, (Number.isNaN(seconds) ? 1 : seconds) * 1000));
        continue;
      }
      return { status: response.status, headers: response.headers, body: parse(text, response.headers.get('content-type')) as T };
    }
  }
}

/** The SDK's list cursor: `next_cursor` starts empty and is sent on every page, until a page returns none. */
export class Cursor {
  private nextCursor = '';
  readonly pages: Answer[] = [];

  constructor(private readonly client: SdkClient, private readonly resource: string, private readonly query: Query) {}

  async next(): Promise<{ items: any[]; nextCursor: string }> {
    const answer = await this.client.request('GET', `/${this.resource}`, { ...this.query, next_cursor: this.nextCursor });
    this.pages.push(answer);
    if (answer.status !== 200) throw new Error(`list page answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    this.nextCursor = answer.body.next_cursor || '';
    return { items: answer.body.result, nextCursor: this.nextCursor };
  }

  async toArray(): Promise<any[]> {
    let items: any[] = [];
    do items = items.concat((await this.next()).items);
    while (this.nextCursor);
    return items;
  }
}

function omit({ category: _category, resource: _resource, ...rest }: UnifiedOptions): Query {
  return rest;
}

function omitResource({ resource: _resource, ...rest }: Query & { resource: string }): Query {
  return rest;
}

function parse(text: string, contentType: string | null): unknown {
  if (!contentType?.includes('json') || text === '') return text;
  return JSON.parse(text) as unknown;
}
