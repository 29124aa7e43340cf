import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the scripted server; `body` is sent as it is (strings are not JSON-encoded). */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string | ((request: SeenRequest) => string);
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ScriptedServer {
  url: string;
  /** Every request that reached the server, in order. */
  requests: SeenRequest[];
  /** What every following request is answered with, until changed: one answer, or one per request. */
  answer: ScriptedAnswer | ((request: SeenRequest) => ScriptedAnswer);
  close(): Promise<void>;
}

/** A hostile or odd remote API on 127.0.0.1: it answers whatever the test scripts, and logs what it received. */
export async function startScriptedServer(answer: ScriptedServer['answer'] = { status: 200, body: '{}' }): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const state = { answer };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      const { status, headers = {}, body } = typeof state.answer === 'function' ? state.answer(seen) : state.answer;
      res.writeHead(status, headers);
      res.end(typeof body === 'function' ? body(seen) : body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get answer() {
      return state.answer;
    },
    set answer(next: ScriptedServer['answer']) {
      state.answer = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const JSON_TYPE = { 'content-type': 'application/json' };

/** Own property names of Object.prototype and the identity of its methods, to prove nothing touched them. */
export function snapshotPrototype(): Map<string, unknown> {
  return new Map(Object.getOwnPropertyNames(Object.prototype).map((name) => [name, Object.getOwnPropertyDescriptor(Object.prototype, name)?.value]));
}
