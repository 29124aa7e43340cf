import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMappingsDir } from '../../engine/package-paths';

/** A fresh temporary copy of the shipped Okta definitions for each test (a mappings folder holding okta/), removed after. */
export function useOktaCopy(): () => string {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unimap-okta-'));
    cpSync(join(defaultMappingsDir(), 'okta'), join(dir, 'okta'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return () => dir;
}

/** Replace the first `from` in a file (which must hold it) by `to`; returns the 1-based line of the edit. */
export function editFile(file: string, from: string, to: string): number {
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
  return text.slice(0, text.indexOf(from)).split('\n').length;
}
