import type { CompiledIntegration, CompiledRequest } from '../compile/compiled';
import type { Template } from '../compile/template';
import type { BodyFormat } from '../definition';
import { UnimapError } from '../errors';
import type { IntegratedAccount } from '../accounts/account-store';
import type { ResolvedContext } from '../accounts/resolve-context';
import { contentTypeOf, encodeBody } from '../transport/body-codec';
import { queryString } from '../transport/lazy-codecs';
import { encodePathSegment } from './path-segment';
import type { RemoteRequest } from '../transport/transport';

export interface RequestInputs {
  integration: CompiledIntegration;
  account: IntegratedAccount;
  context: ResolvedContext;
  template: CompiledRequest;
  /** JSONata bindings for path, query and header templates ($context without secrets, $params, $query, $body, $steps). */
  bindings: Record<string, unknown>;
  /** Computed query (method `query` mapping, pagination) merged over the template's query. */
  query?: Record<string, unknown>;
  /** remote_query from the caller: passed through untouched, last so it wins. */
  remoteQuery?: Record<string, unknown>;
  body?: unknown;
  bodyFormat: BodyFormat;
  /** A next-page URL from the provider; replaces path and template query. */
  url?: string;
}

/** Build the remote request: base URL, encoded path, query, default + auth headers, encoded body. */
export async function buildRemoteRequest(inputs: RequestInputs): Promise<RemoteRequest> {
  const { integration, template, bindings } = inputs;
  const base = await resolveBaseUrl(integration, inputs.account, bindings);
  let url: URL;
  if (inputs.url) {
    // A provider-given next URL is absolute or relative to the host (Salesforce nextRecordsUrl), never to base_url's path.
    url = sameOriginUrl(new URL(inputs.url, base.origin).toString(), base);
  } else {
    const path = await template.path.renderPath(bindings, encodePathSegment);
    url = sameOriginUrl(path, base);
    appendQuery(url, await renderMap(template.query, bindings));
  }
  appendQuery(url, inputs.query ?? {});
  if (!inputs.url) appendQuery(url, inputs.remoteQuery ?? {}); // a next-page URL carries what the first page sent
  const authBindings = { ...bindings, context: inputs.context.all };
  const authQuery = await renderMap(integration.auth.query, authBindings);
  appendQuery(url, authQuery);

  const headers: Record<string, string> = {};
  Object.assign(headers, await renderHeaders(integration.headers, bindings));
  Object.assign(headers, await renderHeaders(template.headers, bindings));
  Object.assign(headers, await renderHeaders(integration.auth.headers, authBindings));
  if (integration.auth.username && integration.auth.password) {
    const user = await integration.auth.username.renderString(authBindings);
    const password = await integration.auth.password.renderString(authBindings);
    headers['Authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  // What auth templates built from secrets (a Basic pair, "Bearer …", a signed query value) is a secret of this call too.
  const authNames = [...Object.keys(integration.auth.headers), ...(integration.auth.username ? ['Authorization'] : [])];
  for (const value of [...authNames.map((name) => headers[name]), ...Object.values(authQuery)]) inputs.context.secrets.addCredential(value);
  const request: RemoteRequest = { method: template.method, url: url.toString(), headers, timeoutMs: integration.timeoutMs, maxResponseBytes: integration.maxResponseBytes };
  // Without the operator's base_url the host was formed from account context: the transport keeps it off internal addresses.
  if (inputs.account.base_url == null) request.hostFromContext = true; // == null: as resolveBaseUrl's ??
  const body = template.method === 'GET' ? inputs.body : withAuthBody(inputs.body, await renderMap(integration.auth.body, authBindings));
  if (body !== undefined && template.method !== 'GET') {
    request.body = encodeBody(body, inputs.bodyFormat);
    headers['Content-Type'] ??= contentTypeOf(inputs.bodyFormat);
  }
  return request;
}

/**
 * auth type body (LastPass's enterprise API takes its company id and provisioning hash in every JSON body): the
 * rendered fields go first in the body and win over the mapped ones and remote_data, so no caller replaces them.
 */
function withAuthBody(body: unknown, auth: Record<string, unknown>): unknown {
  if (Object.keys(auth).length === 0) return body;
  if (body === undefined || body === null) return { ...auth };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new UnimapError('UNIMAP_E_MAP_TEMPLATE', 'auth type body needs a JSON object request body to add its fields to');
  }
  return Object.assign({}, auth, body, auth);
}

async function resolveBaseUrl(integration: CompiledIntegration, account: IntegratedAccount, bindings: Record<string, unknown>): Promise<URL> {
  const text = account.base_url ?? (await integration.baseUrl.renderString(bindings));
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('protocol');
    return url;
  } catch {
    throw new UnimapError('UNIMAP_E_MAP_TEMPLATE', `${integration.name}: base_url did not produce an http(s) URL; check the account context`);
  }
}

/**
 * Resolve a path or a provider-given next URL against the base URL. Anything that would leave the
 * base URL's origin is refused: a cursor or a mapping must never send credentials to another host.
 */
function sameOriginUrl(pathOrUrl: string, base: URL): URL {
  const basePath = base.pathname.replace(/\/$/, '');
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl);
  const url = absolute ? new URL(pathOrUrl) : new URL(`${basePath}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`, base.origin);
  if (url.origin !== base.origin) {
    throw new UnimapError('UNIMAP_E_REQ_INVALID_CURSOR', `refusing to call ${url.origin}: requests stay on ${base.origin}`);
  }
  return url;
}

function appendQuery(url: URL, query: Record<string, unknown>): void {
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(clean).length === 0) return;
  for (const key of Object.keys(clean)) url.searchParams.delete(key);
  const extra = queryString().stringify(clean, { arrayFormat: 'repeat', encodeValuesOnly: false });
  url.search = url.search ? `${url.search}&${extra}` : `?${extra}`;
}

async function renderMap(map: Record<string, Template>, bindings: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, template] of Object.entries(map)) out[key] = await template.render(bindings);
  return out;
}

async function renderHeaders(map: Record<string, Template>, bindings: Record<string, unknown>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [key, template] of Object.entries(map)) {
    const value = await template.renderString(bindings);
    // A line break would end the header (request splitting); Node refuses such values only when sending, as a network error.
    if (/[\r\n\0]/.test(value)) {
      throw new UnimapError('UNIMAP_E_MAP_TEMPLATE', `header "${key}" would hold a line break or NUL; check the account context and values it reads`, { details: { header: key } });
    }
    if (value !== '') out[key] = value;
  }
  return out;
}
