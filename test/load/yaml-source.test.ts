import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { parseYamlSource } from '../../engine/load/yaml-source';
import { defaultMappingsDir } from '../../engine/package-paths';

/** What the `yaml` package reads (the reference the fast reading must match). */
const reference = (text: string): unknown => parseDocument(text, { uniqueKeys: true }).toJS({ maxAliasCount: 100 });

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : name.endsWith('.yaml') ? [path] : [];
  });
}

describe('YAML sources', () => {
  test('every shipped definition and fixture reads exactly as the yaml package reads it', () => {
    const files = yamlFiles(defaultMappingsDir());
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const { source, problems } = parseYamlSource(file, text);
      expect(problems).toEqual([]);
      expect(isDeepStrictEqual(source!.value, reference(text))).toBe(true);
    }
  });

  test('scalars of every kind, anchors and block scalars read the same (dates stay strings)', () => {
    const text = [
      'a: 2026-07-14', 'b: "2026-07-14 00:25:28"', 'c: 0o14', 'd: 012', 'e: .inf', 'f: -.Inf', 'g: .nan', 'h: ~', 'i: null', 'j: Yes', 'k: true',
      'l: 1e3', 'm: 0x1F', 'n: +12', "o: 'it''s'", 'p: "tab\\there"', 'q: &anchor { x: 1, y: [a, b] }', 'r: *anchor', 's: |', '  line one', '  line two',
      't: >-', '  folded', '  text', 'u: 123456789012345678901234567890', '"key with: colon": v', 'w: [1, 2.5, -3, "4"]',
    ].join('\n');
    const { source } = parseYamlSource('edge.yaml', text);
    const value = source!.value as Record<string, unknown>;
    expect(Number.isNaN(value.g)).toBe(true);
    expect(isDeepStrictEqual({ ...value, g: 0 }, { ...(reference(text) as Record<string, unknown>), g: 0 })).toBe(true);
    expect(value.a).toBe('2026-07-14');
  });

  test('positions are worked out when first asked for, and point into the text', () => {
    const text = 'name: okta\nlist:\n  response: |\n    { "id": $str(id) }\n';
    const { source } = parseYamlSource('lazy.yaml', text);
    expect(source!.positionOf('/list/response')).toMatchObject({ file: 'lazy.yaml', line: 3, column: 13 });
    expect(source!.positionInString('/list/response', 9)).toMatchObject({ line: 4, column: 14 });
  });

  test('a file the fast reader refuses is reported with the yaml package\'s line and column', () => {
    const { source, problems } = parseYamlSource('dup.yaml', 'name: a\nbase_url: x\nname: b\n');
    expect(source).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ position: { file: 'dup.yaml', line: 3, column: 1 }, message: expect.stringMatching(/unique/i) })]);
  });
});
