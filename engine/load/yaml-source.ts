import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { SourcePosition } from '../errors';

/** One parsed definition file: its value plus what is needed to point back into the text. */
export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  /** file:line:column of the node at a JSON pointer (or of its nearest existing parent). */
  positionOf(pointer: string): SourcePosition;
  /** file:line:column of a character offset inside the string scalar at `pointer` (for JSONata errors). */
  positionInString(pointer: string, offset: number): SourcePosition;
  /** The source line, for rendering a snippet under an error. */
  lineText(line: number): string;
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
    value = loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch {
    const { doc, lineCounter, problems } = parseWithPositions(file, text);
    if (problems.length > 0) return { problems };
    return { source: createSource(file, text, doc.toJS({ maxAliasCount: 100 }), () => ({ doc, lineCounter })), problems };
  }
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  return { source: createSource(file, text, value, () => (parsed ??= parseWithPositions(file, text))), problems: [] };
}

function parseWithPositions(file: string, text: string): { doc: Document; lineCounter: LineCounter; problems: YamlSyntaxProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems = doc.errors.map((error) => {
    const at = lineCounter.linePos(error.pos[0]);
    return { position: { file, line: at.line, column: at.col }, message: firstLine(error.message) };
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
      const node = nodeAt(pointer);
      return at(node?.range?.[0] ?? 0, pointer);
    },
    positionInString(pointer, offset) {
      const node = nodeAt(pointer);
      if (!node || !isScalar(node) || !node.range) return at(node?.range?.[0] ?? 0, pointer);
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

function findNode(doc: Document, segments: string[]): YamlNode | undefined {
  let node: unknown = doc.contents;
  let last: YamlNode | undefined = doc.contents ?? undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) return last;
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      node = node.items[Number(segment)];
    } else {
      return last;
    }
    // An alias (`*user`) points at the anchored node, where the text really is.
    if (isAlias(node)) node = node.resolve(doc);
    if (node && typeof node === 'object' && 'range' in node) last = node as YamlNode;
  }
  return last;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
