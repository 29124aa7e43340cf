import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import type { HttpMethod } from '../definition';
import { UnimapError, isUnimapError } from '../errors';
import { assertPublicHost, createGuardedLookup, isExplicitlyAllowed, parseAllowedHosts } from './host-policy';
import { markRequestWritten } from './outcome';
import { decodeContent, readRawBody } from './read-body';

/** A fully built remote request; the transport only moves bytes. */
export interface RemoteRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Total deadline of the exchange, from connecting to the last body byte: timeout_ms, or less when the call's deadline is nearer. */
  timeoutMs: number;
  /** Largest body accepted, counted after decompression (the integration's max_response_bytes; default 10 MiB). */
  maxResponseBytes?: number;
  /**
   * The host came from account context through the integration's base_url template, not from an operator's
   * base_url: the axios transport lets it reach public addresses only. Other transports may ignore it.
   */
  hostFromContext?: boolean;
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
 * (and the axios one UNIMAP_E_REMOTE_BODY_TOO_LARGE / _BODY_UNDECODABLE / UNIMAP_E_REQ_HOST_NOT_ALLOWED)
 * and return every HTTP status as a response.
 */
export interface Transport {
  send(request: RemoteRequest): Promise<RemoteResponse>;
  stream(request: RemoteRequest): Promise<StreamedResponse>;
}

export interface AxiosTransportOptions {
  /** Hosts (`host` or `host:port`, `[v6]:port`) a context-formed URL may reach although loopback, private or link-local. */
  allowedHosts?: readonly string[];
  /** Resolver for context-formed hosts, each answer checked (default dns.lookup); for custom DNS such as a caching resolver. */
  lookup?: LookupFunction;
}

const USER_AGENT = 'unimap/0.1';
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** The start of an oversized answer kept for its error (the caller redacts it, then cuts it to the error size). */
const OVERSIZED_PREFIX_BYTES = 64 * 1024;
/** What the send path can decode itself (see read-body.ts); `compress` (LZW) is not offered. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

export function createAxiosTransport(instance: AxiosInstance = axios.create(), options: AxiosTransportOptions = {}): Transport {
  const allowed = parseAllowedHosts(options.allowedHosts ?? []);
  // Own agents for context-formed hosts: every pooled socket in them was checked, and none is shared with operator hosts.
  const guarded = agentsWith(createGuardedLookup(options.lookup));
  const allowedAgents = options.lookup ? agentsWith(options.lookup) : {};
  /** Refuse a context-formed literal host before anything is sent; pick the agents that check resolved addresses. */
  const route = (request: RemoteRequest): Pick<AxiosRequestConfig, 'httpAgent' | 'httpsAgent'> => {
    if (!request.hostFromContext) return {};
    const url = new URL(request.url);
    if (isExplicitlyAllowed(url, allowed)) return allowedAgents;
    assertPublicHost(url);
    return guarded;
  };
  const base = (request: RemoteRequest) => ({
    method: request.method,
    url: request.url,
    // Without a body axios would add a form content type that some APIs reject; `false` tells it to send none.
    headers: request.body === undefined ? { 'User-Agent': USER_AGENT, ...request.headers, 'Content-Type': false } : { 'User-Agent': USER_AGENT, ...request.headers },
    data: request.body,
    validateStatus: () => true,
    maxRedirects: 0, // a redirect could carry credentials to another host
    transitional: { silentJSONParsing: true, forcedJSONParsing: false, clarifyTimeoutError: true },
  });
  return {
    async send(request) {
      const agents = route(request);
      const exchange = startExchange(request.timeoutMs);
      const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
      try {
        const config = base(request);
        // Decompression is done here, not by axios: its stream ignores a truncated gzip and counts no decoded bytes for a cap.
        const response = await instance.request<Readable>({
          ...config, ...agents, headers: { 'Accept-Encoding': ACCEPT_ENCODING, ...config.headers },
          responseType: 'stream', decompress: false, maxContentLength: -1, signal: exchange.signal, transport: exchange.transport,
        });
        const headers = lowerCaseHeaders(response.headers);
        const raw = await readRawBody(response.data, limit, exchange.signal);
        const encoding = headers['content-encoding'];
        const decoded = raw.overflow ? { kind: 'too_large' as const } : await decodeContent(raw.bytes, encoding, limit);
        if (decoded.kind === 'too_large') throw bodyTooLarge(request, response.status, limit, encoding ? '' : raw.bytes.subarray(0, OVERSIZED_PREFIX_BYTES).toString('utf8'));
        if (decoded.kind === 'undecodable') {
          throw new UnimapError('UNIMAP_E_REMOTE_BODY_UNDECODABLE', `${safeHost(request.url)} answered ${response.status} with a body that does not decode (${decoded.reason})`, { remote: { status: response.status, body: null } });
        }
        if (decoded.decoded) delete headers['content-encoding'];
        return { status: response.status, headers, body: decoded.text };
      } catch (error) {
        throw markRequestWritten(transportError(error, request, exchange), exchange.written());
      } finally {
        exchange.end();
      }
    },
    async stream(request) {
      const agents = route(request);
      const exchange = startExchange(request.timeoutMs);
      try {
        const response = await instance.request<Readable>({ ...base(request), ...agents, responseType: 'stream', signal: exchange.signal, transport: exchange.transport });
        return { status: response.status, headers: lowerCaseHeaders(response.headers), stream: response.data };
      } catch (error) {
        throw markRequestWritten(transportError(error, request, exchange), exchange.written());
      } finally {
        // The deadline covers the wait for the answer's headers; the body is the caller's to read at its own pace.
        exchange.end();
      }
    },
  };
}

function agentsWith(lookup: LookupFunction): Pick<AxiosRequestConfig, 'httpAgent' | 'httpsAgent'> {
  return { httpAgent: new http.Agent({ keepAlive: true, lookup }), httpsAgent: new https.Agent({ keepAlive: true, lookup }) };
}

interface Exchange {
  signal: AbortSignal;
  /** An axios `transport` that notes when the request has been fully written to the connection. */
  transport: { request(options: http.RequestOptions, callback: (res: http.IncomingMessage) => void): http.ClientRequest };
  timedOut(): boolean;
  written(): boolean;
  end(): void;
}

/** One exchange's total deadline (axios' own timeout is per socket idleness, so a dripping body would outlive it). */
function startExchange(timeoutMs: number): Exchange {
  const controller = new AbortController();
  let timedOut = false;
  let written = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  return {
    signal: controller.signal,
    transport: {
      request(options, callback) {
        const request = (options.protocol === 'https:' ? https : http).request(options, callback);
        // 'finish' fires once the whole request reached the connection, and never when the connection failed first.
        request.once('finish', () => {
          written = true;
        });
        return request;
      },
    },
    timedOut: () => timedOut,
    written: () => written,
    end: () => clearTimeout(timer),
  };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** A failure without a usable answer, by what it really was: only a failed connection is "cannot reach". */
function transportError(error: unknown, request: RemoteRequest, exchange: Exchange): UnimapError {
  if (isUnimapError(error)) return error;
  // The guarded lookup's refusal arrives wrapped by the socket and axios.
  const cause = (error as { cause?: unknown }).cause;
  if (isUnimapError(cause)) return cause;
  const host = safeHost(request.url);
  if (exchange.timedOut()) {
    return new UnimapError('UNIMAP_E_REMOTE_TIMEOUT', `${host} did not complete the exchange within ${request.timeoutMs} ms (the total deadline of one request, body included)`, { cause: 'deadline' });
  }
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return new UnimapError('UNIMAP_E_REMOTE_TIMEOUT', `${host} went idle past its timeout (${code})`, { cause: code });
  }
  if (code && (code.startsWith('HPE_') || /^(Z_|ERR__ERROR_|ERR_BROTLI|ERR_ZSTD)/.test(code))) {
    return new UnimapError('UNIMAP_E_REMOTE_BODY_UNDECODABLE', `${host} sent an answer that is not valid HTTP or does not decode (${code}${code === 'HPE_HEADER_OVERFLOW' ? ': headers too large' : ''})`, { cause: code });
  }
  if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as { message?: unknown }).message))) {
    return bodyTooLarge(request, undefined, request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, '');
  }
  const what = exchange.written() ? `${host} dropped the connection after the request was sent` : `cannot reach ${host}`;
  return new UnimapError('UNIMAP_E_REMOTE_NETWORK', `${what}: ${code ?? 'network error'}`, { cause: code });
}

function bodyTooLarge(request: RemoteRequest, status: number | undefined, limit: number, start: string): UnimapError {
  const answered = status === undefined ? 'answered' : `answered ${status}`;
  return new UnimapError('UNIMAP_E_REMOTE_BODY_TOO_LARGE', `${safeHost(request.url)} ${answered} with a body larger than ${limit} bytes (max_response_bytes, counted after decompression); it was cut off, not retried`, {
    ...(status === undefined ? {} : { remote: { status, body: start } }),
    details: { max_response_bytes: limit },
  });
}

/** Only the origin, so a URL carrying a token in its query never reaches a message. */
function safeHost(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the remote API';
  }
}
