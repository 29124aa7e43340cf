import fixtureSchema from '../../schemas/fixture.schema.json';
import integrationSchema from '../../schemas/integration.schema.json';
import resourceSchema from '../../schemas/resource.schema.json';
import simulatorSchema from '../../schemas/simulator.schema.json';

// The format schemas are what editors show while an author types: every key says what it is, and the keys authors
// use most show an example.
type Node = Record<string, unknown>;

/** Every key declared anywhere in a schema: its JSON pointer and its schema. */
function declaredKeys(schema: unknown, path = ''): [string, Node][] {
  if (Array.isArray(schema)) return schema.flatMap((item, i) => declaredKeys(item, `${path}/${i}`));
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Node;
  const own = node['properties'] && typeof node['properties'] === 'object'
    ? Object.entries(node['properties'] as Record<string, Node>).map(([key, value]): [string, Node] => [`${path}/properties/${key}`, value])
    : [];
  const nested = Object.entries(node).filter(([key]) => !['examples', 'default', 'const', 'enum'].includes(key)).flatMap(([key, value]) => declaredKeys(value, `${path}/${key}`));
  return [...own, ...nested];
}

const schemas = { integration: integrationSchema, resource: resourceSchema, fixture: fixtureSchema, simulator: simulatorSchema };

test.each(Object.entries(schemas))('every key of the %s schema has a description', (_name, schema) => {
  const missing = declaredKeys(schema).filter(([, node]) => typeof node['description'] !== 'string' || node['description'] === '').map(([pointer]) => pointer);
  expect(missing).toEqual([]);
});

test('the keys authors use most have examples', () => {
  const method = (resourceSchema.$defs.method.properties as Record<string, Node>);
  const wanted: [string, Node][] = [
    ...['required', 'supported', 'response_supported', 'response_from', 'before', 'after', 'side_load', 'filters', 'body', 'response', 'records', 'record', 'request']
      .map((key): [string, Node] => [`resource method ${key}`, method[key]!]),
    ['integration rate_limit', integrationSchema.properties.rate_limit as Node],
    ['integration auth', integrationSchema.properties.auth as Node],
    ['integration pagination', integrationSchema.properties.pagination as Node],
    ['fixture expect', fixtureSchema.properties.cases.items.properties.expect as Node],
  ];
  const without = wanted.filter(([, node]) => !Array.isArray(node['examples']) && !hasExamplesInside(node)).map(([name]) => name);
  expect(without).toEqual([]);
});

/** An object key (request) counts as exemplified when its own keys are. */
function hasExamplesInside(node: Node): boolean {
  const properties = node['properties'] as Record<string, Node> | undefined;
  return properties !== undefined && Object.values(properties).some((p) => Array.isArray(p['examples']));
}
