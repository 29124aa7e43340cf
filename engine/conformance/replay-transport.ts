import { Readable } from 'node:stream';
import qs from 'qs';
import type { RemoteRequest, RemoteResponse, Transport } from '../transport/transport';
import { decodeBody } from '../transport/body-codec';
import { diffValues, isSubset } from './diff';
import type { FixtureExchange } from './fixture';

/** Thrown into the engine when a request differs from the fixture; the runner reports `reason`. */
export class ReplayMismatch extends Error {
  override readonly name = 'ReplayMismatch';
}

/** A Transport that checks each request against the next recorded exchange and answers its response. */
export class ReplayTransport implements Transport {
  private index = 0;
  /** The first mismatch, kept here too: the engine reports whatever a transport throws as its own typed error. */
  mismatch: ReplayMismatch | undefined;

  constructor(private readonly exchanges: FixtureExchange[]) {}

  get used(): number {
    return this.index;
  }

  async send(request: RemoteRequest): Promise<RemoteResponse> {
    const exchange = this.exchanges[this.index];
    const n = this.index + 1;
    if (!exchange) throw this.fail(`remote call ${n} was not expected: ${request.method} ${new URL(request.url).pathname}`);
    this.index += 1;
    const problems = compareRequest(exchange.request, request);
    if (problems.length > 0) throw this.fail(`remote call ${n} differs from the fixture:\n${problems.join('\n')}`);
    return toResponse(exchange.response);
  }

  private fail(message: string): ReplayMismatch {
    this.mismatch ??= new ReplayMismatch(message);
    return this.mismatch;
  }

  async stream(request: RemoteRequest) {
    const response = await this.send(request);
    return { status: response.status, headers: response.headers, stream: Readable.from([response.body]) };
  }
}

function compareRequest(expected: FixtureExchange['request'], actual: RemoteRequest): string[] {
  const url = new URL(actual.url);
  const problems: string[] = [];
  if (expected.method !== actual.method || expected.path !== url.pathname) {
    problems.push(`  expected ${expected.method} ${expected.path}\n  actual   ${actual.method} ${url.pathname}`);
  }
  const query = qs.parse(url.search.slice(1));
  for (const [key, value] of Object.entries(expected.query ?? {})) {
    if (JSON.stringify(query[key]) !== JSON.stringify(value)) problems.push(`  query ${key}: expected ${JSON.stringify(value)}, actual ${JSON.stringify(query[key])}`);
  }
  const headers = Object.fromEntries(Object.entries(actual.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [key, value] of Object.entries(expected.headers ?? {})) {
    if (headers[key.toLowerCase()] !== value) problems.push(`  header ${key}: expected ${JSON.stringify(value)}, actual ${JSON.stringify(headers[key.toLowerCase()])}`);
  }
  if ('body' in expected) {
    const decoded = actual.body === undefined ? undefined : decodeBody(actual.body, headers['content-type'], 'json');
    const body = decoded && decoded.ok ? decoded.value : actual.body;
    const same = expected.body_partial ? isSubset(expected.body, body) : JSON.stringify(sortKeys(expected.body)) === JSON.stringify(sortKeys(body));
    if (!same) problems.push(`  body differs:\n${diffValues(expected.body, body, '    ')}`);
  }
  return problems;
}

function toResponse(response: FixtureExchange['response']): RemoteResponse {
  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const body = response.body === undefined ? '' : typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  if (typeof response.body === 'object' && response.body !== null) headers['content-type'] ??= 'application/json';
  return { status: response.status ?? 200, headers, body };
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  return value;
}
