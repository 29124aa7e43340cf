import { UnimapError, formatPosition, type SourcePosition, type UnimapErrorCode } from '../errors';

/** A definition problem as data; rendering is separate so the CLI, tests and the engine share one list. */
export interface Problem {
  code: UnimapErrorCode;
  message: string;
  position: SourcePosition;
  /** Severity: errors stop loading; warnings are reported by `unimap validate` only. */
  severity?: 'error' | 'warning';
}

/** What rendering needs of a file: its lines (a parsed YamlSource, or the text of a file that did not parse). */
export interface SourceLines {
  lineText(line: number): string;
}

/** The lines of a text, for files that never became a YamlSource (YAML syntax errors, fixtures). */
export function linesOf(text: string): SourceLines {
  let lines: string[] | undefined;
  return { lineText: (line) => (lines ??= text.split(/\r?\n/))[line - 1] ?? '' };
}

/** `file:line:col: CODE message` followed by the offending line and a caret, like a compiler. */
export function renderProblem(problem: Problem, source?: SourceLines): string {
  const { position } = problem;
  const where = position.pointer ? ` (at ${position.pointer})` : '';
  const head = `${formatPosition(position)}: ${problem.severity === 'warning' ? 'warning' : 'error'} ${problem.code}: ${problem.message}${where}`;
  if (!source) return head;
  const text = source.lineText(position.line);
  if (!text.trim()) return head;
  const gutter = String(position.line).padStart(4);
  return `${head}\n${gutter} | ${text}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, position.column - 1))}^`;
}

/** One error carrying every problem, thrown when definitions cannot load. */
export function problemsError(problems: Problem[], render: (p: Problem) => string): UnimapError {
  const errors = problems.filter((p) => p.severity !== 'warning');
  const first = errors[0] ?? problems[0];
  if (!first) return new UnimapError("UNIMAP_E_DEF_SCHEMA", "invalid mapping definitions");
  return new UnimapError(first.code, `${errors.length} problem(s) in mapping definitions:\n${errors.map(render).join('\n')}`, {
    position: first.position,
    details: errors.map((p) => ({ code: p.code, message: p.message, ...p.position })),
  });
}
