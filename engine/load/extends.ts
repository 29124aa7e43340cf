import { dirname, relative, resolve } from 'node:path';
import type { SourcePosition } from '../errors';
import type { Problem } from '../validate/problem';
import { pointerSegments, type YamlSource } from './yaml-source';

/**
 * `extends: <path>` in a definition file (integration.yaml or a resource file) builds it on a shared file, such as
 * mappings/_scim/user-directory/users.yaml: the shared file's value with this file's keys merged over it. Maps
 * merge key by key at any depth; anything else (strings, expressions, lists) replaces the inherited value; `null`
 * removes an inherited key; in a resource file, a method that says `unsupported` replaces the inherited method
 * whole. The result is one source whose positions point into the file each value came from, so a problem in a
 * shared expression is reported at the shared file's line.
 */
export interface ExtendsContext {
  /** Read and parse a definition file (absolute path); problems are recorded by the reader. */
  read(path: string): YamlSource | undefined;
  /** Whether a file exists (through the same reader, so a registry compiled later sees what it checked). */
  exists(path: string): boolean;
  /** Where the files may live: an `extends` path leaving this folder is refused. */
  root: string;
  problems: Problem[];
  /** Resource files (per-method rule) or integration.yaml. */
  kind: 'integration' | 'resource';
}

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The source with every `extends` resolved, or undefined when a shared file is missing or broken (problems recorded). */
export function resolveExtends(source: YamlSource, path: string, context: ExtendsContext, chain: string[] = []): YamlSource | undefined {
  const value = source.value;
  if (!isRow(value) || value['extends'] === undefined) return source;
  const target = value['extends'];
  const fail = (message: string) => {
    context.problems.push({ code: 'UNIMAP_E_DEF_REFERENCE', message, position: source.positionOf('/extends') });
    return undefined;
  };
  if (typeof target !== 'string' || target.trim() === '') return fail('extends must be a path to a shared definition file, relative to this file');
  const basePath = resolve(dirname(path), target);
  const inside = relative(resolve(context.root), basePath);
  if (inside.startsWith('..') || inside === '' || resolve(context.root, inside) !== basePath) return fail(`extends "${target}" leaves the mappings folder`);
  if (chain.includes(basePath) || basePath === resolve(path)) return fail(`extends "${target}" makes a cycle (${[...chain, basePath].map((p) => relative(context.root, p)).join(' → ')})`);
  if (!context.exists(basePath)) return fail(`extends "${target}": no such file (${relative(context.root, basePath)})`);
  const read = context.read(basePath);
  if (!read) return undefined;
  const base = resolveExtends(read, basePath, context, [...chain, resolve(path)]);
  if (!base) return undefined;
  if (!isRow(base.value)) return fail(`extends "${target}": the shared file does not hold a map`);
  const merged = mergeOver(base.value, value, context.kind === 'resource' ? 0 : -1);
  return extendedSource(source, base, merged);
}

/** `own` over `base`; `methodDepth` 0 applies the resource rule (a method with `unsupported` replaces the inherited one). */
function mergeOver(base: Row, own: Row, methodDepth: number): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(base)) if (key !== 'extends') out[key] = value;
  for (const [key, value] of Object.entries(own)) {
    if (value === null) delete out[key];
    else if (methodDepth === 0 && isRow(value) && 'unsupported' in value) out[key] = value;
    else if (isRow(value) && isRow(out[key])) out[key] = mergeOver(out[key] as Row, value, -1);
    else out[key] = value;
  }
  if (own['extends'] !== undefined) out['extends'] = own['extends'];
  return out;
}

/** How many segments of `segments` lead to an existing value in `value`. */
function depthIn(value: unknown, segments: string[]): number {
  let node = value;
  for (const [i, segment] of segments.entries()) {
    if (isRow(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else return i;
  }
  return segments.length;
}

/** One source over the merged value: each position is asked of the file its value came from. */
function extendedSource(own: YamlSource, base: YamlSource, value: Row): YamlSource {
  const ownerOf = (pointer: string): YamlSource => {
    const segments = pointerSegments(pointer);
    const mine = depthIn(own.value, segments);
    if (mine === segments.length) return own;
    // a key this file removed (null) or a method it replaced is not inherited
    if (mine > 0 && own.value !== null && isRow(own.value) && segments.length > 0) {
      const top = (own.value as Row)[segments[0]!];
      if (isRow(top) && 'unsupported' in top) return own;
    }
    return depthIn(base.value, segments) > mine ? base : own;
  };
  const extended = [base, ...(base.extended ?? [])];
  return {
    file: own.file,
    text: own.text,
    value,
    extended,
    positionOf: (pointer): SourcePosition => ownerOf(pointer).positionOf(pointer),
    keyPositionOf: (pointer): SourcePosition => ownerOf(pointer).keyPositionOf(pointer),
    positionInString: (pointer, offset): SourcePosition => ownerOf(pointer).positionInString(pointer, offset),
    lineText: (line) => own.lineText(line),
  };
}

/** The folder of shared definitions (not integrations): a name starting with `_`. */
export function isSharedFolder(name: string): boolean {
  return name.startsWith('_');
}
