import { readFileSync, writeFileSync } from 'node:fs';
import type { CompiledIntegration, Registry } from '../compile/compiled';
import type { Template } from '../compile/template';
import { UNIFIED_METHODS, type AuthDef, type PaginationDef } from '../definition';
import type { FixtureFile } from '../load/fixture-files';

/**
 * The parts of README.md that are facts about the definitions (the integration table, the counts), written
 * between markers by `unimap docs` so nobody counts by hand:
 *   <!-- generated: NAME (npx unimap docs) -->  …  <!-- /generated: NAME -->
 */
const SECTION = /<!-- generated: ([a-z-]+)[^>]*-->\n([\s\S]*?)<!-- \/generated: \1 -->/g;

export function renderReadmeSections(registry: Registry, fixtures: FixtureFile[]): Map<string, string> {
  const loaded = fixtures.filter((f) => registry.integrations.has(f.integration));
  const cases = loaded.reduce((n, f) => n + f.cases.length, 0);
  const withCases = new Set(loaded.map((f) => f.integration)).size;
  return new Map([
    ['integrations', renderIntegrations(registry)],
    ['suite', `The whole suite (\`npx unimap test\`) is ${cases} cases over ${withCases} integrations.\n`],
  ]);
}

/** Names of the README's generated sections whose text differs from what the definitions say now. */
export function staleReadmeSections(text: string, sections: Map<string, string>): string[] {
  const found = new Map([...text.matchAll(SECTION)].map((m) => [m[1]!, m[2]!]));
  return [...sections].filter(([name, content]) => found.get(name) !== content).map(([name]) => name);
}

/** Rewrite the generated sections of a README file; true when anything changed. */
export function updateReadme(path: string, registry: Registry, fixtures: FixtureFile[]): boolean {
  const text = readFileSync(path, 'utf8');
  const sections = renderReadmeSections(registry, fixtures);
  const updated = text.replace(SECTION, (whole, name: string) => {
    const content = sections.get(name);
    return content === undefined ? whole : whole.replace(/-->\n[\s\S]*<!-- \//, `-->\n${content}<!-- /`);
  });
  if (updated === text) return false;
  writeFileSync(path, updated);
  return true;
}

function renderIntegrations(registry: Registry): string {
  const integrations = [...registry.integrations.values()];
  const resources = [...new Set(integrations.flatMap((i) => [...i.resources.keys()]))].sort();
  const lines = [
    `${integrations.length} integrations over ${resources.length} unified resources. Per method and field, what each supports and requires`,
    'is in the generated reference: [docs/reference/coverage.md](docs/reference/coverage.md) and the pages beside it.',
    '',
    '| unified resource | integration | API | auth | pagination | methods |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const key of resources) {
    const mapping = integrations.filter((i) => i.resources.has(key)).sort((a, b) => a.label.localeCompare(b.label));
    mapping.forEach((integration, i) => {
      const label = integration.def.docs_url ? `[${integration.label}](${integration.def.docs_url})` : integration.label;
      const cells = [i === 0 ? key : '', label, apiPath(integration, key), describeAuth(integration.def.auth), describePagination(integration.def.pagination), describeMethods(integration, key)];
      lines.push(`| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    });
  }
  return `${lines.join('\n')}\n`;
}

/** The list (else get) path under the base URL's path, holes shown as `{name}`. */
function apiPath(integration: CompiledIntegration, key: string): string {
  const methods = integration.resources.get(key)!.methods;
  const request = methods.get('list')?.request ?? methods.get('get')?.request ?? [...methods.values()].find((m) => m.request)?.request;
  // the origin is left out: it is the provider's host, or a hole standing for it (Salesforce's instance_url)
  const base = showHoles(integration.baseUrl).replace(/^([a-z]+:\/\/[^/]*|\{[^}]*\})/i, '');
  const format = integration.def.body_format && integration.def.body_format !== 'json' ? ` (${integration.def.body_format.toUpperCase()})` : '';
  return request ? `\`${base}${showHoles(request.path)}\`${format}` : '—';
}

function showHoles(template: Template): string {
  return template.source.replace(/\{\{([\s\S]*?)\}\}/g, (_, expression: string) => `{${/([A-Za-z_][\w]*)\s*\)*\s*$/.exec(expression.trim())?.[1] ?? '…'}}`);
}

function describeAuth(auth: AuthDef | undefined): string {
  switch (auth?.type) {
    case undefined:
    case 'none':
      return 'none';
    case 'basic':
      return 'Basic';
    case 'query':
      return Object.keys(auth.query).map((name) => `\`${name}\` query parameter`).join(', ');
    case 'body':
      return Object.keys(auth.body).map((name) => `\`${name}\` body field`).join(', ');
    case 'header':
      return Object.entries(auth.headers).map(([name, value]) => {
        if (name.toLowerCase() !== 'authorization') return `\`${name}\` header`;
        const scheme = /^([A-Za-z][\w-]*) \{\{/.exec(value)?.[1];
        if (scheme) return scheme;
        const schemes = [...new Set([...value.matchAll(/['"]([A-Za-z][\w-]*) ['"]/g)].map((m) => m[1]!))];
        return schemes.length > 0 ? schemes.join(' or ') : '`Authorization` header';
      }).join(', ');
  }
}

function describePagination(pagination: PaginationDef | undefined): string {
  const shortPage = pagination && pagination.type !== 'none' && pagination.stop?.short_page ? ', short page' : '';
  switch (pagination?.type) {
    case undefined:
    case 'none':
      return 'none';
    case 'link_header':
      return `Link header${shortPage}`;
    case 'next_url':
      return `next URL (\`${pagination.next_url.replace(/`/g, '').trim()}\`)${shortPage}`;
    case 'cursor':
      return `cursor (\`${pagination.cursor_param}\`)${shortPage}`;
    case 'offset':
      return `offset (\`${pagination.offset_param}\`)${shortPage}`;
    case 'page':
      return `page (\`${pagination.page_param}\`)${shortPage}`;
  }
}

/** "all", or the methods mapped; a method the provider cannot do is marked ✗ with its reason. */
function describeMethods(integration: CompiledIntegration, key: string): string {
  const methods = integration.resources.get(key)!.methods;
  const mapped = [...methods.values()].filter((m) => m.unsupported === undefined).map((m) => m.name);
  const refused = [...methods.values()].filter((m) => m.unsupported !== undefined).map((m) => `${m.name} ✗ (${firstClause(m.unsupported!)})`);
  const all = UNIFIED_METHODS.every((m) => mapped.includes(m)) && mapped.length === UNIFIED_METHODS.length;
  return [all ? 'all' : mapped.join(', '), ...refused].filter((part) => part !== '').join('; ');
}

/** The reason's first clause; the whole reason is on the method's reference page. */
function firstClause(reason: string): string {
  return reason.replace(/\s+/g, ' ').trim().split(/[:;.](?:\s|$)/)[0]!;
}
