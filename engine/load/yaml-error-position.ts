import type { CST, YAMLError } from 'yaml';
import { yamlLibrary } from './yaml-library';

/**
 * Where a YAML syntax error should point. `yaml` reports some errors at the start of a line or at the end of the
 * file (an unclosed quote is found only when the text runs out); the mistake itself is elsewhere: the opening
 * quote or bracket that was never closed, or the first character of a badly indented line.
 */
export function locateYamlError(text: string, error: YAMLError): { offset: number; message: string } {
  const reported = error.pos[0];
  const message = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'MISSING_CHAR' || /end with an? [}\]]/.test(message)) {
    const opened = lastUnclosedBefore(text, reported);
    if (opened !== undefined) {
      const char = text[opened]!;
      const closer = char === '{' ? '}' : char === '[' ? ']' : char;
      return { offset: opened, message: `this ${char} is never closed: add the missing ${closer} (${message})` };
    }
  }
  return { offset: skipIndentation(text, reported), message };
}

/** The last quoted scalar or flow collection (`{`, `[`) that starts before `offset` and is never closed. */
function lastUnclosedBefore(text: string, offset: number): number | undefined {
  const { CST, Parser } = yamlLibrary();
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      for (const node of [item.key, item.value]) {
        if (!node || node.offset > offset) continue;
        if (isUnclosedQuote(node) || (node.type === 'flow-collection' && !node.end.some((t) => t.type === 'flow-map-end' || t.type === 'flow-seq-end'))) {
          if (found === undefined || node.offset > found) found = node.offset;
        }
      }
    });
  }
  return found;
}

function isUnclosedQuote(node: CST.Token): boolean {
  if (node.type !== 'double-quoted-scalar' && node.type !== 'single-quoted-scalar') return false;
  const quote = node.source[0];
  const body = node.source.slice(1);
  if (quote === "'") return !/^(?:[^']|'')*'/.test(body);
  return !/^(?:[^"\\]|\\[\s\S])*"/.test(body);
}

/** An offset on a line's leading spaces moves to the line's first character, where the misplaced item starts. */
function skipIndentation(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (text.slice(lineStart, offset).trim() !== '') return offset;
  let i = offset;
  while (text[i] === ' ') i += 1;
  return i < text.length && text[i] !== '\n' ? i : offset;
}
