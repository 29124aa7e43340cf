import { loadRegistry } from '../../engine';
import { loadFixtures } from '../../engine/conformance/fixture';
import { runFixtureCase } from '../../engine/conformance/run-fixtures';
import { defaultMappingsDir } from '../../engine/package-paths';

// Every conformance case of every shipped integration, one jest test each (the same cases `unimap test` runs).
const registry = loadRegistry();
const fixtures = loadFixtures(defaultMappingsDir());

describe.each(fixtures.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
  test.each(fixture.cases.map((c) => [`${c.method}: ${c.name}`, c] as const))('%s', async (_name, kase) => {
    const outcome = await runFixtureCase(registry, fixture, kase);
    if (!outcome.passed) throw new Error(outcome.failure);
  });
});
