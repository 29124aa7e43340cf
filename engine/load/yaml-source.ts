import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import type * as JsYaml from 'js-yaml';
import type { SourcePosition } from '../errors';
import { locateYamlError } from './yaml-error-position';
import { yamlLibrary } from './yaml-library';

/** One parsed definition file: its value plus what is needed to point back into the text. */
export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  /** file:line:column of the node at a JSON pointer (or of its nearest existing parent). */
  positionOf(pointer: string): SourcePosition;
  /** file:line:column of the key naming the value at `pointer` (an unknown key is reported at its name). */
  keyPositionOf(pointer: string): SourcePosition;
  /** file:line:column of a character offset inside the string scalar at `pointer` (for JSONata errors). */
  positionInString(pointer: string, offset: number): SourcePosition;
  /** The source line, for rendering a snippet under an error. */
  lineText(line: number): string;
  /** The shared files this one builds on through `extends` (nearest first); positions may point into them. */
  extended?: YamlSource[];
}

export interface YamlSyntaxProblem {
  position: SourcePosition;
  message: string;
}

/**
 * Parse a definition file. The value comes from js-yaml (YAML 1.2 core schema, as `yaml` reads it), which is several
 * times faster than building `yaml`'s document; that document, with the source ranges positions need, is built
 * only when a position is first asked for (a problem to report, an expression's location). A file js-yaml refuses
 * is parsed by `yaml`, whose errors carry line and column.
 */
export function parseYamlSource(file: string, text: string): { source?: YamlSource; problems: YamlSyntaxProblem[] } {
  let value: unknown;
  try {
    const { CORE_SCHEMA, load } = jsYaml();
    value = load(text, { schema: CORE_SCHEMA, filename: file });
  } catch {
    const { doc, lineCounter, problems } = parseWithPositions(file, text);
    if (problems.length > 0) return { problems };
    let fallback: unknown;
    try {
      fallback = doc.toJS({ maxAliasCount: 100 });
    } catch {
      const unresolved = unresolvedAlias(file, doc, lineCounter);
      if (unresolved) return { problems: [unresolved] };
      // `yaml` refuses an alias that resolves to too many nodes
      return { problems: [aliasProblem(file, firstAliasOffset(doc), lineCounter)] };
    }
    return { source: createSource(file, text, fallback, () => ({ doc, lineCounter })), problems };
  }
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  // js-yaml shares an anchored value among its aliases; what reads the value later (validation, compilation)
  // walks every alias, so a file whose aliases multiply (a "billion laughs") is refused here, in linear time
  if (text.includes('*') && expandedSize(value, new Map(), new Set()) > MAX_EXPANDED_SIZE) {
    const { doc, lineCounter } = (parsed ??= parseWithPositions(file, text));
    return { problems: [aliasProblem(file, firstAliasOffset(doc), lineCounter)] };
  }
  return { source: createSource(file, text, value, () => (parsed ??= parseWithPositions(file, text))), problems: [] };
}

/**
 * A file whose value was parsed before from this same text (a record of checked definitions keeps it): no parser
 * runs now, and `yaml`'s document is built, as always, only when a position is asked for.
 */
export function sourceFromValue(file: string, text: string, value: unknown): YamlSource {
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  return createSource(file, text, value, () => (parsed ??= parseWithPositions(file, text)));
}

let jsYamlLibrary: typeof JsYaml | undefined;
/** js-yaml, loaded with the first file parsed (a process whose definitions come from a record needs none). */
function jsYaml(): typeof JsYaml {
  return (jsYamlLibrary ??= require('js-yaml') as typeof JsYaml);
}

/**
 * How large a file's value may be once every alias is counted as a copy of its anchor: values (each string
 * counting one per 64 characters besides). Generous for anchors shared by a few methods, far below any expansion.
 */
const MAX_EXPANDED_SIZE = 200_000;

/** The size of `value` with its shared parts counted once per reference (a cycle is infinite); stops past the limit. */
function expandedSize(value: unknown, sizes: Map<object, number>, open: Set<object>): number {
  if (value === null || typeof value !== 'object') return 1 + (typeof value === 'string' ? Math.floor(value.length / 64) : 0);
  const known = sizes.get(value);
  if (known !== undefined) return known;
  if (open.has(value)) return Infinity;
  open.add(value);
  let size = 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    size += expandedSize(child, sizes, open);
    if (size > MAX_EXPANDED_SIZE) break;
  }
  open.delete(value);
  sizes.set(value, size);
  return size;
}

function aliasProblem(file: string, offset: number, lineCounter: LineCounter): YamlSyntaxProblem {
  const at = lineCounter.linePos(offset);
  return {
    position: { file, line: at.line, column: at.col },
    message: `aliases expand the file to more than ${MAX_EXPANDED_SIZE.toLocaleString('en-US')} values (aliases of aliases multiply); use fewer aliases`,
  };
}

/** An alias naming no anchor set before it (`*user` with no `&user` above). */
function unresolvedAlias(file: string, doc: Document, lineCounter: LineCounter): YamlSyntaxProblem | undefined {
  const { visit } = yamlLibrary();
  let found: YamlSyntaxProblem | undefined;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) !== undefined) return undefined;
      const at = lineCounter.linePos(node.range?.[0] ?? 0);
      found = { position: { file, line: at.line, column: at.col }, message: `alias *${node.source} names no anchor: set &${node.source} on a value above it` };
      return visit.BREAK;
    },
  });
  return found;
}

/** The offset of a document's first alias, to point at the expansion that was refused. */
export function firstAliasOffset(doc: Document): number {
  const { visit } = yamlLibrary();
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function parseWithPositions(file: string, text: string): { doc: Document; lineCounter: LineCounter; problems: YamlSyntaxProblem[] } {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // one mistake often trips several errors at the same place (an unclosed quote, then the map around it): keep the first
  const reported = new Set<number>();
  const problems = doc.errors.filter((error) => !reported.has(error.pos[0]) && reported.add(error.pos[0])).map((error) => {
    const located = locateYamlError(text, error);
    const at = lineCounter.linePos(located.offset);
    return { position: { file, line: at.line, column: at.col }, message: located.message };
  });
  return { doc, lineCounter, problems };
}

function createSource(file: string, text: string, value: unknown, parsed: () => { doc: Document; lineCounter: LineCounter }): YamlSource {
  let lines: string[] | undefined;
  const at = (offset: number, pointer: string): SourcePosition => {
    const pos = parsed().lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, pointer };
  };
  const nodeAt = (pointer: string) => findNode(parsed().doc, pointerSegments(pointer));
  return {
    file,
    text,
    value,
    positionOf(pointer) {
      // a value reached through an alias is reported at the alias: that is the use the problem is about
      const { node, alias } = nodeAt(pointer);
      return at((alias ?? node)?.range?.[0] ?? 0, pointer);
    },
    keyPositionOf(pointer) {
      const { node, alias, key } = findNode(parsed().doc, pointerSegments(pointer), true);
      return at((key ?? alias ?? node)?.range?.[0] ?? 0, pointer);
    },
    positionInString(pointer, offset) {
      const { node } = nodeAt(pointer);
      if (!node || !yamlLibrary().isScalar(node) || !node.range) return at(node?.range?.[0] ?? 0, pointer);
      return at(offsetInScalar(text, node.range[0], node.type, offset), pointer);
    },
    lineText: (line) => (lines ??= text.split(/\r?\n/))[line - 1] ?? '',
  };
}

/**
 * Map an offset inside a scalar's value to an offset in the file. Exact for block scalars (`|`, `>`)
 * and single-line plain or quoted scalars, which is how expressions are written.
 */
function offsetInScalar(text: string, start: number, type: string | undefined, offset: number): number {
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    let lineStart = text.indexOf('\n', start) + 1; // content starts on the line after the header
    const indent = (/^ */.exec(text.slice(lineStart)) ?? [''])[0].length;
    let remaining = offset;
    for (;;) {
      const lineEnd = text.indexOf('\n', lineStart);
      const contentLength = (lineEnd === -1 ? text.length : lineEnd) - lineStart - indent;
      if (remaining <= contentLength || lineEnd === -1) return lineStart + indent + Math.max(0, remaining);
      remaining -= contentLength + 1;
      lineStart = lineEnd + 1;
    }
  }
  const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
  return start + quoted + offset;
}

/**
 * The node at a pointer (or its nearest existing parent), the last alias the path went through and, with `withKey`,
 * the key of the last segment when it names a map entry.
 */
function findNode(doc: Document, segments: string[], withKey = false): { node: YamlNode | undefined; alias?: YamlNode; key?: YamlNode } {
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlLibrary();
  let node: unknown = doc.contents;
  let last: YamlNode | undefined = doc.contents ?? undefined;
  let alias: YamlNode | undefined;
  let key: YamlNode | undefined;
  const found = () => ({ node: last, ...(alias ? { alias } : {}), ...(key ? { key } : {}) });
  for (const [i, segment] of segments.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return found();
      if (withKey && i === segments.length - 1 && isScalar(pair.key)) key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      return found();
    }
    // An alias (`*user`) points at the anchored node, where the text really is.
    if (isAlias(node)) {
      alias = node;
      node = node.resolve(doc);
    }
    if (node && typeof node === 'object' && 'range' in node) last = node as YamlNode;
  }
  return found();
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
