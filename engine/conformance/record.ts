import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import qs from 'qs';
import { parseDocument } from 'yaml';
import { redact } from '../accounts/resolve-context';
import { decodeBody } from '../transport/body-codec';
import type { RemoteRequest, RemoteResponse, StreamedResponse, Transport } from '../transport/transport';
import type { FixtureCase, FixtureExchange } from './fixture';

/** Headers worth keeping in a fixture: the ones mappings and pagination read. Auth headers are never kept. */
const KEPT_RESPONSE_HEADERS = ['content-type', 'link', 'retry-after', 'x-total-count', 'x-next-page', 'etag', 'location'];

/** A Transport that passes calls through and remembers each exchange, for turning live behaviour into a fixture. */
export class RecordingTransport implements Transport {
  readonly exchanges: FixtureExchange[] = [];

  constructor(private readonly inner: Transport) {}

  async send(request: RemoteRequest): Promise<RemoteResponse> {
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
    return this.inner.stream(request);
  }
}

/**
 * Append a recorded case to a fixture file (created if missing), with every secret value scrubbed and the
 * base URL's host left out (fixtures compare paths only).
 */
export function appendRecordedCase(file: string, resource: string, context: Record<string, unknown>, kase: FixtureCase, secrets: string[]): void {
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
