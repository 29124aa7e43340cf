import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledIntegration } from '../../engine/compile/compiled';
import { LazyIntegrations } from '../../engine/compile/lazy-integrations';
import { rememberingFiles } from '../../engine/load/definition-files';

// The integrations of a registry loaded from a record: known by name from the start, compiled when first asked for.
const fake = (name: string) => ({ name }) as unknown as CompiledIntegration;

test('names, size and has need no compilation; get compiles once; iteration follows the names', () => {
  const compile = jest.fn(fake);
  const map = new LazyIntegrations(['a', 'b', 'c'], new Map([['b', fake('b')]]), compile);
  expect([map.size, map.has('a'), map.has('x'), [...map.keys()]]).toEqual([3, true, false, ['a', 'b', 'c']]);
  expect(map.get('x')).toBeUndefined();
  expect(compile).not.toHaveBeenCalled();
  expect(map.get('a')?.name).toBe('a');
  expect(map.get('a')).toBe(map.get('a'));
  expect(compile).toHaveBeenCalledTimes(1);
  expect([...map].map(([name, integration]) => [name, integration.name])).toEqual([['a', 'a'], ['b', 'b'], ['c', 'c']]);
  const seen: string[] = [];
  map.forEach((integration, name, whole) => seen.push(`${name}:${integration.name}:${whole === map}`));
  expect(seen).toEqual(['a:a:true', 'b:b:true', 'c:c:true']);
  expect([...map.values()].map((i) => i.name)).toEqual(['a', 'b', 'c']);
  expect(compile).toHaveBeenCalledTimes(2); // b was compiled at load
});

test('a compilation that fails throws the same error at every get, compiled once', () => {
  const failure = new Error('broken');
  const compile = jest.fn((): CompiledIntegration => {
    throw failure;
  });
  const map = new LazyIntegrations(['a'], new Map(), compile);
  expect(() => map.get('a')).toThrow(failure);
  expect(() => map.get('a')).toThrow(failure);
  expect(() => [...map.values()]).toThrow(failure);
  expect(compile).toHaveBeenCalledTimes(1);
});

test('a remembering reader answers the text it first read, and the failure it first met', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unimap-files-'));
  try {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'first');
    const files = rememberingFiles();
    expect(files.read(file)).toBe('first');
    writeFileSync(file, 'second');
    expect(files.read(file)).toBe('first');
    expect(() => files.read(join(dir, 'missing.yaml'))).toThrow(/ENOENT/);
    writeFileSync(join(dir, 'missing.yaml'), 'now here');
    expect(() => files.read(join(dir, 'missing.yaml'))).toThrow(/ENOENT/);
    expect(files.list(dir).sort()).toEqual(['a.yaml', 'missing.yaml']);
    files.keepParsed?.(file, { a: 1 });
    expect(files.parsed?.(file)).toEqual({ a: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
