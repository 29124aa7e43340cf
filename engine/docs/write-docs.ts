import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Registry } from '../compile/compiled';
import { renderErrorsPage } from './errors-page';
import { renderReferencePages } from './reference-pages';

/** Every generated page: relative path → content. Tests compare these with the committed docs/. */
export function renderDocs(registry: Registry): Map<string, string> {
  return new Map([['errors.md', renderErrorsPage()], ...renderReferencePages(registry)]);
}

export function writeDocs(registry: Registry, out: string): string[] {
  const pages = renderDocs(registry);
  for (const [path, content] of pages) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  return [...pages.keys()];
}
