/**
 * The syntax of a `{{ JSONata }}` template: literal text and holes. A hole ends at the first `}}` outside the
 * expression's own braces and string literals, so `{{ {"a": {"b": 1}} }}` is one hole. Anything that does not
 * scan (an unterminated hole, an empty one, a stray `}}`) is reported rather than sent as literal text.
 */
export type TemplatePiece = { text: string } | { expression: string; offset: number };

export interface TemplateSyntaxProblem {
  message: string;
  /** Offset in the template string where the problem starts. */
  offset: number;
}

export function scanTemplate(source: string): { pieces: TemplatePiece[]; problems: TemplateSyntaxProblem[] } {
  const pieces: TemplatePiece[] = [];
  const problems: TemplateSyntaxProblem[] = [];
  let literalStart = 0;
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('}}', i)) {
      problems.push({ offset: i, message: '"}}" without an opening "{{"; a template hole is written {{ expression }}' });
      i += 2;
      continue;
    }
    if (!source.startsWith('{{', i)) {
      i += 1;
      continue;
    }
    // an expression with unbalanced brackets still ends at the next "}}": JSONata then reports what is wrong inside
    const end = findHoleEnd(source, i + 2) ?? nextClose(source, i + 2);
    if (end === undefined) {
      problems.push({ offset: i, message: `unterminated template hole: "{{" has no closing "}}" (${quote(source.slice(i))})` });
      return { pieces, problems };
    }
    const expression = source.slice(i + 2, end);
    if (i > literalStart) pieces.push({ text: source.slice(literalStart, i) });
    if (expression.trim() === '') problems.push({ offset: i, message: 'empty template hole "{{ }}": put a JSONata expression inside, e.g. {{ $params.id }}' });
    else pieces.push({ expression, offset: i + 2 });
    i = end + 2;
    literalStart = i;
  }
  if (literalStart < source.length) pieces.push({ text: source.slice(literalStart) });
  return { pieces, problems };
}

/**
 * Where a hole starting at `from` ends: the offset of its closing `}}`, skipping braces and brackets the expression
 * opens and string literals (JSONata's '…', "…" and `…` names). A `{{` met at depth 0 means the hole was never
 * closed (the next hole started): undefined.
 */
function findHoleEnd(source: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const close = closingQuote(source, i);
      if (close === undefined) return undefined;
      i = close;
    } else if (depth === 0 && source.startsWith('}}', i)) {
      return i;
    } else if (depth === 0 && source.startsWith('{{', i)) {
      return undefined;
    } else if (c === '{' || c === '[' || c === '(') {
      depth += 1;
    } else if ((c === '}' || c === ']' || c === ')') && depth > 0) {
      depth -= 1;
    }
  }
  return undefined;
}

function nextClose(source: string, from: number): number | undefined {
  const close = source.indexOf('}}', from);
  const open = source.indexOf('{{', from);
  return close === -1 || (open !== -1 && open < close) ? undefined : close;
}

function closingQuote(source: string, start: number): number | undefined {
  const quoteChar = source[start]!;
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\' && quoteChar !== '`') i += 1;
    else if (source[i] === quoteChar) return i;
  }
  return undefined;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
