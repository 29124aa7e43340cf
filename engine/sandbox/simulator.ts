import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { RecordStore } from './record-store';

/**
 * A generic provider simulator: a real HTTP server on 127.0.0.1 with in-memory records, an auth check,
 * a request log and injectable faults. Each provider supplies only its data: routes, auth rule and error bodies.
 */
export interface ProviderSimulator {
  name: string;
  /** null when the request is authenticated, else the provider's own 401 answer. */
  authenticate(request: FastifyRequest, credentials: SimulatorCredentials): { status: number; body: unknown; headers?: Record<string, string> } | null;
  routes(app: FastifyInstance, sim: SimulatorState): void;
  /** Extra content types (e.g. XML) parsed into request.body. */
  contentParsers?(app: FastifyInstance): void;
}

export type SimulatorCredentials = Record<string, string>;

export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as is (a string is not JSON-encoded, so non-JSON bodies can be simulated). */
  body?: unknown;
  /** Hold the answer this long (timeouts). */
  delayMs?: number;
  /** Only requests whose "METHOD path" matches. */
  match?: RegExp;
}

export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface SimulatorState {
  store: RecordStore;
  origin(): string;
}

export interface RunningSimulator {
  url: string;
  store: RecordStore;
  requests: LoggedRequest[];
  /** Answer the next matching request with this fault instead of the provider's behaviour. */
  failNext(fault: Fault): void;
  close(): Promise<void>;
}

export async function startSimulator(provider: ProviderSimulator, credentials: SimulatorCredentials): Promise<RunningSimulator> {
  const app = Fastify({ logger: false });
  const store = new RecordStore();
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  let origin = '';
  provider.contentParsers?.(app);

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    requests.push({ method: request.method, url: request.url, headers: { ...request.headers }, body: request.body });
    const index = faults.findIndex((f) => !f.match || f.match.test(`${request.method} ${request.url}`));
    if (index >= 0) {
      const [fault] = faults.splice(index, 1);
      if (fault!.delayMs) await new Promise((resolve) => setTimeout(resolve, fault!.delayMs));
      reply.code(fault!.status ?? 500).headers(fault!.headers ?? {});
      return reply.send(fault!.body ?? '');
    }
    const denied = provider.authenticate(request, credentials);
    if (denied) return reply.code(denied.status).headers(denied.headers ?? {}).send(denied.body);
    return undefined;
  });
  provider.routes(app, { store, origin: () => origin });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: origin,
    store,
    requests,
    failNext: (fault) => faults.push(fault),
    close: () => app.close(),
  };
}
