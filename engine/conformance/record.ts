import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import qs from 'qs';
import { parseDocument } from 'yaml';
import type { CompiledIntegration } from '../compile/compiled';
import { redact, type SecretSource } from '../secrets/redact';
import type { SecretSet } from '../secrets/secret-set';
import { decodeBody } from '../transport/body-codec';
import type { RemoteRequest, RemoteResponse, StreamedResponse, Transport } from '../transport/transport';
import type { FixtureCase, FixtureExchange } from './fixture';

/** Headers worth keeping in a fixture: the ones mappings and pagination read. Auth headers are never kept. */
const KEPT_RESPONSE_HEADERS = ['content-type', 'link', 'retry-after', 'x-total-count', 'x-next-page', 'etag', 'location'];

/** Which request parts carry credentials, and the set that collects them. */
export interface RecordedCredentials {
  secrets: SecretSet;
  /** Header names the integration's auth writes (matched case-insensitively). */
  headers: readonly string[];
  /** Query parameter names the integration's auth writes. */
  query: readonly string[];
}

/** The header and query names an integration's auth section writes. */
export function authPartNames(integration: CompiledIntegration): { headers: string[]; query: string[] } {
  const { auth } = integration;
  return { headers: [...Object.keys(auth.headers), ...(auth.username ? ['Authorization'] : [])], query: Object.keys(auth.query) };
}

/** A Transport that passes calls through and remembers each exchange, for turning live behaviour into a fixture. */
export class RecordingTransport implements Transport {
  readonly exchanges: FixtureExchange[] = [];

  /**
   * With `credentials`, what the requests carry in auth headers and query parameters is added to its set: a
   * response echoing the Basic pair (never a raw secret) is scrubbed from the fixture as well.
   */
  constructor(private readonly inner: Transport, private readonly credentials?: RecordedCredentials) {}

  async send(request: RemoteRequest): Promise<RemoteResponse> {
    this.collectCredentials(request);
    const response = await this.inner.send(request);
    const url = new URL(request.url);
    const requestBody = request.body === undefined ? undefined : decodeBody(request.body, request.headers['Content-Type'], 'json');
    const responseBody = decodeBody(response.body, response.headers['content-type'], 'json');
    this.exchanges.push({
      request: {
        method: request.method,
        path: url.pathname,
        ...(url.search ? { query: qs.parse(url.search.slice(1)) as Record<string, string> } : {}),
        ...(requestBody ? { body: requestBody.ok ? requestBody.value : request.body } : {}),
      },
      response: {
        status: response.status,
        headers: Object.fromEntries(Object.entries(response.headers).filter(([k]) => KEPT_RESPONSE_HEADERS.includes(k))),
        ...(response.body === '' ? {} : { body: responseBody.ok ? responseBody.value : response.body }),
      },
    });
    return response;
  }

  stream(request: RemoteRequest): Promise<StreamedResponse> {
    this.collectCredentials(request);
    return this.inner.stream(request);
  }

  private collectCredentials(request: RemoteRequest): void {
    if (!this.credentials) return;
    const { secrets, headers, query } = this.credentials;
    const names = new Set(headers.map((name) => name.toLowerCase()));
    for (const [name, value] of Object.entries(request.headers)) if (names.has(name.toLowerCase())) secrets.addCredential(value);
    const params = new URL(request.url).searchParams;
    for (const name of query) for (const value of params.getAll(name)) secrets.addCredential(value);
  }
}

/**
 * Append a recorded case to a fixture file (created if missing), with every secret value scrubbed and the
 * base URL's host left out (fixtures compare paths only).
 */
export function appendRecordedCase(file: string, resource: string, context: Record<string, unknown>, kase: FixtureCase, secrets: SecretSource): void {
  const scrubbed = redact(kase, secrets);
  const publicContext = redact(context, secrets);
  const doc = existsSync(file)
    ? parseDocument(readFileSync(file, 'utf8'))
    : parseDocument(`# yaml-language-server: $schema=../../../schemas/fixture.schema.json\nunimap: 1\nresource: ${resource}\ncases: []\n`);
  if (!doc.has('context')) doc.set('context', publicContext);
  const cases = doc.get('cases') as { add(value: unknown): void } | undefined;
  if (cases) cases.add(doc.createNode(scrubbed));
  else doc.set('cases', [scrubbed]);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
}
