import type { Problem } from './problem';

/** What merging needs of a file: where a pointer's value is used, and the text there. */
interface SourceUses {
  positionOf(pointer: string): { line: number; column: number };
  lineText(line: number): string;
}

/**
 * A YAML alias makes one text several definition values, so a mistake inside an anchored expression is found
 * once per use, every time at the same place in the text. Report it once, where the text is, and name the
 * aliases that use it (a problem about a use, not the text, already points at its alias: positionOf).
 */
export function mergeRepeatedProblems(problems: Problem[], sourceOf: (file: string) => SourceUses | undefined): Problem[] {
  const first = new Map<string, { problem: Problem; uses: string[] }>();
  const out: { problem: Problem; uses: string[] }[] = [];
  for (const problem of problems) {
    const { file, line, column, pointer } = problem.position;
    const key = [problem.code, problem.severity ?? 'error', file, line, column, problem.message].join('\u0000');
    const seen = first.get(key);
    if (!seen) {
      const entry = { problem, uses: [] };
      first.set(key, entry);
      out.push(entry);
    } else if (pointer && pointer !== seen.problem.position.pointer && !seen.uses.includes(pointer)) {
      seen.uses.push(pointer);
    }
  }
  return out.map(({ problem, uses }) => (uses.length === 0 ? problem : { ...problem, message: `${problem.message}${describeUses(uses, sourceOf(problem.position.file))}` }));
}

function describeUses(pointers: string[], source: SourceUses | undefined): string {
  const uses = pointers.map((pointer) => {
    if (!source) return pointer;
    const at = source.positionOf(pointer);
    const alias = /^\*[^\s,\]}]+/.exec(source.lineText(at.line).slice(at.column - 1))?.[0];
    return `${alias ? `${alias} ` : ''}at line ${at.line} (${pointer})`;
  });
  return `; this anchored text is also used by ${uses.join(', ')}`;
}
