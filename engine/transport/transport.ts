import axios, { type AxiosInstance } from 'axios';
import type { Readable } from 'node:stream';
import type { HttpMethod } from '../definition';
import { UnimapError } from '../errors';

/** A fully built remote request; the transport only moves bytes. */
export interface RemoteRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface RemoteResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface StreamedResponse {
  status: number;
  headers: Record<string, string>;
  stream: Readable;
}

/**
 * How requests leave the engine. The default is axios; conformance tests replay recorded responses
 * through their own Transport. Implementations throw UNIMAP_E_REMOTE_TIMEOUT / UNIMAP_E_REMOTE_NETWORK
 * and return every HTTP status as a response.
 */
export interface Transport {
  send(request: RemoteRequest): Promise<RemoteResponse>;
  stream(request: RemoteRequest): Promise<StreamedResponse>;
}

const USER_AGENT = 'unimap/0.1';

export function createAxiosTransport(instance: AxiosInstance = axios.create()): Transport {
  const base = (request: RemoteRequest) => ({
    method: request.method,
    url: request.url,
    // Without a body axios would add a form content type that some APIs reject; `false` tells it to send none.
    headers: request.body === undefined ? { 'User-Agent': USER_AGENT, ...request.headers, 'Content-Type': false } : { 'User-Agent': USER_AGENT, ...request.headers },
    data: request.body,
    timeout: request.timeoutMs,
    validateStatus: () => true,
    maxRedirects: 0, // a redirect could carry credentials to another host
    transitional: { silentJSONParsing: true, forcedJSONParsing: false, clarifyTimeoutError: true },
  });
  return {
    async send(request) {
      try {
        const response = await instance.request<string>({ ...base(request), responseType: 'text', transformResponse: (data: string) => data });
        return { status: response.status, headers: lowerCaseHeaders(response.headers), body: response.data ?? '' };
      } catch (error) {
        throw networkError(error, request);
      }
    },
    async stream(request) {
      try {
        const response = await instance.request<Readable>({ ...base(request), responseType: 'stream' });
        return { status: response.status, headers: lowerCaseHeaders(response.headers), stream: response.data };
      } catch (error) {
        throw networkError(error, request);
      }
    },
  };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function networkError(error: unknown, request: RemoteRequest): UnimapError {
  const code = (error as { code?: string }).code;
  const host = safeHost(request.url);
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new UnimapError('UNIMAP_E_REMOTE_TIMEOUT', `${host} did not answer within ${request.timeoutMs} ms`, { cause: code });
  }
  return new UnimapError('UNIMAP_E_REMOTE_NETWORK', `cannot reach ${host}: ${code ?? 'network error'}`, { cause: code });
}

/** Only the origin, so a URL carrying a token in its query never reaches a message. */
function safeHost(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the remote API';
  }
}
