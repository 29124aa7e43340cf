import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createAxiosTransport, createEngine, type Engine, type IntegratedAccount } from '../../engine';
import { ada } from '../helpers/okta-fixture';
import { rejection } from '../helpers/provider-harness';
import { registryWithEditedIntegration, startHostileServer, timed, type Handler, type HostileServer } from './hostile-server';

/**
 * Remote faults against real HTTP servers on 127.0.0.1: deadlines that a dripping server cannot stretch, size caps a
 * compression bomb cannot pass, undecodable answers that are not "cannot reach", bounded error bodies, and creates
 * whose outcome is unknown not being marked retriable.
 */
const TOKEN = 'okta-faults-secret-token-0123456789';
const UD = 'user-directory';
const JSON_TYPE = { 'content-type': 'application/json' };
const MiB = 1024 * 1024;
/** A bound that proves "no hang", not a speed: the faults below would otherwise take 10 s or forever. */
const NO_HANG_MS = 4000;

let server: HostileServer;
let closedPort: number;
let engine: Engine; // shipped Okta: timeout_ms 30 s, max_response_bytes 10 MiB
let quick: Engine; // timeout_ms 1000, max_response_bytes 64 KiB
let roomy: Engine; // max_response_bytes 32 MiB

const account = (id: string, url: string): IntegratedAccount => ({ id, integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: url });
const ACCT = { integratedAccountId: 'a' };

beforeAll(async () => {
  server = await startHostileServer();
  closedPort = await freePort();
  const accounts = [account('a', server.url), account('refused', `http://127.0.0.1:${closedPort}`)];
  engine = createEngine({ accounts, maxRetryWaitMs: 5000 });
  quick = createEngine({
    mappings: registryWithEditedIntegration('okta', (yaml) => yaml.replace('\npagination:', '\ntimeout_ms: 1000\nmax_response_bytes: 65536\npagination:')),
    accounts,
    maxRetryWaitMs: 5000,
  });
  roomy = createEngine({ mappings: registryWithEditedIntegration('okta', (yaml) => yaml.replace('\npagination:', '\nmax_response_bytes: 33554432\npagination:')), accounts });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.handle = answer(200, '[]');
});

function answer(status: number, body: string | Buffer, headers: Record<string, string> = JSON_TYPE): Handler {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** Nothing typed may carry the token, whatever the remote echoed. */
function expectNoSecret(error: unknown): void {
  expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()) + String((error as Error).message)).not.toContain(TOKEN);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const dripBody: Handler = (_req, res) => {
  res.writeHead(200, JSON_TYPE);
  res.write('[');
  const timer = setInterval(() => res.write(' '), 300);
  res.on('close', () => clearInterval(timer));
};

const dripHeaders: Handler = (req) => {
  const socket = req.socket;
  socket.write('HTTP/1.1 200 OK\r\n');
  let n = 0;
  const timer = setInterval(() => socket.write(`x-drip-${n++}: 1\r\n`), 300);
  socket.on('close', () => clearInterval(timer));
};

const silent: Handler = () => undefined;

describe('class 6: a total deadline per request and per call', () => {
  test('a body dripping a byte every 300 ms fails at timeout_ms 1000 as UNIMAP_E_REMOTE_TIMEOUT (total deadline), sent once', async () => {
    server.handle = dripBody;
    const { ms, error } = await timed(quick.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT', status: 504, retriable: true });
    expect((error as Error).message).toContain('total deadline');
    expect(ms).toBeLessThan(NO_HANG_MS);
    expect(server.requests).toHaveLength(1);
  });

  test('headers dripping one line every 300 ms fail the same way', async () => {
    server.handle = dripHeaders;
    const { ms, error } = await timed(quick.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT' });
    expect(ms).toBeLessThan(NO_HANG_MS);
  });

  test('the axios transport bounds a dripping body on its own too', async () => {
    server.handle = dripBody;
    const { ms, error } = await timed(createAxiosTransport().send({ method: 'GET', url: `${server.url}/x`, headers: {}, timeoutMs: 1000 }));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT' });
    expect(ms).toBeLessThan(NO_HANG_MS);
  });

  test('callDeadlineMs bounds a call whose integration allows 30 s, and the message names the call deadline', async () => {
    const bounded = createEngine({ accounts: [account('a', server.url)], callDeadlineMs: 1200 });
    for (const handle of [silent, dripBody]) {
      server.handle = handle;
      const { ms, error } = await timed(bounded.list(UD, 'users', ACCT));
      expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT' });
      expect((error as Error).message).toContain('call deadline');
      expect(ms).toBeLessThan(NO_HANG_MS);
    }
  });

  test('the call deadline spans before steps: a delete whose steps each take 500 ms stops at 1200 ms', async () => {
    server.handle = (req, res) => setTimeout(() => {
      if (req.method === 'GET') answer(200, JSON.stringify({ id: 'u1', status: 'ACTIVE' }))(req, res, undefined as never);
      else answer(req.method === 'DELETE' ? 204 : 200, req.method === 'DELETE' ? '' : '{}')(req, res, undefined as never);
    }, 500);
    const bounded = createEngine({ accounts: [account('a', server.url)], callDeadlineMs: 1200 });
    const { ms, error } = await timed(bounded.delete(UD, 'users', 'u1', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT', message: expect.stringContaining('call deadline') });
    expect(ms).toBeLessThan(NO_HANG_MS);
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'DELETE']);
  });

  test('the stream format: the deadline covers the wait for headers; a dripping body is handed over, not buffered', async () => {
    const streamCall = { category: UD, resource: 'users', method: 'list', integratedAccountId: 'a', query: { truto_response_format: 'stream' } };
    server.handle = silent;
    const waited = await timed(quick.call(streamCall));
    expect(waited.error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT' });
    expect(waited.ms).toBeLessThan(NO_HANG_MS);
    server.handle = dripBody;
    const started = Date.now();
    const outcome = await quick.call(streamCall);
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    expect(outcome.kind).toBe('stream');
    const { stream } = outcome.result as { stream: NodeJS.ReadableStream & { destroy(): void } };
    const first = await new Promise<string>((resolve) => stream.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    expect(first.startsWith('[')).toBe(true);
    stream.destroy();
  });

  test('a list is retried on 503 with Retry-After 0', async () => {
    let calls = 0;
    server.handle = (req, res, seen) => (calls++ === 0 ? answer(503, '{}', { ...JSON_TYPE, 'retry-after': '0' }) : answer(200, '[]'))(req, res, seen);
    expect(await engine.list(UD, 'users', ACCT)).toMatchObject({ result: [] });
    expect(server.requests).toHaveLength(2);
  });

  test('a retry whose Retry-After the call deadline cannot cover is not started: the last answer is reported', async () => {
    const bounded = createEngine({ accounts: [account('a', server.url)], callDeadlineMs: 2000, maxRetryWaitMs: 10_000 });
    server.handle = answer(503, JSON.stringify({ errorSummary: 'maintenance' }), { ...JSON_TYPE, 'retry-after': '3' });
    const unavailable = await timed(bounded.list(UD, 'users', ACCT));
    expect(unavailable.error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, remote: { status: 503 } });
    expect(unavailable.ms).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
    server.requests.length = 0;
    server.handle = answer(429, JSON.stringify({ errorSummary: 'slow down' }), { ...JSON_TYPE, 'retry-after': '3' });
    const limited = await timed(bounded.list(UD, 'users', ACCT));
    expect(limited.error).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', retryAfterSeconds: 3 });
    expect(limited.ms).toBeLessThan(1500);
    expect(server.requests).toHaveLength(1);
  });
});

describe('class 6: decoded bodies are capped (max_response_bytes)', () => {
  const zeros = (n: number) => Buffer.alloc(n, 0x20);
  const oneMiBGzip = gzipSync(zeros(MiB), { level: 9 });
  const bombs: Array<[string, () => Buffer, string]> = [
    ['gzip, 1 GiB in 1024 members', () => Buffer.concat(Array<Buffer>(1024).fill(oneMiBGzip)), 'gzip'],
    ['gzip, 64 MiB in one member', () => gzipSync(zeros(64 * MiB), { level: 9 }), 'gzip'],
    ['x-gzip', () => gzipSync(zeros(32 * MiB)), 'x-gzip'],
    ['deflate (zlib)', () => deflateSync(zeros(64 * MiB), { level: 9 }), 'deflate'],
    ['deflate (raw)', () => deflateRawSync(zeros(64 * MiB), { level: 9 }), 'deflate'],
    ['br', () => brotliCompressSync(zeros(64 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }), 'br'],
    ['gzip inside br', () => brotliCompressSync(gzipSync(zeros(64 * MiB), { level: 9 })), 'gzip, br'],
  ];

  test.each(bombs)('a compression bomb (%s) is UNIMAP_E_REMOTE_BODY_TOO_LARGE, requested once', async (_name, make, encoding) => {
    const bomb = make();
    expect(bomb.length).toBeLessThan(2 * MiB);
    server.handle = answer(200, bomb, { ...JSON_TYPE, 'content-encoding': encoding });
    const { ms, error } = await timed(engine.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_TOO_LARGE', status: 502, retriable: false, details: { max_response_bytes: 10 * MiB } });
    expect((error as Error).message).not.toContain('cannot reach');
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(NO_HANG_MS);
  });

  test('an uncompressed answer past the cap is cut off; the error keeps a bounded, redacted start', async () => {
    server.handle = answer(200, `[${JSON.stringify({ echo: TOKEN })},${'{"id":"x"},'.repeat(100_000)}{}]`);
    const error = await rejection(quick.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_TOO_LARGE', remote: { status: 200 }, details: { max_response_bytes: 65536 } });
    expect(JSON.stringify((error as { remote: unknown }).remote).length).toBeLessThanOrEqual(16 * 1024 + 100);
    expectNoSecret(error);
    expect(server.requests).toHaveLength(1);
  });

  test('an answer just under the cap, and valid compressed answers, still work', async () => {
    const records = Array.from({ length: 500 }, (_, i) => ({ id: `u${i}`, status: 'ACTIVE', profile: { firstName: 'Ada' } }));
    const body = JSON.stringify(records);
    expect(body.length).toBeLessThan(65536);
    server.handle = answer(200, body);
    expect((await quick.list(UD, 'users', ACCT)).result).toHaveLength(500);
    for (const [encoding, encoded] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['deflate', deflateRawSync(body)], ['br', brotliCompressSync(body)]] as const) {
      server.handle = answer(200, encoded, { ...JSON_TYPE, 'content-encoding': encoding });
      expect((await quick.list(UD, 'users', ACCT)).result).toHaveLength(500);
    }
  });
});

describe('class 13: undecodable answers have their own code and are not retried', () => {
  const valid = gzipSync(JSON.stringify([{ id: 'u1' }]));
  // Text that does not compress to a few bytes, so cutting its compressed form really loses data.
  const varied = Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => `user${(i * 7919) % 10007}`)));
  const truncatedHalf = (data: Buffer) => data.subarray(0, Math.floor(data.length / 2));
  const corrupt: Array<[string, Buffer, string]> = [
    ['gzip garbage', Buffer.from('this is not gzip at all, just bytes'), 'gzip'],
    ['truncated gzip', valid.subarray(0, valid.length - 12), 'gzip'],
    ['gzip with a corrupted middle', Buffer.concat([valid.subarray(0, 12), Buffer.alloc(16, 0xff), valid.subarray(28)]), 'gzip'],
    ['deflate garbage', Buffer.from('xx not deflate'), 'deflate'],
    ['br garbage', Buffer.from('definitely not brotli!!'), 'br'],
    ['truncated br', truncatedHalf(brotliCompressSync(varied)), 'br'],
    ['truncated deflate', truncatedHalf(deflateSync(varied)), 'deflate'],
  ];

  test.each(corrupt)('%s is UNIMAP_E_REMOTE_BODY_UNDECODABLE, sent once', async (_name, body, encoding) => {
    server.handle = answer(200, body, { ...JSON_TYPE, 'content-encoding': encoding });
    const error = await rejection(engine.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_UNDECODABLE', status: 502, retriable: false });
    expect((error as Error).message).not.toContain('cannot reach');
    expect(server.requests).toHaveLength(1);
  });

  const malformed: Array<[string, Handler]> = [
    ['a 64 KB header', (_req, res) => {
      res.writeHead(200, { ...JSON_TYPE, 'x-huge': 'a'.repeat(64 * 1024) });
      res.end('[]');
    }],
    ['a thousand headers of 100 bytes', (_req, res) => {
      for (let i = 0; i < 1000; i++) res.setHeader(`x-h${i}`, 'b'.repeat(100));
      res.end('[]');
    }],
    ['an invalid status line', (req) => req.socket.end('HTTP/1.1 abc OK\r\n\r\n')],
    ['not HTTP at all', (req) => req.socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')],
  ];

  test.each(malformed)('%s is UNIMAP_E_REMOTE_BODY_UNDECODABLE, sent once', async (_name, handle) => {
    server.handle = handle;
    const error = await rejection(engine.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_UNDECODABLE', retriable: false });
    expect((error as Error).message).not.toContain('cannot reach');
    expect(server.requests).toHaveLength(1);
  });
});

describe('class 6: what an error keeps of the remote body is bounded', () => {
  const huge = (n: number) => JSON.stringify({ errorCode: 'E0000009', errorSummary: `${TOKEN} ${'x'.repeat(n)}`, errorCauses: [] });

  test('a 20 MB error body with the default cap: BODY_TOO_LARGE with the status and a bounded start', async () => {
    server.handle = answer(500, huge(20 * MiB));
    const error = await rejection(engine.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_TOO_LARGE', remote: { status: 500 } });
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()).length).toBeLessThan(20_000);
    expectNoSecret(error);
    expect(server.requests).toHaveLength(1);
  });

  test('a 20 MB error body within a raised cap: UNIMAP_E_REMOTE_HTTP with remote.body and the message bounded', async () => {
    server.handle = answer(500, huge(20 * MiB));
    const error = await rejection(roomy.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', status: 502, remote: { status: 500 } });
    expect(JSON.stringify((error as { remote: { body: unknown } }).remote.body).length).toBeLessThanOrEqual(16 * 1024);
    expect((error as Error).message.length).toBeLessThan(1200);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON()).length).toBeLessThan(20_000);
    expectNoSecret(error);
  });

  test('text and escape-heavy error bodies are bounded in their serialised form; small ones stay whole', async () => {
    const bodies: Array<[string, Record<string, string>]> = [
      ['<html>'.repeat(400_000), { 'content-type': 'text/html' }],
      [JSON.stringify({ errorSummary: '"\\\n\u0001'.repeat(200_000) }), JSON_TYPE],
      [JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ i, note: 'é😀' }))), JSON_TYPE],
    ];
    for (const [body, headers] of bodies) {
      server.handle = answer(502, body, headers);
      const error = await rejection(engine.list(UD, 'users', ACCT));
      expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', remote: { status: 502 } });
      expect(JSON.stringify((error as { remote: { body: unknown } }).remote.body).length).toBeLessThanOrEqual(16 * 1024);
    }
    server.handle = answer(400, JSON.stringify({ errorCode: 'E0000001', errorSummary: 'bad', errorCauses: [{ errorSummary: 'login' }] }));
    expect(await rejection(engine.list(UD, 'users', ACCT))).toMatchObject({ remote: { body: { errorCode: 'E0000001', errorCauses: [{ errorSummary: 'login' }] } } });
  });
});

describe('class 11: creates whose outcome is unknown are not retriable', () => {
  const create = (e: Engine = engine, id = 'a') => rejection(e.create(UD, 'users', ada, { integratedAccountId: id }));

  test('a create answered 500 (or 502, 504) may have been applied: retriable false, outcome unknown', async () => {
    for (const status of [500, 502, 504]) {
      server.requests.length = 0;
      server.handle = answer(status, JSON.stringify({ errorSummary: 'internal' }));
      const error = await create();
      expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', retriable: false, details: { outcome: 'unknown' }, remote: { status } });
      expect((error as Error).message).toContain('outcome is unknown');
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.method).toBe('POST');
    }
  });

  test('a create that timed out after it was sent: UNIMAP_E_REMOTE_TIMEOUT, retriable false, outcome unknown', async () => {
    server.handle = silent;
    const { ms, error } = await timed(quick.create(UD, 'users', ada, ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_TIMEOUT', retriable: false, details: { outcome: 'unknown' } });
    expect(ms).toBeLessThan(NO_HANG_MS);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ profile: { firstName: 'Ada' } });
  });

  test('a create whose connection is reset after the request was received: retriable false, outcome unknown', async () => {
    for (const handle of [((req) => req.socket.destroy()) as Handler, ((req, res) => {
      res.writeHead(201, JSON_TYPE);
      res.write('{"id":');
      setTimeout(() => req.socket.destroy(), 20);
    }) as Handler]) {
      server.requests.length = 0;
      server.handle = handle;
      const error = await create();
      expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_NETWORK', retriable: false, details: { outcome: 'unknown' } });
      expect(server.requests).toHaveLength(1);
    }
  });

  test('a create that never connected (ECONNREFUSED) was not applied: retriable true', async () => {
    const error = await create(engine, 'refused');
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_NETWORK', retriable: true, details: { outcome: 'not_applied' } });
    expect((error as Error).message).toContain('cannot reach');
  });

  test('a rate-limited create (429, or 503 with Retry-After) was not applied: retriable true, sent once', async () => {
    server.handle = answer(429, JSON.stringify({ errorSummary: 'slow down' }), { ...JSON_TYPE, 'retry-after': '1' });
    expect(await create()).toMatchObject({ code: 'UNIMAP_E_REMOTE_RATE_LIMITED', retriable: true, details: { outcome: 'not_applied' } });
    server.handle = answer(503, JSON.stringify({ errorSummary: 'maintenance' }), { ...JSON_TYPE, 'retry-after': '1' });
    expect(await create()).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', retriable: true, details: { outcome: 'not_applied' } });
    server.handle = answer(503, JSON.stringify({ errorSummary: 'down' }));
    expect(await create()).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', retriable: false, details: { outcome: 'unknown' } });
    expect(server.requests).toHaveLength(3);
  });

  test('a create answered with an oversized or undecodable body has an unknown outcome', async () => {
    server.handle = answer(201, gzipSync(Buffer.alloc(64 * MiB)), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(await create()).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_TOO_LARGE', retriable: false, details: { outcome: 'unknown' } });
    server.handle = answer(201, Buffer.from('garbage'), { ...JSON_TYPE, 'content-encoding': 'gzip' });
    expect(await create()).toMatchObject({ code: 'UNIMAP_E_REMOTE_BODY_UNDECODABLE', retriable: false, details: { outcome: 'unknown' } });
  });

  test('reads keep their behaviour: a list answered 500 stays retriable, without an outcome', async () => {
    server.handle = answer(500, JSON.stringify({ errorSummary: 'internal' }));
    const error = await rejection(engine.list(UD, 'users', ACCT));
    expect(error).toMatchObject({ code: 'UNIMAP_E_REMOTE_HTTP', retriable: true });
    expect((error as { details: unknown }).details).toBeUndefined();
  });
});
