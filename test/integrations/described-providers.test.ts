import { isUnimapError, type UnifiedRecord, type UnimapError } from '../../engine';
import type { CompiledMethod } from '../../engine/compile/compiled';
import { fillPlaceholders } from '../../engine/sandbox/described/paths';
import { seedRecords } from '../../engine/sandbox/describe';
import { rejection } from '../helpers/provider-harness';
import { compileDescribed, findDescribedProviders, GOOD_ACCOUNT, startProviderRun, WRONG_ACCOUNT, type DescribedProvider, type ProviderRun } from '../helpers/described-provider';

// Every provider described as data (mappings/*/tests/*.simulator.yaml, SCIM ones aside) against the engine running
// its definition: the simulator plays what the description says the provider does — routes, envelopes, ids, auth,
// pagination, error bodies, its 429 — so a definition that disagrees with it fails here.
const PROVIDERS = findDescribedProviders();
const { registry, problems } = compileDescribed(PROVIDERS);
const RECORDS = 3;
const account = { integratedAccountId: GOOD_ACCOUNT };

test('the described integrations compile', () => {
  expect(problems).toEqual([]);
  expect(PROVIDERS.length).toBeGreaterThan(0);
});

describe.each(PROVIDERS)('$integration $resource against its described simulator', (provider: DescribedProvider) => {
  let run: ProviderRun;
  beforeAll(async () => {
    run = await startProviderRun(provider, registry);
  });
  afterAll(() => run?.close());
  beforeEach(() => {
    run.sim.store.clear();
    run.sim.requests.length = 0;
  });
  const call = (extra: Record<string, unknown> = {}) => ({ ...account, query: { ...run.query, ...extra } });

  test('create, get, every page of the list with limit 1, update, delete', async () => {
    const { engine, category, resource } = run;
    const ids = await makeRecords(run);

    const get = run.method('get');
    if (get) expect(await engine.get(category, resource, ids[0]!, call())).toMatchObject({ id: ids[0] });

    const listed: string[] = [];
    const before = run.sim.requests.length;
    for await (const user of engine.listAll(category, resource, call({ limit: 1 }))) listed.push(String(user.id));
    expect(listed.sort()).toEqual([...ids].sort());
    const pages = run.sim.requests.length - before;
    // a paged provider is walked one record a page: the engine sent the page size and followed the provider's next page
    if (run.description.pagination && run.description.pagination.type !== 'none') expect(pages).toBeGreaterThanOrEqual(RECORDS);
    else expect(pages).toBe(1);

    await filterByEmail(run, ids);

    const update = run.method('update');
    if (update) {
      const body = bodyFor(run, update, 'update', 1);
      const updated = await engine.update(category, resource, ids[0]!, body, call());
      expectSentFields(updated, body, update);
      if (update.responseSupported.includes('id')) expect(updated.id).toBe(ids[0]);
    }

    const remove = run.method('delete');
    if (remove) {
      expect(await engine.delete(category, resource, ids[1]!, call())).toMatchObject({ id: ids[1] });
      // a provider that only deactivates keeps the record; the others answer for it as for any unknown id
      const kept = run.description.routes.delete?.deactivates !== undefined;
      if (get && kept) expect(await engine.get(category, resource, ids[1]!, call())).toMatchObject({ id: ids[1] });
      else if (get) expect(await statusOf(engine.get(category, resource, ids[1]!, call()))).toBe(run.description.errors.not_found.status);
      else expect((await engine.list(category, resource, call())).result.map((u) => u.id).includes(ids[1])).toBe(kept);
    }
  });

  test('a wrong credential is the provider\'s own refusal, mapped to a typed error', async () => {
    const probe = run.method('list') ? run.engine.list(run.category, run.resource, { integratedAccountId: WRONG_ACCOUNT, query: run.query })
      : run.engine.get(run.category, run.resource, '1', { integratedAccountId: WRONG_ACCOUNT, query: run.query });
    const refused = await rejection(probe);
    const { unauthorized } = run.description.errors;
    expect(isUnimapError(refused) && [refused.code, refused.status, refused.remote?.status]).toEqual(['UNIMAP_E_REMOTE_HTTP', unauthorized.status, unauthorized.status]);
    expectProviderMessage(refused as UnimapError);
  });

  test('an unknown id is the provider\'s not-found answer', async () => {
    const attempt = callWithUnknownId(run, call());
    if (!attempt) return;
    const { not_found: notFound } = run.description.errors;
    const missing = await rejection(attempt);
    expect(isUnimapError(missing) && [missing.status, missing.remote?.status]).toEqual([notFound.status, notFound.status]);
  });

  // a description without rate_limit shows these as skipped
  const withRateLimit = provider.rateLimited ? test : test.skip;
  withRateLimit('a 429 whose wait fits is waited out and the read retried', async () => {
    // the provider's signal (status, headers, body) with a budget of one request a second, so the wait is short
    const throttled = await startLimited(provider, 1);
    try {
      await readOnce(throttled);
      await readOnce(throttled);
      // the second read was refused at least once, waited for the window's end and sent again
      expect(throttled.limitedAnswers()).toBeGreaterThanOrEqual(1);
      expect(throttled.sim.requests.length).toBeGreaterThan(2);
    } finally {
      await throttled.close();
    }
  });

  withRateLimit('a 429 whose wait is longer than the engine may wait is the caller\'s RATE_LIMITED', async () => {
    const throttled = await startLimited(provider, 3600);
    try {
      const limited = await firstRefusal(throttled);
      const signal = throttled.description.rate_limit!;
      expect([limited.code, limited.status, limited.remote?.status]).toEqual(['UNIMAP_E_REMOTE_RATE_LIMITED', 429, signal.status ?? 429]);
      expectProviderMessage(limited);
      if (tellsWait(signal.headers)) {
        // the definition reads the wait the provider gives (an hour here), so nothing is sent again
        expect(limited.retryAfterSeconds).toBeGreaterThan(60);
        expect(throttled.limitedAnswers()).toBe(1);
      }
    } finally {
      await throttled.close();
    }
  });
});

/**
 * A call naming an id the provider does not have: a get, else an update of a record named in the path (not an
 * upsert such as Trello's PUT), else a delete; undefined when the provider has none of them.
 */
function callWithUnknownId(run: ProviderRun, options: { integratedAccountId: string; query: Record<string, unknown> }): Promise<unknown> | undefined {
  const unknown = '999999';
  const { engine, category, resource, description } = run;
  if (run.method('get')) return engine.get(category, resource, unknown, options);
  const update = run.method('update');
  const updateRoute = description.routes.update;
  if (update && updateRoute?.path.includes(':id') && updateRoute.path !== description.routes.create?.path) {
    return engine.update(category, resource, unknown, bodyFor(run, update, 'update', 1), options);
  }
  return run.method('delete') ? engine.delete(category, resource, unknown, options) : undefined;
}

/** The records a test works on: created through the engine when the provider can, else put into the simulator. */
async function makeRecords(run: ProviderRun): Promise<string[]> {
  const create = run.method('create');
  if (!create) return seedRecords(run.description, run.sim.store, RECORDS).map((row) => String(row[run.description.record.id?.field ?? 'id']));
  const ids: string[] = [];
  for (let n = 1; n <= RECORDS; n++) {
    const body = bodyFor(run, create, 'create', n);
    const created = await run.engine.create(run.category, run.resource, body, { ...account, query: run.query });
    expect(created.id).toEqual(expect.any(String));
    expectSentFields(created, body, create);
    ids.push(created.id!);
  }
  return ids;
}

/** When the definition filters by email and the provider does too, the filter finds the one record. */
async function filterByEmail(run: ProviderRun, ids: string[]): Promise<void> {
  const list = run.method('list');
  const email = (bodyFor(run, run.method('create') ?? list!, 'create', 1)['emails'] as { email: string }[] | undefined)?.[0]?.email;
  if (!list?.filters?.includes('email') || !run.description.filters || !run.method('create') || !email) return;
  const found = await run.engine.list(run.category, run.resource, { ...account, query: { ...run.query, email } });
  expect(found.result.map((u) => u.id)).toEqual([ids[0]]);
}

/** The unified body a call sends: the description's (with {n}), else one fitting the definition's supported fields. */
function bodyFor(run: ProviderRun, method: CompiledMethod, kind: 'create' | 'update', n: number): Record<string, unknown> {
  const given = run.description.account?.[kind];
  const fallback: Record<string, unknown> = kind === 'create'
    ? { first_name: 'Ada', last_name: 'Lovelace', name: 'Ada Lovelace', username: 'ada{n}', emails: [{ email: 'ada{n}@example.com', is_primary: true }] }
    : { last_name: 'King' };
  const body = fillPlaceholders(given ?? Object.fromEntries(Object.entries(fallback).filter(([key]) => method.supported.includes(key))), { n: String(n) }) as Record<string, unknown>;
  const missing = method.required.filter((field) => body[field] === undefined);
  if (missing.length > 0) throw new Error(`${run.integration.name} ${kind} requires ${missing.join(', ')}: give account.${kind} in the simulator description`);
  return body;
}

/** The text fields and the first email sent come back mapped, where the method's answer carries them. */
function expectSentFields(result: UnifiedRecord, body: Record<string, unknown>, method: CompiledMethod): void {
  for (const [field, value] of Object.entries(body)) {
    if (!method.responseSupported.includes(field)) continue;
    if (typeof value === 'string') expect({ [field]: result[field] }).toEqual({ [field]: value });
    if (field === 'emails') {
      const sent = (value as { email: string }[])[0]!.email.toLowerCase();
      expect((result['emails'] as { email: string }[] | undefined)?.map((e) => e.email.toLowerCase())).toContain(sent);
    }
  }
}

/** The definition's error mapping found the provider's own words in its error body (not the bare status). */
function expectProviderMessage(error: UnimapError): void {
  expect(error.message).not.toMatch(/: HTTP \d{3}$/);
}

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await rejection(promise);
  return isUnimapError(error) ? error.status : undefined;
}

/** The provider with its described rate-limit answer and a budget of one request per window. */
async function startLimited(provider: DescribedProvider, windowSeconds: number): Promise<ProviderRun> {
  return startProviderRun(provider, registry, { budget: { requests: 1, window_seconds: windowSeconds }, maxRetryWaitMs: 3000 });
}

/** One idempotent read: the list when the provider has one, else a get of a seeded record. */
async function readOnce(run: ProviderRun): Promise<unknown> {
  if (run.method('list')) return run.engine.list(run.category, run.resource, { ...account, query: run.query });
  const [row] = run.sim.store.all().length > 0 ? run.sim.store.all() : seedRecords(run.description, run.sim.store, 1);
  return run.engine.get(run.category, run.resource, String(row![run.description.record.id?.field ?? 'id']), { ...account, query: run.query });
}

/** Whether the provider's 429 says how long to wait (seconds left, or when the window resets). */
function tellsWait(headers: Record<string, string> | undefined): boolean {
  return Object.values(headers ?? {}).some((value) => /\{(retry_after|reset_at)\}/.test(value));
}

/** Read until the budget of one request is spent: the error of the first read refused. */
async function firstRefusal(run: ProviderRun): Promise<UnimapError> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const refused = await rejection(readOnce(run));
    if (refused) return refused as UnimapError;
  }
  throw new Error(`${run.integration.name}: three reads and no refusal past a budget of one request`);
}
