import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The unimap package folder, found from this file whether it runs from engine/ (tests) or dist/engine/ (build). */
export function packageRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'unimap') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) return (root = process.cwd());
    dir = parent;
  }
}

export const defaultMappingsDir = (): string => join(packageRoot(), 'mappings');
export const defaultSchemasDir = (): string => join(packageRoot(), 'schemas');
