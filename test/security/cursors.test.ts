/**
 * Forged, edited and replayed next_cursor values, and provider next links to another host, against the real
 * engine, the Okta simulator and plain servers on 127.0.0.1. Every refused cursor is UNIMAP_E_REQ_INVALID_CURSOR
 * with nothing sent; a next link off the provider's origin is UNIMAP_E_REMOTE_PAGINATION at the page that gave it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, isUnimapError, type CallQuery, type Engine, type IntegratedAccount, type ListResult } from '../../engine';
import { sealCursor } from '../../engine/transport/cursor-codec';
import { oktaSimulator } from '../../engine/sandbox/providers/okta';
import { startSimulator, type RunningSimulator } from '../../engine/sandbox/simulator';
import { join } from 'node:path';
import { editFile, useOktaCopy } from '../helpers/definition-copy';
import { rejection } from '../helpers/provider-harness';

const UD = 'user-directory';
const TOKEN = 'cursor-canary-token-93be1f';
const KEY = 'k'.repeat(16) + randomBytes(24).toString('hex');
const A = { integratedAccountId: 'acme' };

let sim: RunningSimulator;
let evil: CountingServer;
let engine: Engine;

const accounts = (url: string): IntegratedAccount[] => [
  { id: 'acme', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: url },
  { id: 'other', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: url },
];

beforeAll(async () => {
  sim = await startSimulator(oktaSimulator, { api_token: TOKEN });
  evil = await startCountingServer();
  engine = createEngine({ accounts: accounts(sim.url), cursorKey: KEY, maxRetryWaitMs: 0 });
});
afterAll(async () => {
  await sim.close();
  await evil.close();
});
beforeEach(() => {
  sim.store.clear();
  sim.requests.length = 0;
  evil.requests.length = 0;
  for (const n of [1, 2, 3]) {
    const at = `2026-01-0${n}T00:00:00.000Z`;
    sim.store.insert(`00u${n}`, { id: `00u${n}`, status: 'ACTIVE', created: at, lastUpdated: at, profile: { firstName: `User${n}`, lastName: 'Test', email: `u${n}@example.com`, login: `u${n}@example.com` } });
  }
});

const list = (query: CallQuery, account = A, on: Engine = engine) => on.list(UD, 'users', { ...account, query }) as Promise<ListResult>;

/** The first page's cursor (limit 1), with the request log emptied afterwards. */
async function firstCursor(on: Engine = engine, account = A): Promise<string> {
  const page = await list({ limit: 1 }, account, on);
  sim.requests.length = 0;
  return page.next_cursor!;
}

/** The code a refused call fails with; its JSON never carries the account's token. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (!isUnimapError(error)) throw new Error(`expected a UnimapError, got ${String(error)}`);
  expect(JSON.stringify(error.toJSON())).not.toContain(TOKEN);
  return error.code;
}

async function expectRefused(cursor: unknown, account = A, on: Engine = engine): Promise<void> {
  expect(await codeOf(list({ next_cursor: cursor } as CallQuery, account, on))).toBe('UNIMAP_E_REQ_INVALID_CURSOR');
  expect(sim.requests).toHaveLength(0);
  expect(evil.requests).toHaveLength(0);
}

const oneUserPage = [{ id: '00u1', status: 'ACTIVE', created: '2026-01-01T00:00:00.000Z', profile: { firstName: 'A', lastName: 'B', email: 'a@example.com', login: 'a@example.com' } }];
const decodePayload = (cursor: string): Record<string, unknown> => JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
const encodePayload = (payload: unknown): string => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('a real walk still works', () => {
  test('limit 1 walks every page behind signed cursors, and the last page has none', async () => {
    const seen: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ limit: 1, ...(cursor ? { next_cursor: cursor } : {}) });
      seen.push(...page.result.map((u) => u.id));
      cursor = page.next_cursor ?? undefined;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(['00u1', '00u2', '00u3']);
    expect(pages).toBe(3);
    expect(sim.requests.every((r) => r.headers['authorization'] === `SSWS ${TOKEN}`)).toBe(true);
  });

  test('next_cursor= (empty, as SDKs send on the first page) is the first page', async () => {
    const page = await list({ limit: 1, next_cursor: '' });
    expect(page.result.map((u) => u.id)).toEqual(['00u1']);
    expect(sim.requests[0]!.url).toBe('/api/v1/users?limit=1');
  });

  test('two engines sharing a cursorKey accept each other\'s cursors; the page limit travels in the cursor', async () => {
    const twin = createEngine({ accounts: accounts(sim.url), cursorKey: Buffer.from(KEY) });
    const second = await list({ next_cursor: await firstCursor() }, A, twin);
    expect(second.result.map((u) => u.id)).toEqual(['00u2']);
    expect(sim.requests[0]!.url).toBe(`/api/v1/users?after=00u1&limit=1`);
  });

  test('UNIMAP_CURSOR_KEY is the default key: engines of one deployment share cursors', async () => {
    const saved = process.env['UNIMAP_CURSOR_KEY'];
    process.env['UNIMAP_CURSOR_KEY'] = KEY;
    try {
      const one = createEngine({ accounts: accounts(sim.url) });
      const two = createEngine({ accounts: accounts(sim.url) });
      expect((await list({ next_cursor: await firstCursor(one) }, A, two)).result.map((u) => u.id)).toEqual(['00u2']);
      expect((await list({ next_cursor: await firstCursor(one) }, A, engine)).result.map((u) => u.id)).toEqual(['00u2']);
    } finally {
      if (saved === undefined) delete process.env['UNIMAP_CURSOR_KEY'];
      else process.env['UNIMAP_CURSOR_KEY'] = saved;
    }
  });
});

describe('cursors that were not signed for this call: UNIMAP_E_REQ_INVALID_CURSOR, nothing sent', () => {
  test('every single-character change of a real cursor is refused', async () => {
    const cursor = await firstCursor();
    for (let i = 0; i < cursor.length; i++) {
      const swapped = cursor[i] === 'A' ? 'B' : 'A';
      await expectRefused(cursor.slice(0, i) + swapped + cursor.slice(i + 1));
    }
  });

  test('cut, extended, split or rejoined cursors are refused', async () => {
    const cursor = await firstCursor();
    const [payload, mac] = cursor.split('.') as [string, string];
    for (const variant of [payload, `${payload}.`, `.${mac}`, mac, cursor.slice(0, -1), `${cursor}A`, `${cursor}.${mac}`, `${payload}=.${mac}`, `${payload}.${mac}=`, ` ${cursor}`, `${cursor}\n`, '.', 'not-a-cursor', 'A'.repeat(40_000)]) {
      await expectRefused(variant);
    }
  });

  test.each([
    ['limit -5', { l: -5 }],
    ['limit 0', { l: 0 }],
    ['a huge limit', { l: 1e9 }],
    ['no max_pages count', { n: 0 }],
    ['a negative page count', { n: -1000 }],
    ['another path on the same host', { s: { kind: 'url', url: 'http://127.0.0.1/api/v1/users/00u1/lifecycle/deactivate' } }],
    ['another host', { s: { kind: 'url', url: 'https://attacker.example/steal' } }],
    ['another account', { a: 'other' }],
  ])('an edited payload (%s) under the original MAC is refused', async (_, edit) => {
    const cursor = await firstCursor();
    const mac = cursor.split('.')[1]!;
    await expectRefused(`${encodePayload({ ...decodePayload(cursor), ...edit })}.${mac}`);
  });

  test('an unsigned cursor in the old format, and a payload re-signed under another key with limit -5, are refused', async () => {
    const payload = decodePayload(await firstCursor());
    await expectRefused(Buffer.from(JSON.stringify({ v: 1, i: 'okta', r: 'user-directory/users', s: { kind: 'url', url: `${sim.url}/api/v1/users?limit=-5` }, n: 1 })).toString('base64url'));
    await expectRefused(encodePayload(payload));
    await expectRefused(sealCursor({ ...payload, l: -5 }, randomBytes(32)));
    await expectRefused(sealCursor(payload, Buffer.from(KEY.slice(0, -1) + (KEY.endsWith('0') ? '1' : '0'))));
  });

  test('a cursor from an engine with another key is refused; random keys differ per engine', async () => {
    await expectRefused(await firstCursor(createEngine({ accounts: accounts(sim.url), cursorKey: randomBytes(32) })));
    const a = createEngine({ accounts: accounts(sim.url) });
    const b = createEngine({ accounts: accounts(sim.url) });
    await expectRefused(await firstCursor(a), A, b);
  });

  test('a cursor replayed by another account of the same integration is refused', async () => {
    const cursor = await firstCursor();
    await expectRefused(cursor, { integratedAccountId: 'other' });
    // and it still works for its own account
    expect((await list({ next_cursor: cursor })).result.map((u) => u.id)).toEqual(['00u2']);
  });

  test.each([
    ['account', { a: 'other' }],
    ['integration', { i: 'slack' }],
    ['resource', { r: 'ticketing/users' }],
    ['method', { m: 'get' }],
    ['format version', { v: 1 }],
  ])('a correctly signed cursor for another %s is refused', async (_, edit) => {
    await expectRefused(sealCursor({ ...decodePayload(await firstCursor()), ...edit }, Buffer.from(KEY)));
  });

  test.each([
    ['limit -5', { l: -5 }],
    ['limit above max_limit', { l: 201 }],
    ['a fractional limit', { l: 1.5 }],
    ['a string limit', { l: '5' }],
    ['page count 0', { n: 0 }],
    ['a negative page count', { n: -1 }],
    ['page count at max_pages', { n: 1000 }],
    ['a fractional page count', { n: 1.5 }],
    ['an offset position for a link_header list', { s: { kind: 'offset', offset: 0 } }],
    ['a url that is not http(s)', { s: { kind: 'url', url: 'file:///etc/passwd' } }],
    ['a url on another host', { s: { kind: 'url', url: 'https://attacker.example/steal' } }],
    ['no position', { s: null }],
  ])('a correctly signed cursor with %s is still refused', async (_, edit) => {
    await expectRefused(sealCursor({ ...decodePayload(await firstCursor()), ...edit }, Buffer.from(KEY)));
  });

  test.each([
    ['a number', 2],
    ['zero', 0],
    ['an array', ['x']],
    ['an array of a real cursor', 'REAL[]'],
    ['an object', { after: '00u1' }],
    ['a boolean', true],
    ['null', null],
  ])('next_cursor as %s is refused rather than read as the first page', async (_, value) => {
    const cursor = value === 'REAL[]' ? [await firstCursor()] : value;
    await expectRefused(cursor);
  });
});

describe('cursorKey is configuration', () => {
  test('a key shorter than 32 bytes is refused at createEngine, without echoing it', () => {
    for (const cursorKey of ['short-secret-key', Buffer.alloc(31, 1)]) {
      let error: unknown;
      try {
        createEngine({ accounts: [], cursorKey });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'UNIMAP_E_LOAD_OPTIONS' });
      expect((error as Error).message).not.toContain('short-secret-key');
    }
  });
});

describe('a provider next link to another origin: UNIMAP_E_REMOTE_PAGINATION at that page, nothing sent there', () => {
  const links = (): [string, string][] => [
    ['another port on the same host', `${evil.url}/api/v1/users?after=00u1`],
    ['a protocol-relative link', `//${new URL(evil.url).host}/api/v1/users?after=00u1`],
    ['a backslash link browsers read as another host', `/\\${new URL(evil.url).host}/api/v1/users`],
    ['another scheme on the same host', sim.url.replace('http:', 'https:') + '/api/v1/users?after=00u1'],
    ['credentials in the link', sim.url.replace('http://', 'http://user:pass@') + '/api/v1/users?after=00u1'],
    ['a javascript: link', 'javascript:alert(1)'],
  ];

  test('Okta Link headers off the origin are refused at the page that carried them', async () => {
    for (const [name, link] of links()) {
      sim.requests.length = 0;
      sim.failNext({ status: 200, headers: { link: `<${link}>; rel="next"` }, body: oneUserPage });
      const error = await rejection(list({ limit: 1 }));
      expect([name, isUnimapError(error) && error.code]).toEqual([name, 'UNIMAP_E_REMOTE_PAGINATION']);
      expect((error as Error).message).toContain('okta');
      expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain(TOKEN);
      expect(sim.requests).toHaveLength(1);
    }
    expect(evil.requests).toHaveLength(0);
  });

  test('a relative next link on the same origin is followed', async () => {
    sim.failNext({ status: 200, headers: { link: '</api/v1/users?after=00u1&limit=1>; rel="next"' }, body: oneUserPage });
    const first = await list({ limit: 1 });
    const second = await list({ next_cursor: first.next_cursor! });
    expect(second.result.map((u) => u.id)).toEqual(['00u2']);
    expect(sim.requests.map((r) => r.url)).toEqual(['/api/v1/users?limit=1', '/api/v1/users?after=00u1&limit=1']);
  });

  test('a next_url in the body (Microsoft Graph\'s @odata.nextLink) off the origin is refused too', async () => {
    const graph = await startCountingServer((request) => ({
      value: [{ id: '1', displayName: 'A', mail: 'a@example.com', accountEnabled: true }],
      '@odata.nextLink': request.includes('skiptoken') ? undefined : `${evil.url}/v1.0/users?$skiptoken=x`,
    }));
    try {
      const entra = createEngine({ accounts: [{ id: 'entra', integration: 'microsoft-entra-id', context: { access_token: TOKEN }, base_url: graph.url }] });
      const error = await rejection(entra.list(UD, 'users', { integratedAccountId: 'entra' }));
      expect(isUnimapError(error) && error.code).toBe('UNIMAP_E_REMOTE_PAGINATION');
      expect((error as Error).message).toContain('microsoft-entra-id');
      expect(graph.requests).toHaveLength(1);
      expect(evil.requests).toHaveLength(0);
    } finally {
      await graph.close();
    }
  });
});

describe('a provider echoing the auth query into its next link', () => {
  const mappings = useOktaCopy();

  test('the credential never reaches the caller\'s cursor, and the next request still carries it', async () => {
    editFile(join(mappings(), 'okta', 'integration.yaml'), 'auth:\n  type: header\n  headers:\n    Authorization: "SSWS {{ $context.api_token }}"', 'auth:\n  type: query\n  query:\n    api_key: "{{ $context.api_token }}"');
    const echo = await startCountingServer(() => oneUserPage);
    try {
      const queryAuth = createEngine({ mappings: mappings(), accounts: [{ id: 'acme', integration: 'okta', context: { subdomain: 'acme', api_token: TOKEN }, base_url: echo.url }] });
      echo.linkFor = (line) => `<${echo.url}/api/v1/users?${line.split('?')[1]}&after=00u1>; rel="next"`;
      const first = await list({ limit: 1 }, A, queryAuth);
      expect(echo.requests[0]).toBe(`GET /api/v1/users?limit=1&api_key=${TOKEN}`);
      expect(first.next_cursor).not.toContain(TOKEN);
      expect(Buffer.from(first.next_cursor!.split('.')[0]!, 'base64url').toString('utf8')).not.toContain(TOKEN);
      echo.linkFor = undefined;
      await list({ next_cursor: first.next_cursor! }, A, queryAuth);
      expect(echo.requests[1]).toBe(`GET /api/v1/users?limit=1&after=00u1&api_key=${TOKEN}`);
    } finally {
      await echo.close();
    }
  });
});

interface CountingServer {
  url: string;
  /** The request lines ("GET /path?query") that reached it. */
  requests: string[];
  /** A Link header for the answer to a request line, when set. */
  linkFor: ((request: string) => string) | undefined;
  close(): Promise<void>;
}

/** A plain JSON server on 127.0.0.1 that logs every request line; `answer` builds each body from the request line. */
async function startCountingServer(answer: (request: string) => unknown = () => []): Promise<CountingServer> {
  const requests: string[] = [];
  const state: CountingServer = {
    url: '',
    requests,
    linkFor: undefined,
    close: () => Promise.resolve(),
  };
  const server: Server = createServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    requests.push(line);
    const link = state.linkFor?.(line);
    res.writeHead(200, { 'content-type': 'application/json', ...(link ? { link } : {}) });
    res.end(JSON.stringify(answer(line)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}
