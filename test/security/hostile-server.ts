import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type Registry } from '../../engine';
import { defaultMappingsDir } from '../../engine/package-paths';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the server does with a request once its body has been read whole (so the request was fully received). */
export type Handler = (req: IncomingMessage, res: ServerResponse, received: ReceivedRequest) => void;

export interface HostileServer {
  url: string;
  port: number;
  /** Every request that reached the server (counted when its head arrives, body or not). */
  requests: ReceivedRequest[];
  /** TCP connections accepted: a refused host must not even connect. */
  readonly connections: number;
  handle: Handler;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 whose behaviour each test scripts (dripping, bombs, resets, silence). */
export async function startHostileServer(handle: Handler = (_req, res) => res.end('[]')): Promise<HostileServer> {
  const requests: ReceivedRequest[] = [];
  const state = { handle, connections: 0 };
  const server = createServer({ keepAliveTimeout: 100 }, (req, res) => {
    const seen: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    requests.push(seen);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8');
      state.handle(req, res, seen);
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return state.connections;
    },
    get handle() {
      return state.handle;
    },
    set handle(next: Handler) {
      state.handle = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A registry of one shipped integration whose integration.yaml was edited (a tighter timeout, a lax host pattern…). */
export function registryWithEditedIntegration(integration: string, edit: (yaml: string) => string): Registry {
  const dir = mkdtempSync(join(tmpdir(), `unimap-${integration}-`));
  try {
    cpSync(join(defaultMappingsDir(), integration), join(dir, integration), { recursive: true });
    const file = join(dir, integration, 'integration.yaml');
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    if (after === before) throw new TypeError(`the edit changed nothing in ${integration}/integration.yaml`);
    writeFileSync(file, after);
    return loadRegistry(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds a promise takes to settle, and how it settled. */
export async function timed<T>(promise: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await promise.then(() => undefined, (e: unknown) => e);
  return { ms: Date.now() - started, error };
}
