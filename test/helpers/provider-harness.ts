import { createEngine, type CallOptions, type Engine, type IntegratedAccount } from '../../engine';
import { startSimulator, type ProviderSimulator, type RunningSimulator, type SimulatorCredentials } from '../../engine/sandbox/simulator';

/**
 * For one test file: start a provider simulator and an engine whose accounts point at it (before all tests),
 * empty the simulator's records and request log before each test, close it after all.
 * `sim` and `engine` stand for the running ones, so tests read them as plain values.
 */
export function useProvider(
  provider: ProviderSimulator,
  credentials: SimulatorCredentials,
  accounts: (url: string) => IntegratedAccount[],
): { sim: RunningSimulator; engine: Engine } {
  let sim: RunningSimulator | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    sim = await startSimulator(provider, credentials);
    engine = createEngine({ accounts: accounts(sim.url), maxRetryWaitMs: 2000 });
  });
  afterAll(() => sim?.close());
  beforeEach(() => {
    sim!.store.clear();
    sim!.requests.length = 0;
  });
  return { sim: standIn(() => sim), engine: standIn(() => engine) };
}

/** An object that forwards every property to the value `current()` holds when the property is read. */
function standIn<T extends object>(current: () => T | undefined): T {
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(current() ?? failEarly(), key),
    set: (_, key, value) => Reflect.set(current() ?? failEarly(), key, value),
  });
}

function failEarly(): never {
  throw new TypeError('the simulator starts in beforeAll; read sim and engine inside tests');
}

/** The error a promise rejects with, or undefined when it resolves. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

/** Follow next_cursor from the first page to the last; `seen` holds `field` of every record, in order. Checks result_count on every page. */
export async function walkPages(
  engine: Engine,
  category: string,
  resource: string,
  options: CallOptions,
  field: string,
): Promise<{ pages: number; seen: unknown[] }> {
  const seen: unknown[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await engine.list(category, resource, { ...options, query: { ...options.query, ...(cursor ? { next_cursor: cursor } : {}) } });
    seen.push(...page.result.map((record) => record[field]));
    expect(page.result_count).toBe(page.result.length);
    cursor = page.next_cursor ?? undefined;
    pages += 1;
  } while (cursor);
  return { pages, seen };
}
