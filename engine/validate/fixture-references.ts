import type { Registry } from '../compile/compiled';
import type { FixtureFile } from '../load/fixture-files';
import { closest } from './did-you-mean';
import type { Problem } from './problem';

/** What a fixture names must exist: its resource in the integration's definitions, each case's method in that resource. */
export function checkFixtureReferences(registry: Registry, fixtures: FixtureFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const fixture of fixtures) {
    const integration = registry.integrations.get(fixture.integration);
    if (!integration) continue; // its definition has errors, reported on their own
    const resource = integration.resources.get(fixture.resource);
    if (!resource) {
      const known = [...integration.resources.keys()];
      const hint = closest(fixture.resource, known);
      problems.push({
        code: 'UNIMAP_E_DEF_REFERENCE',
        message: `${integration.label} maps no resource "${fixture.resource}"${hint ? ` (did you mean "${hint}"?)` : ''}; it maps ${known.join(', ') || 'nothing'}`,
        position: fixture.source.positionOf('/resource'),
      });
      continue;
    }
    const methods = [...resource.methods.keys()];
    fixture.cases.forEach((kase, i) => {
      if (resource.methods.has(kase.method)) return;
      const hint = closest(kase.method, methods);
      problems.push({
        code: 'UNIMAP_E_DEF_REFERENCE',
        message: `case "${kase.name}": ${fixture.resource} has no method "${kase.method}"${hint ? ` (did you mean "${hint}"?)` : ''}; it has ${methods.join(', ')}`,
        position: fixture.source.positionOf(`/cases/${i}/method`),
      });
    });
  }
  return problems;
}
