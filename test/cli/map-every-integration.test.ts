import { createEngine, loadRegistry } from '../../engine';
import { loadFixtures } from '../../engine/conformance/fixture';
import { defaultMappingsDir } from '../../engine/package-paths';

// `unimap map request` / `map response` for every integration and method, checked against the conformance cases:
// the planned first request is the first recorded one, and mapping a recorded single-call response gives the
// recorded unified result.
const registry = loadRegistry();
const engine = createEngine({ mappings: registry });
const cases = loadFixtures(defaultMappingsDir()).flatMap((fixture) =>
  fixture.cases.filter((c) => !c.expect.error && c.exchanges.length > 0).map((c) => ({ fixture, kase: c })),
);
const firstPerMethod = cases.filter(({ fixture, kase }, i) => cases.findIndex((o) => o.fixture === fixture && o.kase.method === kase.method) === i);

test('every mapped integration and method has a success case to check against', () => {
  for (const integration of registry.integrations.values()) {
    for (const resource of integration.resources.values()) {
      for (const method of resource.methods.values()) {
        if (method.unsupported !== undefined || method.static !== undefined) continue;
        expect(`${integration.name} ${method.name}: ${firstPerMethod.some(({ fixture, kase }) => fixture.integration === integration.name && kase.method === method.name)}`).toBe(`${integration.name} ${method.name}: true`);
      }
    }
  }
});

test.each(firstPerMethod.map(({ fixture, kase }) => [`${fixture.integration} ${kase.method}`, fixture, kase] as const))('map request: %s', async (_name, fixture, kase) => {
  const [category, resource] = fixture.resource.split('/') as [string, string];
  const request = await engine.planRequest({
    category, resource, method: kase.method,
    account: { id: 'cli', integration: fixture.integration, context: { ...fixture.context, ...kase.context } },
    ...(kase.id === undefined ? {} : { id: kase.id }),
    ...(kase.body === undefined ? {} : { body: kase.body }),
    ...(kase.query === undefined ? {} : { query: kase.query }),
  });
  const expected = kase.exchanges[0]!.request;
  expect(`${request.method} ${new URL(request.url).pathname}`).toBe(`${expected.method} ${expected.path}`);
});

const singleCall = firstPerMethod.filter(({ fixture, kase }) => {
  const method = registry.integrations.get(fixture.integration)!.resources.get(fixture.resource)!.methods.get(kase.method)!;
  return kase.exchanges.length === 1 && !kase.pages && method.name !== 'delete' && method.before.length + method.after.length + method.sideLoad.length === 0 && !kase.query?.['truto_response_format'];
});

test.each(singleCall.map(({ fixture, kase }) => [`${fixture.integration} ${kase.method}`, fixture, kase] as const))('map response: %s', async (_name, fixture, kase) => {
  const response = kase.exchanges[0]!.response;
  const mapped = await engine.mapResponse(fixture.integration, {
    resource: fixture.resource, method: kase.method, body: response.body,
    ...(kase.id === undefined ? {} : { params: { id: kase.id } }),
    ...(kase.query === undefined ? {} : { query: kase.query }),
    context: { ...fixture.context, ...kase.context },
    headers: Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    status: response.status ?? 200,
  });
  const expected = kase.method === 'list' ? (kase.expect.result as { result: unknown }).result : kase.expect.result;
  expect(mapped).toEqual(expected);
});
