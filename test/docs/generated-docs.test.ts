import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRegistry } from '../../engine';
import { describeMethod } from '../../engine/docs/reference-model';
import { renderDocs } from '../../engine/docs/write-docs';
import { defaultMappingsDir, packageRoot } from '../../engine/package-paths';
import { renderReadmeSections, staleReadmeSections } from '../../engine/docs/readme-sections';
import { loadFixtures } from '../../engine/load/fixture-files';

const registry = loadRegistry();

// Generated files are checked, never rewritten by the tests: a stale one fails with the command that fixes it.
const FIX = 'run `npx unimap docs` and commit the result';

test('docs/ is up to date with the definitions', () => {
  const stale = [...renderDocs(registry)].filter(([path, content]) => {
    const file = join(packageRoot(), 'docs', path);
    return !existsSync(file) || readFileSync(file, 'utf8') !== content;
  }).map(([path]) => `docs/${path}`);
  if (stale.length > 0) throw new Error(`stale generated docs: ${stale.join(', ')}; ${FIX}`);
});

test('README.md\'s generated sections (integration table, counts) are up to date', () => {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const sections = renderReadmeSections(registry, loadFixtures(defaultMappingsDir()));
  const stale = staleReadmeSections(readme, sections);
  if (stale.length > 0) throw new Error(`stale README.md sections: ${stale.join(', ')}; ${FIX}`);
});

/**
 * The reference product's clean page for POST /unified/user-directory/users lists, per field, "Required in" and
 * "Supported in" bullets for ActiveCampaign, Google Workspace, Okta and Salesforce. For those four, the page
 * generated from our definitions must require exactly what it requires and support at least what it supports (the
 * seed is a floor: an integration supports more where its provider's API takes more).
 */
const SEED_FILE = join(packageRoot(), '..', 'shared', 'seeds', '001_b86461702890084a.txt');
const SEED_INTEGRATIONS = ['ActiveCampaign', 'Google Workspace', 'Okta', 'Salesforce'];
const TYPE_LINE = /^(string|integer|boolean|object|number)(\[\])?( · [a-z-]+)?$/;

type Lists = Record<string, { required: string[]; supported: string[] }>;

function parseSeed(text: string, requestFields: string[], responseFields: string[]): { request: Lists; response: Lists } {
  const lines = text.split('\n').map((l) => l.replace(/\u00a0/g, ' ').trim()); // the page uses no-break spaces around '·'
  const out = { request: {} as Lists, response: {} as Lists };
  let section: 'request' | 'response' | undefined;
  let field: string | undefined;
  let list: 'required' | 'supported' | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('Request Body')) section = 'request';
    else if (line.startsWith('Response Body')) section = 'response';
    if (!section) continue;
    const known = section === 'request' ? requestFields : responseFields;
    if (known.includes(line) && TYPE_LINE.test(lines[i + 1] ?? '')) {
      field = line;
      list = undefined;
    } else if (line === 'Required in') list = 'required';
    else if (line === 'Supported in') list = 'supported';
    else if (line.startsWith('•') && field && list) {
      const entry = (out[section][field] ??= { required: [], supported: [] });
      entry[list].push(line.replace(/^•\s*/, ''));
    } else if (!line.startsWith('•') && line !== '' && list && !TYPE_LINE.test(line)) list = undefined;
  }
  return out;
}

const seedTest = existsSync(SEED_FILE) ? test : test.skip;
seedTest('the generated create page agrees with the seed page for the four seed integrations', () => {
  const doc = describeMethod(registry, 'user-directory/users', 'create');
  const seed = parseSeed(readFileSync(SEED_FILE, 'utf8'), doc.request.map((f) => f.name), doc.response.map((f) => f.name));
  const only = (labels: string[]) => labels.filter((l) => SEED_INTEGRATIONS.includes(l)).sort();
  /** The seed's integrations our page leaves out: empty when ours lists at least the seed's. */
  const left = (ours: string[], seeds: string[]) => seeds.filter((l) => !ours.includes(l)).sort();
  for (const field of doc.request) {
    const expected = seed.request[field.name] ?? { required: [], supported: [] };
    expect({ field: field.name, required: only(field.requiredIn), supportedMissing: left(field.supportedIn, expected.supported) }).toEqual({ field: field.name, required: expected.required.sort(), supportedMissing: [] });
  }
  for (const field of doc.response) {
    const expected = seed.response[field.name] ?? { required: [], supported: [] };
    expect({ field: field.name, supportedMissing: left(field.supportedIn, expected.supported) }).toEqual({ field: field.name, supportedMissing: [] });
  }
  expect(Object.keys(seed.request).length).toBeGreaterThanOrEqual(10); // the parser really read the page
});
